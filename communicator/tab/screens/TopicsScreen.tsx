import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Spinner,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, RenameRegular } from '@fluentui/react-icons';
import { ConfirmDialog, withMessageFor, ErrorMessage, LoadingState, Page, Section, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type Topic, type TopicInput } from '../api/communicator-api.js';
import { AppNav } from '../components/AppNav.js';
import { useLoad } from '../hooks/useLoad.js';

const useStyles = makeStyles({
  form: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 2fr) auto', alignItems: 'end', gap: tokens.spacingHorizontalM, '@media (max-width: 699px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { minWidth: 0, flex: '1 1 240px' },
  name: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300, overflowWrap: 'anywhere' },
  description: { margin: 0, color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalXS },
  dialogFields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground2, margin: 0 },
});

/** #/topics — every message has a topic; authors create, rename and delete them. */
export function TopicsScreen() {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const topics = useLoad((signal) => cc.topics(signal), [cc]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>();
  const [editing, setEditing] = useState<Topic>();
  const [deleting, setDeleting] = useState<Topic>();

  async function create() {
    if (!name.trim()) return;
    setCreating(true);
    setCreateError(undefined);
    try {
      await cc.createTopic({ name: name.trim(), description: description.trim() || undefined });
      setName('');
      setDescription('');
      await topics.reload();
    } catch (err) {
      setCreateError(err);
    } finally {
      setCreating(false);
    }
  }

  return (
    <Page title={t('topics.title')}>
      <AppNav />
      <Section title={t('topics.create')}>
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <Field label={t('topics.name')} required>
            <Input value={name} maxLength={100} onChange={(_e, d) => setName(d.value)} data-testid="topic-name" />
          </Field>
          <Field label={t('topics.description')}>
            <Input value={description} maxLength={500} onChange={(_e, d) => setDescription(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" icon={creating ? <Spinner size="tiny" /> : <AddRegular />} disabled={creating || !name.trim()}>{t('topics.add')}</Button>
        </form>
        {createError !== undefined && <ErrorMessage error={createError} />}
      </Section>
      <Section title={t('topics.list')} data-testid="topics">
        {topics.loading ? <LoadingState label={t('common.loading')} />
          : !topics.data ? <ErrorMessage error={topics.error} onRetry={() => { void topics.reload(); }} />
          : topics.data.length === 0 ? <p className={styles.muted}>{t('topics.empty')}</p>
          : (
            <ul className={styles.list}>
              {topics.data.map((topic) => (
                <li key={topic.id} className={styles.row} data-testid="topic-row">
                  <div className={styles.text}>
                    <h3 className={styles.name}>{topic.name}</h3>
                    {topic.description && <p className={styles.description}>{topic.description}</p>}
                  </div>
                  <div className={styles.buttons}>
                    <Button appearance="subtle" icon={<RenameRegular />} aria-label={t('topics.renameNamed', { name: topic.name })} onClick={() => setEditing(topic)}>{t('topics.rename')}</Button>
                    <Button appearance="subtle" icon={<DeleteRegular />} aria-label={t('topics.deleteNamed', { name: topic.name })} onClick={() => setDeleting(topic)}>{t('topics.delete')}</Button>
                  </div>
                </li>
              ))}
            </ul>
          )}
      </Section>
      {editing && <RenameDialog topic={editing} onDone={() => { setEditing(undefined); void topics.reload(); }} onDismiss={() => setEditing(undefined)} />}
      {deleting && <ConfirmDialog
        open
        title={t('topics.confirmDelete.title')}
        confirmLabel={t('topics.delete')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={() => setDeleting(undefined)}
        onConfirm={async () => {
          await withMessageFor(409, t('topics.inUse'), () => cc.deleteTopic(deleting.id));
          await topics.reload();
        }}
      >
        {t('topics.confirmDelete.body', { name: deleting.name })}
      </ConfirmDialog>}
    </Page>
  );
}

function RenameDialog({ topic, onDone, onDismiss }: { topic: Topic; onDone: () => void; onDismiss: () => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [input, setInput] = useState<TopicInput>({ name: topic.name, description: topic.description });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      await cc.updateTopic(topic.id, { name: input.name.trim(), description: input.description?.trim() }, topic.etag);
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <Dialog open onOpenChange={(_e, d) => { if (!d.open && !busy) onDismiss(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <DialogBody>
            <DialogTitle>{t('topics.renameTitle')}</DialogTitle>
            <DialogContent className={styles.dialogFields}>
              <Field label={t('topics.name')} required>
                <Input value={input.name} maxLength={100} onChange={(_e, d) => setInput({ ...input, name: d.value })} />
              </Field>
              <Field label={t('topics.description')}>
                <Textarea value={input.description ?? ''} maxLength={500} onChange={(_e, d) => setInput({ ...input, description: d.value })} />
              </Field>
              {error !== undefined && <ErrorMessage error={error} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" disabled={busy} onClick={onDismiss}>{t('common.cancel')}</Button>
              <Button type="submit" appearance="primary" disabled={busy || !input.name.trim()} icon={busy ? <Spinner size="tiny" /> : undefined}>{t('common.save')}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
