import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  Button,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowRepeatAllRegular, CopyRegular, DismissCircleRegular, EditRegular } from '@fluentui/react-icons';
import { ConfirmDialog, ErrorMessage, LoadingState, Page, Section, useAppTranslation, useSession } from '@teamspro/core/tab';
import { activeStatuses, useCommunicatorApi, type RecipientRow, type Report } from '../api/communicator-api.js';
import { saveFile } from '../api/download.js';
import { AppNav } from '../components/AppNav.js';
import { DeliveryProgress } from '../components/DeliveryProgress.js';
import { BarList, StatGrid } from '../components/Stats.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { AfterSendPanel } from '../components/AfterSendPanel.js';
import { useLoad } from '../hooks/useLoad.js';
import { usePolling } from '../hooks/usePolling.js';
import { formatDateTime, formatNumber, formatPercent } from '../lib/format.js';

const pollMs = 2500;
const reactionOrder = ['like', 'celebrate', 'insightful', 'curious'];

const useStyles = makeStyles({
  page: { maxWidth: '1200px' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  meta: { color: tokens.colorNeutralForeground2 },
  sectionBody: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: tokens.spacingHorizontalXL },
  subheading: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  comments: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  comment: { padding: tokens.spacingVerticalS, borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM },
  commentText: { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, margin: 0 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '640px' },
  failed: { color: tokens.colorPaletteRedForeground1 },
  filter: { maxWidth: '360px' },
  more: { display: 'flex', justifyContent: 'center', marginTop: tokens.spacingVerticalM },
  problems: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  problemReason: { overflowWrap: 'anywhere' },
  problemSection: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** #/messages/:id/report — delivery (live while sending), reads, clicks, feedback, recipients; resend and export. */
export function ReportScreen() {
  const { id = '' } = useParams();
  const { t } = useAppTranslation();
  const { language } = useSession();
  const cc = useCommunicatorApi();
  const navigate = useNavigate();
  const styles = useStyles();
  const report = useLoad((signal) => cc.report(id, signal), [cc, id]);
  const [recipientsVersion, setRecipientsVersion] = useState(0);
  const [confirm, setConfirm] = useState<'failed' | 'unread' | 'cancel'>();
  const [exporting, setExporting] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  // where to go once the open dialog has closed (leaving while a modal dialog is up would leave the page aria-hidden)
  const afterDialog = useRef<string | undefined>(undefined);
  const goAfterDialog = () => {
    const to = afterDialog.current;
    afterDialog.current = undefined;
    if (to) setTimeout(() => navigate(to), 0);
  };

  const status = report.data?.message.status;
  const live = status !== undefined && activeStatuses.has(status);
  usePolling(async () => { await report.reload(); setRecipientsVersion((v) => v + 1); }, pollMs, live);
  // one last refresh of the recipients when delivery ends
  const wasLive = useRef(false);
  useEffect(() => {
    if (wasLive.current && !live) setRecipientsVersion((v) => v + 1);
    wasLive.current = live;
  }, [live]);

  async function exportXlsx() {
    setExporting(true);
    setActionError(undefined);
    try {
      saveFile(await cc.exportXlsx(id), `report-${id}.xlsx`);
    } catch (err) {
      setActionError(err);
    } finally {
      setExporting(false);
    }
  }

  async function duplicate() {
    try { const copy = await cc.duplicate(id); navigate(`/messages/${copy.id}`); } catch (err) { setActionError(err); }
  }

  const title = report.data?.message.variants[0]?.title;
  const pageTitle = title ? t('report.title', { title }) : t('report.titleShort');

  if (report.loading) return <Page title={pageTitle}><AppNav /><LoadingState label={t('report.loading')} /></Page>;
  if (!report.data) return <Page title={pageTitle}><AppNav /><ErrorMessage error={report.error} onRetry={() => { void report.reload(); }} /></Page>;

  const r: Report = report.data;
  const m = r.message;
  const counts = r.counts;
  const n = (v: number) => formatNumber(v, language);
  const canCancel = m.status === 'scheduled' || live;
  const delivered = counts.sent;
  const unread = Math.max(0, delivered - counts.read);

  return (
    <Page title={pageTitle} className={styles.page}>
      <AppNav />
      <div className={styles.actions}>
        <StatusBadge status={m.status} />
        <Text className={styles.meta}>
          {m.sendAt ? t(m.status === 'scheduled' ? 'report.scheduledFor' : 'report.sentOn', { date: formatDateTime(m.sendAt, language, m.status === 'scheduled' ? m.timeZone : undefined) }) : ''}
          {m.status === 'scheduled' && m.timeZone ? ` (${m.timeZone})` : ''}
        </Text>
      </div>
      <div className={styles.actions}>
        <Button icon={<ArrowRepeatAllRegular />} disabled={counts.failed === 0 || live} onClick={() => setConfirm('failed')} data-testid="resend-failed">{t('report.resendFailed')}</Button>
        <Button icon={<ArrowRepeatAllRegular />} disabled={unread === 0 || live} onClick={() => setConfirm('unread')} data-testid="resend-unread">{t('report.resendUnread')}</Button>
        <Button icon={exporting ? <Spinner size="tiny" /> : <ArrowDownloadRegular />} disabled={exporting} onClick={() => { void exportXlsx(); }} data-testid="export">
          {exporting ? t('report.exporting') : t('report.export')}
        </Button>
        <Button icon={<CopyRegular />} onClick={() => { void duplicate(); }}>{t('messages.actions.duplicate')}</Button>
        {m.status === 'draft' && <Button icon={<EditRegular />} onClick={() => navigate(`/messages/${m.id}`)}>{t('messages.actions.edit')}</Button>}
        {canCancel && <Button icon={<DismissCircleRegular />} onClick={() => setConfirm('cancel')}>{t('messages.actions.cancelSend')}</Button>}
      </div>
      <AfterSendPanel message={m} onChanged={report.reload} />
      {actionError !== undefined && <ErrorMessage error={actionError} />}
      {report.error !== undefined && <ErrorMessage intent="warning" error={report.error} onRetry={() => { void report.reload(); }} />}
      {r.problems.length > 0 && <Problems report={r} />}

      <Section title={t('report.delivery')} data-testid="delivery">
        <div className={styles.sectionBody} aria-live="polite" aria-atomic="false">
          <DeliveryProgress counts={counts} status={m.status} label={live ? t('progress.labelLive') : t('progress.label')} />
          <StatGrid stats={[
            { id: 'recipients', label: t('report.stats.recipients'), value: n(counts.recipients) },
            { id: 'sent', label: t('report.stats.sent'), value: n(counts.sent) },
            { id: 'failed', label: t('report.stats.failed'), value: n(counts.failed) },
            { id: 'retried', label: t('report.stats.retried'), value: n(counts.retried) },
            { id: 'read', label: t('report.stats.read'), value: formatPercent(r.readRate, language), detail: t('report.stats.readDetail', { n: n(counts.read), count: counts.read }) },
            { id: 'clicks', label: t('report.stats.clicks'), value: n(counts.clicks) },
          ]} />
          {m.status === 'scheduled' && <MessageBar intent="info"><MessageBarBody>{t('report.notYet')}</MessageBarBody></MessageBar>}
        </div>
      </Section>

      <div className={styles.columns}>
        <Section title={t('report.clicks')} data-testid="clicks">
          <ClickRates report={r} />
        </Section>
        <Section title={t('report.feedback')} data-testid="feedback">
          <Feedback report={r} />
        </Section>
      </div>

      <Section title={t('report.recipients')} data-testid="recipients">
        <Recipients messageId={id} version={recipientsVersion} />
      </Section>

      {(confirm === 'failed' || confirm === 'unread') && <ConfirmDialog
        open
        title={confirm === 'failed' ? t('report.confirmResend.failedTitle') : t('report.confirmResend.unreadTitle')}
        confirmLabel={t('report.confirmResend.confirm', { count: confirm === 'failed' ? counts.failed : unread, n: n(confirm === 'failed' ? counts.failed : unread) })}
        cancelLabel={t('common.cancel')}
        busyLabel={t('send.sending')}
        onDismiss={() => { setConfirm(undefined); goAfterDialog(); }}
        onConfirm={async () => {
          const next = await cc.resend(id, confirm === 'failed' ? 'failed' : 'unread');
          afterDialog.current = `/messages/${next.id}/report`;
        }}
      >
        {confirm === 'failed' ? t('report.confirmResend.failedBody', { count: counts.failed, n: n(counts.failed) }) : t('report.confirmResend.unreadBody', { count: unread, n: n(unread) })}
      </ConfirmDialog>}
      {confirm === 'cancel' && <ConfirmDialog
        open
        title={t('messages.confirmCancel.title')}
        confirmLabel={t('messages.actions.cancelSend')}
        cancelLabel={t('messages.confirmCancel.keep')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={() => setConfirm(undefined)}
        onConfirm={async () => { await cc.cancel(id); await report.reload(); }}
      >
        {t(m.status === 'scheduled' ? 'messages.confirmCancel.scheduled' : 'messages.confirmCancel.sending', { title: title ?? '' })}
      </ConfirmDialog>}
    </Page>
  );
}

/** Jobs of this send that failed for good: what they were for, why, and when. */
function Problems({ report }: { report: Report }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const label = t('report.problems.label', { count: report.problems.length });
  return (
    <section aria-label={label} className={styles.problemSection} data-testid="problems">
      <p className={styles.muted}>{label}. {t('report.problems.hint')}</p>
      <ul className={styles.problems}>
        {report.problems.map((p) => (
          <li key={`${p.at}-${p.what}`} data-testid="problem">
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{p.what}</MessageBarTitle>{' '}
                <span className={styles.problemReason}>{p.reason}</span> <Text size={200}>({t('report.problems.at', { date: formatDateTime(p.at, language) })})</Text>
              </MessageBarBody>
            </MessageBar>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ClickRates({ report }: { report: Report }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const links = report.message.variants[0]?.links ?? [];
  // the server keys rates by button index (or title); one bar per button, then anything else it reports
  const matched = new Set<string>();
  const bars = links.map((link, i) => {
    const key = [String(i), link.title, link.url].find((k) => k in report.clickRate);
    if (key) matched.add(key);
    return { id: String(i), label: link.title, rate: key ? report.clickRate[key]! : 0 };
  });
  for (const [key, rate] of Object.entries(report.clickRate)) if (!matched.has(key)) bars.push({ id: `x-${key}`, label: key, rate });
  if (!bars.length) return <p className={styles.muted}>{t('report.noButtons')}</p>;
  return (
    <BarList data-testid="click-rates" bars={bars.map((b) => ({ id: b.id, label: b.label, value: b.rate, max: 1, text: t('report.clickRate', { rate: formatPercent(b.rate, language) }) }))} />
  );
}

function Feedback({ report }: { report: Report }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const { feedback: fb, counts, message } = report;
  const n = (v: number) => formatNumber(v, language);
  const options = message.feedback;
  const reactions = [...new Set([...reactionOrder, ...Object.keys(fb.reactions)])];
  const reactionTotal = Object.values(fb.reactions).reduce((a, b) => a + b, 0);
  const ratings = (['5', '4', '3', '2', '1'] as const).map((k) => ({ k, count: fb.ratings[k] ?? 0 }));
  const ratingTotal = ratings.reduce((a, r) => a + r.count, 0);
  const average = ratingTotal ? ratings.reduce((a, r) => a + Number(r.k) * r.count, 0) / ratingTotal : 0;
  const anything = options.reactions || options.acknowledge || options.rating || options.comment;
  if (!anything) return <p className={styles.muted}>{t('report.noFeedbackAsked')}</p>;
  return (
    <div className={styles.sectionBody}>
      {options.reactions && (
        <div>
          <h3 className={styles.subheading}>{t('report.reactions')}</h3>
          <BarList data-testid="reactions" bars={reactions.map((r) => ({ id: r, label: t(`report.reaction.${r}`, { defaultValue: r }), value: fb.reactions[r] ?? 0, max: Math.max(1, reactionTotal), text: n(fb.reactions[r] ?? 0) }))} />
        </div>
      )}
      {options.acknowledge && (
        <p className={styles.muted} data-testid="acknowledged">{t('report.acknowledged', { count: fb.acknowledged, n: n(fb.acknowledged), of: n(counts.sent) })}</p>
      )}
      {options.rating && (
        <div>
          <h3 className={styles.subheading}>{t('report.ratings')}</h3>
          <p className={styles.muted}>{ratingTotal ? t('report.averageRating', { average: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(average), count: ratingTotal, n: n(ratingTotal) }) : t('report.noRatings')}</p>
          <BarList data-testid="ratings" bars={ratings.map((r) => ({ id: r.k, label: t('report.stars', { count: Number(r.k) }), value: r.count, max: Math.max(1, ratingTotal), text: n(r.count) }))} />
        </div>
      )}
      {options.comment && (
        <div>
          <h3 className={styles.subheading}>{t('report.comments', { count: fb.comments.length })}</h3>
          {fb.comments.length === 0 ? <p className={styles.muted}>{t('report.noComments')}</p> : (
            <ul className={styles.comments} data-testid="comments">
              {fb.comments.map((c) => (
                <li key={`${c.recipientId}-${c.at}`} className={styles.comment}>
                  <p className={styles.commentText}>{c.comment}</p>
                  <Text size={200} className={styles.muted}>{c.name} · {formatDateTime(c.at, language)}</Text>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

const statusFilters = ['', 'queued', 'sent', 'failed'] as const;

function Recipients({ messageId, version }: { messageId: string; version: number }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [status, setStatus] = useState<(typeof statusFilters)[number]>('');
  const [rows, setRows] = useState<RecipientRow[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [pages, setPages] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();

  const loadFirst = useCallback(async (signal?: AbortSignal) => {
    setError(undefined);
    try {
      const page = await cc.recipients(messageId, { status: status || undefined }, signal);
      if (signal?.aborted) return;
      setRows(page.items);
      setCursor(page.cursor);
      setPages(1);
    } catch (err) {
      if (!signal?.aborted) setError(err);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, [cc, messageId, status]);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    void loadFirst(abort.signal);
    return () => abort.abort();
  }, [loadFirst]);

  // live updates refresh the first page, unless the author has paged further
  useEffect(() => {
    if (version > 0 && pages <= 1) void loadFirst();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  async function more() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await cc.recipients(messageId, { status: status || undefined, cursor });
      setRows((r) => [...r, ...page.items]);
      setCursor(page.cursor);
      setPages((p) => p + 1);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className={styles.sectionBody}>
      <Field className={styles.filter} label={t('report.filterStatus')} orientation="horizontal">
        <Select value={status} onChange={(_e, d) => setStatus(d.value as typeof status)} data-testid="recipient-filter">
          {statusFilters.map((s) => <option key={s} value={s}>{t(`report.recipientStatus.${s || 'all'}`)}</option>)}
        </Select>
      </Field>
      {error !== undefined && <ErrorMessage error={error} onRetry={() => { void loadFirst(); }} />}
      {loading && rows.length === 0 ? <LoadingState label={t('common.loading')} /> : rows.length === 0 ? <p className={styles.muted} data-testid="no-recipients">{t('report.noRecipients')}</p> : (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={t('report.recipients')}>
          <Table className={styles.table} size="small" data-testid="recipient-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('report.columns.name')}</TableHeaderCell>
                <TableHeaderCell>{t('report.columns.status')}</TableHeaderCell>
                <TableHeaderCell>{t('report.columns.sentAt')}</TableHeaderCell>
                <TableHeaderCell>{t('report.columns.readAt')}</TableHeaderCell>
                <TableHeaderCell>{t('report.columns.retries')}</TableHeaderCell>
                <TableHeaderCell>{t('report.columns.reason')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.recipientId}>
                  <TableCell>{row.name || row.upn || t('report.unnamed', { id: row.recipientId })}{row.name && row.upn && row.upn !== row.name ? ` (${row.upn})` : ''}{row.kind === 'channel' ? ` · ${t('report.channel')}` : ''}</TableCell>
                  <TableCell className={row.status === 'failed' ? styles.failed : undefined}>{t(`report.recipientStatus.${row.status}`)}{row.unconfirmed ? ` (${t('report.unconfirmed')})` : ''}</TableCell>
                  <TableCell>{formatDateTime(row.sentAt, language)}</TableCell>
                  <TableCell>{formatDateTime(row.readAt, language)}{row.kind === 'channel' && row.viewers ? ` · ${t('report.viewers', { n: formatNumber(row.viewers, language), count: row.viewers })}` : ''}</TableCell>
                  <TableCell>{formatNumber(row.retries, language)}</TableCell>
                  <TableCell>{row.failureReason ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {cursor && (
        <div className={styles.more}>
          <Button disabled={loading} icon={loading ? <Spinner size="tiny" /> : undefined} onClick={() => { void more(); }}>{t('report.loadMore')}</Button>
        </div>
      )}
    </div>
  );
}
