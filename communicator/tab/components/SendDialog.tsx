import { useEffect, useMemo, useState } from 'react';
import { Field, Input, makeStyles, Select, Text, tokens } from '@fluentui/react-components';
import { ConfirmDialog, useAppTranslation, useSession } from '@teamspro/core/tab';
import type { AudienceCount, SendRequest } from '../api/communicator-api.js';
import { browserTimeZone, defaultScheduleSlot, formatNumber, timeZones } from '../lib/format.js';
import { wallClockNow, zoneLabel } from '../lib/time-zone.js';

const useStyles = makeStyles({
  when: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM, '@media (max-width: 479px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  zone: { gridColumn: '1 / -1' },
  count: { fontWeight: tokens.fontWeightSemibold },
});

export type SendMode = 'now' | 'schedule';

/** Confirms a send, stating how many people it reaches; for a schedule, asks when (date, time and time zone). */
export function SendDialog({ open, mode, count, title, onSend, onDismiss }: {
  open: boolean;
  mode: SendMode;
  count?: AudienceCount;
  title: string;
  onSend: (request: SendRequest) => Promise<void>;
  onDismiss: () => void;
}) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const zones = useMemo(() => timeZones().map((z) => ({ id: z, label: zoneLabel(z) })), []);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [zone, setZone] = useState(browserTimeZone);
  useEffect(() => {
    if (!open) return;
    const slot = defaultScheduleSlot();
    setDate(slot.date);
    setTime(slot.time);
  }, [open]);

  const local = `${date}T${time}`;
  const problem = mode !== 'schedule' ? undefined
    : !date || !time ? t('send.whenRequired')
    : local <= wallClockNow(zone) ? t('send.inPast')
    : undefined;
  const recipients = count?.recipients ?? 0;
  const n = formatNumber(recipients, language);

  return (
    <ConfirmDialog
      open={open}
      title={mode === 'now' ? t('send.nowTitle') : t('send.scheduleTitle')}
      confirmLabel={mode === 'now' ? t('send.nowConfirm', { count: recipients, n }) : t('send.scheduleConfirm', { count: recipients, n })}
      cancelLabel={t('common.cancel')}
      busyLabel={mode === 'now' ? t('send.sending') : t('send.scheduling')}
      confirmDisabled={recipients === 0 || !!problem}
      onDismiss={onDismiss}
      onConfirm={async () => {
        await onSend(mode === 'now' ? {} : { sendAt: local, timeZone: zone });
      }}
    >
      <Text data-testid="send-summary">
        {recipients === 0
          ? t('send.noRecipients')
          : t(mode === 'now' ? 'send.nowBody' : 'send.scheduleBody', { count: recipients, n, title })}
      </Text>
      {mode === 'schedule' && (
        <div className={styles.when}>
          <Field label={t('send.date')} required validationMessage={problem}>
            <Input type="date" value={date} onChange={(_e, d) => setDate(d.value)} data-testid="schedule-date" />
          </Field>
          <Field label={t('send.time')} required>
            <Input type="time" value={time} step={300} onChange={(_e, d) => setTime(d.value)} data-testid="schedule-time" />
          </Field>
          <Field label={t('send.timeZone')} className={styles.zone}>
            <Select value={zone} onChange={(_e, d) => setZone(d.value)} data-testid="schedule-zone">
              {zones.map((z) => <option key={z.id} value={z.id}>{z.label}</option>)}
            </Select>
          </Field>
        </div>
      )}
    </ConfirmDialog>
  );
}
