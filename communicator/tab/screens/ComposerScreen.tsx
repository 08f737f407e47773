import { useEffect, useMemo, useRef, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import {
  Button,
  Field,
  Input,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, CalendarClockRegular, DeleteRegular, SaveRegular, SendRegular } from '@fluentui/react-icons';
import { ApiError, ErrorMessage, LoadingState, Page, Section, useAppTranslation, useSession } from '@teamspro/core/tab';
import {
  useCommunicatorApi,
  type AudienceCount,
  type FeedbackOptions,
  type Message,
  type MessageInput,
  type MessageVariant,
  type SendRequest,
  type Topic,
} from '../api/communicator-api.js';
import { AppNav } from '../components/AppNav.js';
import { AudiencePicker } from '../components/AudiencePicker.js';
import { SendDialog, type SendMode } from '../components/SendDialog.js';
import { SimpleTabs } from '../components/SimpleTabs.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { VariantEditor } from '../components/VariantEditor.js';
import { useDebounced } from '../hooks/useDebounced.js';
import { useLoad } from '../hooks/useLoad.js';
import { formatDateTime, languageName, variantLocales } from '../lib/format.js';
import { buildPreview, variantProblems, type PreviewProblem } from '../preview/build-card.js';
import { CardPreview } from '../preview/CardPreview.js';

const useStyles = makeStyles({
  page: { maxWidth: '1600px' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  saved: { color: tokens.colorNeutralForeground2 },
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 5fr) minmax(0, 6fr)',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    '@media (max-width: 1099px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  topicRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1, minWidth: '200px' },
  languages: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalM },
  switches: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingVerticalXS },
  previewColumn: {
    position: 'sticky',
    top: tokens.spacingVerticalM,
    '@media (max-width: 1099px)': { position: 'static' },
  },
  previews: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM, '@media (max-width: 699px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  caption: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  previewMeta: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
  problems: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  link: { color: tokens.colorBrandForegroundLink, ':hover': { color: tokens.colorBrandForegroundLinkHover } },
});

const feedbackKeys: Array<keyof FeedbackOptions> = ['reactions', 'acknowledge', 'rating', 'comment'];

function emptyVariant(locale: string): MessageVariant {
  return { locale, title: '', summary: '', body: '', imageUrl: '', imageAltText: '', links: [] };
}

function toInput(m: Message): MessageInput {
  return { topicId: m.topicId, author: m.author, layout: m.layout, variants: m.variants, feedback: m.feedback, audience: m.audience };
}

type Saved = { id: string; etag: string; status: Message['status']; updatedAt: string };

/** #/messages/new and #/messages/:id — compose a message, preview it live, choose its audience, send or schedule it. */
export function ComposerScreen() {
  const { id } = useParams();
  const isNew = id === undefined || id === 'new';
  const { t } = useAppTranslation();
  const { me, language } = useSession();
  const cc = useCommunicatorApi();
  const navigate = useNavigate();
  const styles = useStyles();

  const topics = useLoad((signal) => cc.topics(signal), [cc]);
  // a message this screen has just created is already here: its URL changes to #/messages/:id, nothing to fetch
  const created = useRef<string | undefined>(undefined);
  const fetchIt = !isNew && created.current !== id;
  const loaded = useLoad(fetchIt ? (signal) => cc.message(id!, signal) : undefined, [cc, id, fetchIt]);

  const [input, setInput] = useState<MessageInput>();
  const [saved, setSaved] = useState<Saved>();
  const [dirty, setDirty] = useState(false);
  const [variantIndex, setVariantIndex] = useState(0);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState<'save' | 'prepare' | undefined>();
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState(false);
  const [count, setCount] = useState<AudienceCount>();
  const [sendMode, setSendMode] = useState<SendMode>();
  const [savedAt, setSavedAt] = useState<string>();
  const afterDialog = useRef<string | undefined>(undefined);

  function start(next: MessageInput, from?: Message) {
    setInput(next);
    setSaved(from ? { id: from.id, etag: from.etag, status: from.status, updatedAt: from.updatedAt } : undefined);
    setDirty(false);
    setVariantIndex(0);
    setConflict(false);
    setCount(undefined);
    setSavedAt(undefined);
    setShowErrors(false);
    setError(undefined);
  }

  // a new message starts from defaults; an existing one from the server's copy
  useEffect(() => {
    if (!isNew) return;
    created.current = undefined;
    start({
      topicId: '',
      author: me.name,
      layout: 'standard',
      variants: [emptyVariant(language === 'fr' ? 'fr-FR' : 'en-US')],
      feedback: { reactions: true, acknowledge: false, rating: false, comment: false },
      audience: [],
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isNew]);
  useEffect(() => { if (loaded.data) start(toInput(loaded.data), loaded.data); }, [loaded.data]);

  // pick the first topic once topics arrive, for a message without one
  useEffect(() => {
    const first = topics.data?.[0];
    if (first && input && !input.topicId) setInput({ ...input, topicId: first.id });
  }, [topics.data, input]);

  const change = (patch: Partial<MessageInput>) => {
    setInput((current) => (current ? { ...current, ...patch } : current));
    setDirty(true);
    if (patch.audience) setCount(undefined);
  };
  const setVariant = (i: number, v: MessageVariant) => change({ variants: input!.variants.map((x, j) => (j === i ? v : x)) });

  // the preview follows the typing, a moment behind
  const settled = useDebounced(input, 250);
  const variant = settled?.variants[Math.min(variantIndex, settled.variants.length - 1)];
  const preview = useMemo(
    () => (settled && variant ? buildPreview(settled, variant, { messageId: saved?.id, placeholderTitle: t('composer.preview.placeholderTitle') }) : undefined),
    [settled, variant, saved?.id, t],
  );

  const editable = isNew || saved?.status === 'draft' || saved?.status === 'template';
  const isTemplate = saved?.status === 'template';

  /** Saves (create or update with the ETag); returns the saved id. */
  async function save(): Promise<string | undefined> {
    if (!input) return undefined;
    setError(undefined);
    try {
      const result = saved ? await cc.updateMessage(saved.id, input, saved.etag) : await cc.createMessage(input);
      setSaved({ id: result.id, etag: result.etag, status: result.status, updatedAt: result.updatedAt });
      setDirty(false);
      setSavedAt(new Date().toISOString());
      if (!saved) { created.current = result.id; navigate(`/messages/${result.id}`, { replace: true }); }
      return result.id;
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setConflict(true);
      else setError(err);
      return undefined;
    }
  }

  async function saveDraft() {
    setBusy('save');
    try { await save(); } finally { setBusy(undefined); }
  }

  async function countRecipients(): Promise<AudienceCount> {
    const messageId = dirty || !saved ? await save() : saved.id;
    if (!messageId) throw new Error(t('composer.saveFirst'));
    const result = await cc.countAudience(messageId);
    setCount(result);
    return result;
  }

  const problems: string[] = useMemo(() => {
    if (!input) return [];
    const list: string[] = [];
    if (!input.topicId) list.push(t('composer.problems.topicRequired'));
    input.variants.forEach((v) => {
      for (const p of variantProblems(v)) list.push(`${languageName(v.locale, language)}: ${describeProblem(p, t)}`);
      if (!v.body.trim() && !v.summary?.trim()) list.push(`${languageName(v.locale, language)}: ${t('composer.problems.bodyRequired')}`);
    });
    if (!input.audience.length) list.push(t('audience.required'));
    return list;
  }, [input, language, t]);

  async function prepareSend(mode: SendMode) {
    setShowErrors(true);
    if (problems.length || (preview && preview.problems.some((p) => p.key === 'card'))) {
      setError(new Error(t('composer.fixFirst')));
      return;
    }
    setBusy('prepare');
    setError(undefined);
    try {
      await countRecipients();
      setSendMode(mode);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  }

  async function send(request: SendRequest) {
    const messageId = saved!.id;
    await cc.send(messageId, request);
    afterDialog.current = `/messages/${messageId}/report`;
  }

  async function reloadFromServer() {
    if (!saved) return;
    try {
      const fresh = await cc.message(saved.id);
      start(toInput(fresh), fresh);
    } catch (err) {
      setError(err);
    }
  }

  async function startFromTemplate() {
    if (!saved) return;
    try {
      const copy = await cc.duplicate(saved.id);
      navigate(`/messages/${copy.id}`);
    } catch (err) {
      setError(err);
    }
  }

  const pageTitle = isNew ? t('composer.newTitle') : isTemplate ? t('composer.templateTitle') : editable ? t('composer.editTitle') : t('composer.viewTitle');

  if (loaded.loading || (!input && !loaded.error)) {
    return <Page title={pageTitle} className={styles.page}><AppNav /><LoadingState label={t('composer.loading')} /></Page>;
  }
  if (loaded.error !== undefined && !input) {
    return <Page title={pageTitle} className={styles.page}><AppNav /><ErrorMessage error={loaded.error} onRetry={() => { void loaded.reload(); }} /></Page>;
  }
  if (!input) return null;

  const current = input.variants[Math.min(variantIndex, input.variants.length - 1)]!;
  const usedLocales = new Set(input.variants.map((v) => v.locale));
  const noTopics = topics.data && topics.data.length === 0;

  return (
    <Page title={pageTitle} className={styles.page}>
      <AppNav />
      <div className={styles.actions}>
        {saved && <StatusBadge status={saved.status} />}
        {editable && (
          <Button icon={busy === 'save' ? <Spinner size="tiny" /> : <SaveRegular />} disabledFocusable={!!busy} onClick={() => { void saveDraft(); }} data-testid="save">
            {busy === 'save' ? t('composer.saving') : isTemplate ? t('composer.saveTemplate') : t('composer.saveDraft')}
          </Button>
        )}
        {editable && !isTemplate && (
          <>
            <Button appearance="primary" icon={busy === 'prepare' ? <Spinner size="tiny" /> : <SendRegular />} disabledFocusable={!!busy} onClick={() => { void prepareSend('now'); }} data-testid="send-now">
              {busy === 'prepare' && sendMode !== 'schedule' ? t('composer.preparing') : t('composer.sendNow')}
            </Button>
            <Button icon={<CalendarClockRegular />} disabledFocusable={!!busy} onClick={() => { void prepareSend('schedule'); }} data-testid="schedule">
              {t('composer.schedule')}
            </Button>
          </>
        )}
        {isTemplate && <Button appearance="primary" onClick={() => { void startFromTemplate(); }}>{t('messages.actions.useTemplate')}</Button>}
        <Text className={styles.saved} aria-live="polite" data-testid="save-state">
          {dirty ? t('composer.unsaved') : savedAt ? t('composer.savedAt', { time: formatDateTime(savedAt, language) }) : saved ? t('composer.savedAt', { time: formatDateTime(saved.updatedAt, language) }) : ''}
        </Text>
      </div>

      {conflict && (
        <MessageBar intent="warning" layout="multiline" data-testid="conflict">
          <MessageBarBody>
            <MessageBarTitle>{t('composer.conflict.title')}</MessageBarTitle>
            {t('composer.conflict.body')}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => { void reloadFromServer(); }}>{t('composer.conflict.reload')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      {showErrors && problems.length > 0 && (
        <MessageBar intent="error" layout="multiline" data-testid="problems">
          <MessageBarBody>
            <MessageBarTitle>{t('composer.problems.title')}</MessageBarTitle>
            <ul className={styles.problems}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {!editable && saved && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t('composer.readOnly')}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => navigate(`/messages/${saved.id}/report`)}>{t('messages.actions.report')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      <div className={styles.layout}>
        <fieldset disabled={!editable} className={styles.fieldset}>
          <legend className={styles.visuallyHidden}>{pageTitle}</legend>
          <div className={styles.form}>
            <Section title={t('composer.sections.message')}>
              <div className={styles.fields}>
                <div className={styles.topicRow}>
                  <Field className={styles.grow} label={t('composer.fields.topic')} required validationMessage={showErrors && !input.topicId ? t('composer.problems.topicRequired') : undefined}>
                    <Select value={input.topicId} onChange={(_e, d) => change({ topicId: d.value })} data-testid="topic">
                      {!input.topicId && <option value="">{t('composer.fields.chooseTopic')}</option>}
                      {(topics.data ?? []).map((topic: Topic) => <option key={topic.id} value={topic.id}>{topic.name}</option>)}
                    </Select>
                  </Field>
                  <RouterLink className={styles.link} to="/topics">{t('composer.fields.manageTopics')}</RouterLink>
                </div>
                {noTopics && <MessageBar intent="warning"><MessageBarBody>{t('composer.noTopics')}</MessageBarBody></MessageBar>}
                {topics.error !== undefined && <ErrorMessage error={topics.error} onRetry={() => { void topics.reload(); }} />}
                <Field label={t('composer.fields.layout')}>
                  <RadioGroup layout="horizontal" value={input.layout} onChange={(_e, d) => change({ layout: d.value as MessageInput['layout'] })}>
                    <Radio value="standard" label={t('composer.layouts.standard')} />
                    <Radio value="hero" label={t('composer.layouts.hero')} />
                    <Radio value="compact" label={t('composer.layouts.compact')} />
                  </RadioGroup>
                </Field>
                <Field label={t('composer.fields.author')} hint={t('composer.fields.authorHint')}>
                  <Input value={input.author} maxLength={200} onChange={(_e, d) => change({ author: d.value })} />
                </Field>
              </div>
            </Section>

            <Section title={t('composer.sections.content')}>
              <div className={styles.languages}>
                <SimpleTabs
                  idPrefix="variant"
                  label={t('composer.languages.label')}
                  selected={String(Math.min(variantIndex, input.variants.length - 1))}
                  onSelect={(v) => setVariantIndex(Number(v))}
                  tabs={input.variants.map((v, i) => ({
                    value: String(i),
                    label: i === 0 ? t('composer.languages.tabDefault', { language: languageName(v.locale, language) }) : languageName(v.locale, language),
                  }))}
                />
                <Menu>
                  <MenuTrigger disableButtonEnhancement>
                    <Button appearance="subtle" icon={<AddRegular />}>{t('composer.languages.add')}</Button>
                  </MenuTrigger>
                  <MenuPopover>
                    <MenuList>
                      {variantLocales.filter((l) => !usedLocales.has(l)).map((l) => (
                        <MenuItem key={l} onClick={() => {
                          change({ variants: [...input.variants, { ...emptyVariant(l), links: current.links.map((x) => ({ ...x })), imageUrl: current.imageUrl, imageAltText: '' }] });
                          setVariantIndex(input.variants.length);
                        }}>{languageName(l, language)}</MenuItem>
                      ))}
                    </MenuList>
                  </MenuPopover>
                </Menu>
                {input.variants.length > 1 && (
                  <Button appearance="subtle" icon={<DeleteRegular />} onClick={() => {
                    change({ variants: input.variants.filter((_v, j) => j !== variantIndex) });
                    setVariantIndex(0);
                  }}>{t('composer.languages.remove', { language: languageName(current.locale, language) })}</Button>
                )}
              </div>
              <Text size={200} className={styles.saved} as="p">{t('composer.languages.hint')}</Text>
              <div id="variant-panel" role="tabpanel" aria-labelledby={`variant-tab-${Math.min(variantIndex, input.variants.length - 1)}`}>
              <VariantEditor key={current.locale} variant={current} showErrors={showErrors} onChange={(v) => setVariant(variantIndex, v)} />
              </div>
            </Section>

            <Section title={t('composer.sections.feedback')}>
              <div className={styles.switches}>
                {feedbackKeys.map((key) => (
                  <Switch key={key} checked={input.feedback[key]} label={t(`composer.feedback.${key}`)} onChange={(_e, d) => change({ feedback: { ...input.feedback, [key]: d.checked } })} />
                ))}
              </div>
            </Section>

            <Section title={t('composer.sections.audience')} data-testid="audience">
              <AudiencePicker audience={input.audience} onChange={(audience) => change({ audience })} onCount={countRecipients} count={count} showErrors={showErrors} />
            </Section>
          </div>
        </fieldset>

        <div className={styles.previewColumn}>
          <Section title={t('composer.preview.title', { language: variant ? languageName(variant.locale, language) : '' })} data-testid="preview">
            <div className={styles.previews}>
              <figure className={styles.figure}>
                <figcaption className={styles.caption}>{t('composer.preview.light')}</figcaption>
                <CardPreview card={preview?.card} theme="light" data-testid="preview-light" />
              </figure>
              <figure className={styles.figure}>
                <figcaption className={styles.caption}>{t('composer.preview.dark')}</figcaption>
                <CardPreview card={preview?.card} theme="dark" decorative data-testid="preview-dark" />
              </figure>
            </div>
            {preview && <PreviewStatus bytes={preview.bytes} limit={preview.limit} problems={preview.problems} />}
          </Section>
        </div>
      </div>

      {sendMode && <SendDialog
        open
        mode={sendMode}
        count={count}
        title={input.variants[0]?.title ?? ''}
        onSend={send}
        onDismiss={() => {
          setSendMode(undefined);
          // after the send, on to the report once the dialog is gone (leaving while a modal is up would leave the page aria-hidden)
          const to = afterDialog.current;
          afterDialog.current = undefined;
          if (to) setTimeout(() => navigate(to), 0);
        }}
      />}
    </Page>
  );
}

function describeProblem(p: PreviewProblem, t: (key: string, opts?: Record<string, unknown>) => string): string {
  switch (p.key) {
    case 'card': return t('composer.problems.card', { detail: p.detail });
    case 'linkIncomplete': return t('composer.problems.linkIncomplete', { n: p.link });
    case 'linkUrl': return t('composer.problems.linkUrl', { n: p.link });
    default: return t(`composer.problems.${p.key}`);
  }
}

function PreviewStatus({ bytes, limit, problems }: { bytes: number; limit: number; problems: PreviewProblem[] }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const kb = (n: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(n / 1024);
  const over = bytes > limit;
  const cardProblems = problems.filter((p) => p.key === 'card');
  return (
    <div className={styles.previewMeta}>
      <Field
        label={t('composer.preview.size')}
        validationState={over ? 'error' : bytes > limit * 0.8 ? 'warning' : 'success'}
        validationMessage={t(over ? 'composer.preview.sizeOver' : 'composer.preview.sizeOk', { size: kb(bytes), limit: kb(limit) })}
      >
        <ProgressBar value={Math.min(1, bytes / limit)} max={1} color={over ? 'error' : bytes > limit * 0.8 ? 'warning' : 'brand'} data-testid="card-size" aria-valuetext={t('composer.preview.sizeOk', { size: kb(bytes), limit: kb(limit) })} />
      </Field>
      {cardProblems.length > 0 ? (
        <MessageBar intent="error" layout="multiline" data-testid="card-errors">
          <MessageBarBody>
            <MessageBarTitle>{t('composer.preview.invalid')}</MessageBarTitle>
            <ul className={styles.problems}>{cardProblems.map((p) => <li key={p.key === 'card' ? p.detail : p.key}>{p.key === 'card' ? p.detail : ''}</li>)}</ul>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <Text size={200} className={styles.saved} data-testid="card-valid">{t('composer.preview.valid')}</Text>
      )}
    </div>
  );
}
