import { useEffect, useState } from 'react';
import { Button, Checkbox, Field, Input, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from '@fluentui/react-components';
import { AddRegular, SaveRegular } from '@fluentui/react-icons';
import { ApiError, ErrorMessage, LoadingState, Page, Section, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type Settings } from '../api/communicator-api.js';
import { AppNav } from '../components/AppNav.js';
import { ChipList } from '../components/ChipList.js';
import { DangerZone } from '../components/DangerZone.js';
import { useLoad } from '../hooks/useLoad.js';
import { useRoles } from '../hooks/useRoles.js';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  add: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  grow: { flex: '1 1 240px' },
  days: { maxWidth: '200px' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2, margin: 0 },
});

/** #/settings — tenant admins: who may author (beyond the Author app role) and how long reports are kept. */
export function SettingsScreen() {
  const { t } = useAppTranslation();
  const { isAdmin } = useRoles();
  if (!isAdmin) {
    return (
      <Page title={t('settings.title')}>
        <AppNav />
        <MessageBar intent="info" data-testid="admins-only"><MessageBarBody>{t('settings.adminsOnly')}</MessageBarBody></MessageBar>
      </Page>
    );
  }
  return <AdminSettings />;
}

function AdminSettings() {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const loaded = useLoad((signal) => cc.settings(signal), [cc]);
  const [draft, setDraft] = useState<Settings>();
  const [newAuthor, setNewAuthor] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (loaded.data) setDraft(loaded.data); }, [loaded.data]);

  if (loaded.loading) return <Page title={t('settings.title')}><AppNav /><LoadingState label={t('common.loading')} /></Page>;
  if (!draft) return <Page title={t('settings.title')}><AppNav /><ErrorMessage error={loaded.error} onRetry={() => { void loaded.reload(); }} /></Page>;

  const addAuthor = () => {
    const value = newAuthor.trim();
    if (!value || draft.authors.some((a) => a.toLowerCase() === value.toLowerCase())) return;
    setDraft({ ...draft, authors: [...draft.authors, value] });
    setNewAuthor('');
    setSaved(false);
  };
  const daysValid = Number.isInteger(draft.retentionDays) && draft.retentionDays >= 0 && draft.retentionDays <= 3650;

  async function save() {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const result = await cc.saveSettings(draft!);
      loaded.set(result);
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 412 ? new ApiError(412, err.code, t('settings.conflict'), err.requestId) : err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('settings.title')}>
      <AppNav />
      <Section title={t('settings.authors')}>
        <div className={styles.body}>
          <p className={styles.muted}>{t('settings.authorsHint')}</p>
          {draft.authors.length === 0 ? <p className={styles.muted}>{t('settings.noAuthors')}</p> : (
            <ChipList
              label={t('settings.authors')}
              items={draft.authors.map((a) => ({ value: a, text: a }))}
              removeLabel={(name) => t('settings.removeAuthor', { name })}
              onRemove={(author) => { setDraft({ ...draft, authors: draft.authors.filter((a) => a !== author) }); setSaved(false); }}
            />
          )}
          <form className={styles.add} onSubmit={(e) => { e.preventDefault(); addAuthor(); }}>
            <Field className={styles.grow} label={t('settings.addAuthor')} hint={t('settings.addAuthorHint')}>
              <Input value={newAuthor} onChange={(_e, d) => setNewAuthor(d.value)} />
            </Field>
            <Button type="submit" icon={<AddRegular />} disabled={!newAuthor.trim()}>{t('settings.add')}</Button>
          </form>
        </div>
      </Section>
      <Section title={t('settings.retention')}>
        <Field className={styles.days} label={t('settings.retentionDays')} hint={t('settings.retentionHint')} validationMessage={daysValid ? undefined : t('settings.retentionInvalid')}>
          <Input type="number" min={0} max={3650} value={String(draft.retentionDays)} onChange={(_e, d) => { setDraft({ ...draft, retentionDays: d.value === '' ? 0 : Number(d.value) }); setSaved(false); }} />
        </Field>
      </Section>
      <Section title={t('settings.delivery')}>
        <Field hint={t('settings.proactiveInstallHint')}>
          <Checkbox checked={draft.proactiveInstall === true} label={t('settings.proactiveInstall')} onChange={(_e, d) => { setDraft({ ...draft, proactiveInstall: d.checked === true }); setSaved(false); }} />
        </Field>
      </Section>
      <div className={styles.actions}>
        <Button appearance="primary" icon={busy ? <Spinner size="tiny" /> : <SaveRegular />} disabled={busy || !daysValid} onClick={() => { void save(); }}>{t('common.save')}</Button>
        <Text aria-live="polite">{saved ? t('settings.saved') : ''}</Text>
      </div>
      {error !== undefined && <ErrorMessage error={error} />}
      <DangerZone onErased={() => { void loaded.reload(); }} />
    </Page>
  );
}
