import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  Button,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  AddRegular,
  CopyRegular,
  DataBarVerticalRegular,
  DeleteRegular,
  DismissCircleRegular,
  DocumentCopyRegular,
  EditRegular,
  MoreHorizontalRegular,
} from '@fluentui/react-icons';
import { ConfirmDialog, ErrorMessage, LoadingState, Page, SignedInUser, useAppTranslation, useSession } from '@teamspro/core/tab';
import { activeStatuses, useCommunicatorApi, type MessageFilter, type MessageSummary, type Topic } from '../api/communicator-api.js';
import { AppNav } from '../components/AppNav.js';
import { DeliveryProgress } from '../components/DeliveryProgress.js';
import { SimpleTabs } from '../components/SimpleTabs.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useLoad } from '../hooks/useLoad.js';
import { usePolling } from '../hooks/usePolling.js';
import { formatDateTime } from '../lib/format.js';

const filters: MessageFilter[] = ['draft', 'scheduled', 'sending', 'sent', 'template'];
const pollMs = 2500;

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    '@media (max-width: 599px)': { gridTemplateColumns: 'minmax(0, 1fr)', padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}` },
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  titleLink: {
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    ':hover': { textDecorationLine: 'underline', color: tokens.colorBrandForegroundLinkHover },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, borderRadius: tokens.borderRadiusSmall },
  },
  meta: { display: 'flex', flexWrap: 'wrap', gap: `0 ${tokens.spacingHorizontalL}`, margin: 0, color: tokens.colorNeutralForeground2 },
  metaItem: { display: 'flex', gap: tokens.spacingHorizontalXS },
  metaTerm: { fontWeight: tokens.fontWeightSemibold },
  metaValue: { margin: 0, overflowWrap: 'anywhere' },
  progress: { gridColumn: '1 / -1' },
  actions: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS },
  empty: { padding: tokens.spacingVerticalXL, textAlign: 'center', color: tokens.colorNeutralForeground2, backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge },
});

type Pending = { kind: 'delete' | 'cancel'; message: MessageSummary } | undefined;

/** #/personal: the author's messages by status, with live delivery progress and per-row actions. */
export function MessagesScreen() {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const navigate = useNavigate();
  const styles = useStyles();
  const [filter, setFilter] = useState<MessageFilter>('draft');
  const [pending, setPending] = useState<Pending>();
  const [actionError, setActionError] = useState<unknown>();

  const messages = useLoad((signal) => cc.messages(filter, signal), [cc, filter]);
  const topics = useLoad((signal) => cc.topics(signal), [cc]);
  const topicNames = useMemo(() => new Map((topics.data ?? []).map((topic: Topic) => [topic.id, topic.name])), [topics.data]);
  const live = (messages.data ?? []).some((m) => activeStatuses.has(m.status));
  usePolling(async () => { await messages.reload(); }, pollMs, live);

  async function run(action: () => Promise<unknown>) {
    setActionError(undefined);
    try { await action(); } catch (err) { setActionError(err); }
  }

  const open = (m: MessageSummary) => navigate(m.status === 'draft' || m.status === 'template' ? `/messages/${m.id}` : `/messages/${m.id}/report`);

  return (
    <Page title={t('home.title')}>
      <AppNav />
      <div className={styles.toolbar}>
        <SimpleTabs
          idPrefix="messages"
          label={t('messages.filterLabel')}
          selected={filter}
          onSelect={setFilter}
          tabs={filters.map((f) => ({ value: f, label: t(`messages.filters.${f}`), testId: `filter-${f}` }))}
        />
        <Button appearance="primary" icon={<AddRegular />} onClick={() => navigate('/messages/new')}>{t('messages.new')}</Button>
      </div>
      {actionError !== undefined && <ErrorMessage error={actionError} />}
      <section id="messages-panel" role="tabpanel" aria-labelledby={`messages-tab-${filter}`} aria-busy={messages.loading} data-testid="message-list">
        {messages.loading ? <LoadingState label={t('messages.loading')} />
          : messages.error !== undefined && !messages.data ? <ErrorMessage error={messages.error} onRetry={() => { void messages.reload(); }} />
          : !messages.data?.length ? <p className={styles.empty}>{t(`messages.empty.${filter}`)}</p>
          : (
            <ul className={styles.list}>
              {messages.data.map((m) => (
                <MessageRow
                  key={m.id}
                  message={m}
                  topic={topicNames.get(m.topicId)}
                  onOpen={() => open(m)}
                  onEdit={() => navigate(`/messages/${m.id}`)}
                  onReport={() => navigate(`/messages/${m.id}/report`)}
                  onDuplicate={() => run(async () => { const copy = await cc.duplicate(m.id); navigate(`/messages/${copy.id}`); })}
                  onTemplate={() => run(async () => { await cc.saveAsTemplate(m.id); setFilter('template'); })}
                  onDelete={() => setPending({ kind: 'delete', message: m })}
                  onCancel={() => setPending({ kind: 'cancel', message: m })}
                />
              ))}
            </ul>
          )}
      </section>
      <SignedInUser />
      {pending?.kind === 'delete' && <ConfirmDialog
        open
        title={t('messages.confirmDelete.title')}
        confirmLabel={t('messages.actions.delete')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={() => setPending(undefined)}
        onConfirm={async () => { if (pending) { await cc.deleteMessage(pending.message.id); await messages.reload(); } }}
      >
        {t('messages.confirmDelete.body', { title: pending?.message.title ?? '' })}
      </ConfirmDialog>}
      {pending?.kind === 'cancel' && <ConfirmDialog
        open
        title={t('messages.confirmCancel.title')}
        confirmLabel={t('messages.actions.cancelSend')}
        cancelLabel={t('messages.confirmCancel.keep')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={() => setPending(undefined)}
        onConfirm={async () => { if (pending) { await cc.cancel(pending.message.id); await messages.reload(); } }}
      >
        {t(pending?.message.status === 'scheduled' ? 'messages.confirmCancel.scheduled' : 'messages.confirmCancel.sending', { title: pending?.message.title ?? '' })}
      </ConfirmDialog>}
    </Page>
  );
}

type RowProps = {
  message: MessageSummary;
  topic?: string;
  onOpen: () => void;
  onEdit: () => void;
  onReport: () => void;
  onDuplicate: () => void;
  onTemplate: () => void;
  onDelete: () => void;
  onCancel: () => void;
};

function MessageRow({ message: m, topic, onOpen, onEdit, onReport, onDuplicate, onTemplate, onDelete, onCancel }: RowProps) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const editable = m.status === 'draft' || m.status === 'template';
  const cancelable = m.status === 'scheduled' || activeStatuses.has(m.status);
  const delivered = !editable && m.status !== 'scheduled';
  const title = m.title || t('messages.untitled');
  return (
    <li className={styles.row} data-testid="message-row" data-message-id={m.id}>
      <div>
        <div className={styles.head}>
          <h2 className={styles.title}>
            <a className={styles.titleLink} href={`#/messages/${m.id}${delivered ? '/report' : ''}`} onClick={(e) => { e.preventDefault(); onOpen(); }}>{title}</a>
          </h2>
          <StatusBadge status={m.status} />
        </div>
        <dl className={styles.meta}>
          <Meta term={t('messages.topic')} value={topic ?? t('messages.noTopic')} />
          {m.author && <Meta term={t('messages.author')} value={m.author} />}
          {m.sendAt
            ? <Meta term={m.status === 'scheduled' ? t('messages.scheduledFor') : t('messages.sentOn')} value={formatDateTime(m.sendAt, language)} />
            : <Meta term={t('messages.updated')} value={formatDateTime(m.updatedAt, language)} />}
          <Meta term={t('messages.created')} value={formatDateTime(m.createdAt, language)} />
        </dl>
      </div>
      <div className={styles.actions}>
        {editable && <Button appearance="subtle" icon={<EditRegular />} onClick={onEdit} aria-label={t('messages.actions.editNamed', { title })}>{t('messages.actions.edit')}</Button>}
        {delivered && <Button appearance="subtle" icon={<DataBarVerticalRegular />} onClick={onReport} aria-label={t('messages.actions.reportNamed', { title })}>{t('messages.actions.report')}</Button>}
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={t('messages.actions.moreNamed', { title })} />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {editable && <MenuItem icon={<EditRegular />} onClick={onEdit}>{t('messages.actions.edit')}</MenuItem>}
              {!editable && <MenuItem icon={<DataBarVerticalRegular />} onClick={onReport}>{t('messages.actions.report')}</MenuItem>}
              <MenuItem icon={<CopyRegular />} onClick={onDuplicate}>{m.status === 'template' ? t('messages.actions.useTemplate') : t('messages.actions.duplicate')}</MenuItem>
              {m.status !== 'template' && <MenuItem icon={<DocumentCopyRegular />} onClick={onTemplate}>{t('messages.actions.saveAsTemplate')}</MenuItem>}
              {cancelable && <MenuItem icon={<DismissCircleRegular />} onClick={onCancel}>{t('messages.actions.cancelSend')}</MenuItem>}
              {editable && <MenuItem icon={<DeleteRegular />} onClick={onDelete}>{t('messages.actions.delete')}</MenuItem>}
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>
      {(delivered || activeStatuses.has(m.status)) && m.status !== 'canceled' && (
        <div className={styles.progress}>
          <DeliveryProgress counts={m.counts} status={m.status} label={t('progress.label')} />
        </div>
      )}
      {m.status === 'canceled' && m.counts.sent > 0 && (
        <MessageBar intent="info" className={styles.progress}><MessageBarBody>{t('messages.canceledAfter', { count: m.counts.sent })}</MessageBarBody></MessageBar>
      )}
    </li>
  );
}

function Meta({ term, value }: { term: string; value: string }) {
  const styles = useStyles();
  return (
    <div className={styles.metaItem}>
      <dt className={styles.metaTerm}><Text size={200} weight="semibold">{term}</Text></dt>
      <dd className={styles.metaValue}><Text size={200}>{value}</Text></dd>
    </div>
  );
}

