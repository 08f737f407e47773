import { useState } from 'react';
import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { ConfirmDialog, Section, useAppTranslation, useSession } from '@teamspro/core/tab';
import { useCommunicatorApi, type OffboardResult } from '../api/communicator-api.js';
import { formatNumber } from '../lib/format.js';

const useStyles = makeStyles({
  zone: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorStatusDangerBorder2}`, paddingLeft: tokens.spacingHorizontalM },
  body: { margin: 0 },
  confirm: { maxWidth: '520px' },
  danger: {
    alignSelf: 'flex-start',
    backgroundColor: tokens.colorStatusDangerBackground3,
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { backgroundColor: tokens.colorStatusDangerBackground3Hover, color: tokens.colorNeutralForegroundOnBrand },
    ':hover:active': { backgroundColor: tokens.colorStatusDangerBackground3Pressed, color: tokens.colorNeutralForegroundOnBrand },
  },
});

/** Settings, tenant admins: erase all of the tenant's data (POST /api/admin/offboard), after typing the tenant id. */
export function DangerZone({ onErased }: { onErased?: () => void }) {
  const { t } = useAppTranslation();
  const { me, language } = useSession();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [typed, setTyped] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<OffboardResult>();
  const matches = typed.trim().toLowerCase() === me.tenantId.toLowerCase();

  return (
    <Section title={t('settings.danger.title')} data-testid="danger-zone">
      <div className={styles.zone}>
        <p className={styles.body}>{t('settings.danger.body')}</p>
        <Field className={styles.confirm} label={t('settings.danger.confirmLabel', { tenantId: me.tenantId })}
          validationMessage={typed.trim() && !matches ? t('settings.danger.mismatch') : undefined}>
          <Input value={typed} onChange={(_e, d) => { setTyped(d.value); setResult(undefined); }} autoComplete="off" spellCheck={false} data-testid="offboard-confirm" />
        </Field>
        <Button className={matches ? styles.danger : undefined} icon={<DeleteRegular />} disabledFocusable={!matches} onClick={() => setConfirming(true)} data-testid="offboard">{t('settings.danger.button')}</Button>
        {result && (
          <MessageBar intent="success" data-testid="offboard-done">
            <MessageBarBody>{t('settings.danger.done', { rows: formatNumber(result.rowsDeleted, language), blobs: formatNumber(result.blobsDeleted, language) })}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {confirming && <ConfirmDialog
        open
        destructive
        title={t('settings.danger.dialogTitle')}
        confirmLabel={t('settings.danger.button')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        onDismiss={() => setConfirming(false)}
        onConfirm={async () => {
          setResult(await cc.offboard({ confirmTenantId: typed.trim() }));
          setTyped('');
          onErased?.();
        }}
      >
        {t('settings.danger.dialogBody', { tenantId: me.tenantId })}
      </ConfirmDialog>}
    </Section>
  );
}
