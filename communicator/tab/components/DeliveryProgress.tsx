import { Field, makeStyles, ProgressBar, tokens } from '@fluentui/react-components';
import { useAppTranslation, useSession } from '@teamspro/core/tab';
import type { DeliveryCounts, MessageStatus } from '../api/communicator-api.js';
import { formatNumber } from '../lib/format.js';

const useStyles = makeStyles({
  counts: { display: 'flex', flexWrap: 'wrap', gap: `0 ${tokens.spacingHorizontalL}`, margin: 0, padding: 0, listStyleType: 'none', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** Sent and failed out of the recipients, as a bar and as numbers (both read by screen readers). */
export function DeliveryProgress({ counts, status, label }: { counts: DeliveryCounts; status: MessageStatus; label: string }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const done = counts.sent + counts.failed;
  const resolving = status === 'queued' || status === 'resolving' || (status === 'sending' && counts.recipients === 0);
  const value = counts.recipients > 0 ? Math.min(1, done / counts.recipients) : status === 'sent' ? 1 : 0;
  const n = (v: number) => formatNumber(v, language);
  return (
    <Field label={label} validationState="none" hint={
      <ul className={styles.counts} data-testid="delivery-counts">
        <li>{t('progress.sent', { count: counts.sent, n: n(counts.sent) })}</li>
        <li className={counts.failed > 0 ? styles.failed : undefined}>{t('progress.failed', { count: counts.failed, n: n(counts.failed) })}</li>
        <li>{t('progress.recipients', { count: counts.recipients, n: n(counts.recipients) })}</li>
      </ul>
    }>
      <ProgressBar
        value={resolving ? undefined : value}
        max={1}
        thickness="large"
        color={counts.failed > 0 && status === 'sent' ? 'warning' : status === 'sent' ? 'success' : 'brand'}
        aria-valuetext={resolving ? t('progress.resolving') : t('progress.valueText', { done: n(done), total: n(counts.recipients) })}
      />
    </Field>
  );
}
