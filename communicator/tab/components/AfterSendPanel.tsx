import { useState } from 'react';
import { Badge, Button, Field, makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { ArrowUndoRegular, EditRegular } from '@fluentui/react-icons';
import { ConfirmDialog, useAppTranslation, useSession } from '@teamspro/core/tab';
import { useCommunicatorApi, type Message, type MessageVariant } from '../api/communicator-api.js';
import { usePolling } from '../hooks/usePolling.js';
import { formatDateTime, formatNumber, languageName } from '../lib/format.js';
import { variantProblems } from '../preview/build-card.js';
import { SimpleTabs } from './SimpleTabs.js';
import { VariantEditor } from './VariantEditor.js';

const pollMs = 2000;

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  progress: { maxWidth: '560px' },
  editor: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground2, margin: 0 },
});

/**
 * On the report of a sent message: "Edit sent message" (a dialog with the language variants, which
 * re-renders every delivered card in place) and "Recall" (deletes them), with their live progress.
 */
export function AfterSendPanel({ message, onChanged }: { message: Message; onChanged: () => Promise<unknown> }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [dialog, setDialog] = useState<'edit' | 'recall'>();
  const [variants, setVariants] = useState<MessageVariant[]>([]);
  const [tab, setTab] = useState(0);
  const after = message.afterSend;
  const running = after?.state === 'running';
  usePolling(() => onChanged(), pollMs, running);

  if (message.status !== 'sent') return null;
  const n = (v: number) => formatNumber(v, language);
  const total = after?.total ?? message.counts.sent;
  const problems = variants.flatMap(variantProblems);
  const current = variants[Math.min(tab, variants.length - 1)];

  return (
    <div className={styles.panel} data-testid="after-send">
      <div className={styles.actions}>
        {message.recalled && <Badge appearance="tint" color="danger" data-testid="recalled-badge">{t('afterSend.recalledBadge')}</Badge>}
        {/* disabledFocusable, not disabled: after its dialog closes, focus returns to the button that opened it */}
        <Button icon={<EditRegular />} disabledFocusable={message.recalled || running} data-testid="edit-sent"
          onClick={() => { setVariants(message.variants.map((v) => ({ ...v, links: v.links.map((l) => ({ ...l })) }))); setTab(0); setDialog('edit'); }}>
          {t('afterSend.edit')}
        </Button>
        <Button icon={<ArrowUndoRegular />} disabledFocusable={message.recalled} data-testid="recall" onClick={() => setDialog('recall')}>{t('afterSend.recall')}</Button>
      </div>
      {after && (
        <div aria-live="polite" className={styles.progress} data-testid="after-send-progress">
          {running ? (
            <Field label={t(after.kind === 'update' ? 'afterSend.updating' : 'afterSend.recalling')} validationState="none"
              hint={t('afterSend.progress', { done: n(after.done), failed: n(after.failed), total: n(total) })}>
              <ProgressBar value={total > 0 ? Math.min(1, (after.done + after.failed) / total) : undefined} max={1} thickness="large" />
            </Field>
          ) : (
            <Text as="p" className={styles.muted}>
              {t(after.kind === 'update' ? 'afterSend.updated' : 'afterSend.recalled', { date: formatDateTime(after.at, language), done: n(after.done), failed: n(after.failed) })}
            </Text>
          )}
        </div>
      )}

      {dialog === 'edit' && current && <ConfirmDialog
        open
        title={t('afterSend.editTitle')}
        confirmLabel={t('afterSend.editConfirm', { count: total, n: n(total) })}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        confirmDisabled={problems.length > 0}
        onDismiss={() => setDialog(undefined)}
        onConfirm={async () => { await cc.updateSent(message.id, { variants, etag: message.etag }); await onChanged(); }}
      >
        <p className={styles.muted}>{t('afterSend.editBody')}</p>
        <div className={styles.editor}>
          {variants.length > 1 && <SimpleTabs
            idPrefix="sent-variant"
            label={t('composer.languages.label')}
            selected={String(Math.min(tab, variants.length - 1))}
            onSelect={(v) => setTab(Number(v))}
            tabs={variants.map((v, i) => ({ value: String(i), label: languageName(v.locale, language) }))}
          />}
          <div id="sent-variant-panel" role={variants.length > 1 ? 'tabpanel' : undefined} aria-labelledby={variants.length > 1 ? `sent-variant-tab-${Math.min(tab, variants.length - 1)}` : undefined}>
            <VariantEditor key={current.locale} variant={current} showErrors onChange={(v) => setVariants((all) => all.map((x, i) => (i === Math.min(tab, all.length - 1) ? v : x)))} />
          </div>
        </div>
      </ConfirmDialog>}
      {dialog === 'recall' && <ConfirmDialog
        open
        destructive
        title={t('afterSend.recallTitle')}
        confirmLabel={t('afterSend.recall')}
        cancelLabel={t('afterSend.keep')}
        busyLabel={t('common.working')}
        onDismiss={() => setDialog(undefined)}
        onConfirm={async () => { await cc.recall(message.id); await onChanged(); }}
      >
        {t('afterSend.recallBody', { title: message.variants[0]?.title ?? '', count: total, n: n(total) })}
      </ConfirmDialog>}
    </div>
  );
}
