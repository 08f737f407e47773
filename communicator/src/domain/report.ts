import { REACTIONS } from '@teamspro/templates';
import type { DeliveryProblem, DeliveryStatus, Message, RecipientRow as RecipientView, Report } from '../api/contract.js';
import type { CounterMeta } from '../store/counter-store.js';
import type { FeedbackRecord } from '../store/feedback-store.js';
import type { RecipientRecord } from '../store/recipient-store.js';
import { Counter, countsFrom } from './counts.js';

/**
 * Buttons are reported under the title they have in the default (first) variant; a repeated title
 * gets its position added, so every button keeps its own entry.
 */
export function buttonLabels(message: Pick<Message, 'variants'>): string[] {
  const titles = message.variants[0]?.links.map((l) => l.title) ?? [];
  return titles.map((t, i) => (titles.indexOf(t) === i ? t : `${t} (${i + 1})`));
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

export function reportFrom(message: Message, totals: { meta?: CounterMeta; sums: Record<string, number> }, feedback: Array<FeedbackRecord & { rowKey: string }>, problems: DeliveryProblem[] = []): Report {
  const counts = countsFrom(totals);
  const n = (k: string) => totals.sums[k] ?? 0;
  const clickRate: Record<string, number> = {};
  buttonLabels(message).forEach((label, i) => { clickRate[label] = rate(n(Counter.button(i)), counts.sent); });
  const reactions: Record<string, number> = {};
  for (const r of REACTIONS) reactions[r] = n(Counter.reaction(r));
  const ratings = { '1': n(Counter.rating(1)), '2': n(Counter.rating(2)), '3': n(Counter.rating(3)), '4': n(Counter.rating(4)), '5': n(Counter.rating(5)) };
  const comments = feedback.filter((f) => f.comment).sort((a, b) => a.at.localeCompare(b.at))
    .map((f) => ({ recipientId: f.recipientKey, name: f.name, comment: f.comment!, at: f.at }));
  return {
    message: { ...message, counts },
    counts,
    readRate: rate(counts.read, counts.sent),
    clickRate,
    feedback: { reactions, acknowledged: n(Counter.acknowledged), ratings, comments },
    problems,
  };
}

/** A stored recipient as the report shows it ("sending" is still queued from the author's point of view). */
export function recipientView(key: string, r: RecipientRecord, labels: string[], feedback?: FeedbackRecord): RecipientView {
  const status: DeliveryStatus = r.status === 'sending' ? 'queued' : r.status;
  const clicks: Record<string, number> = {};
  for (const [index, count] of Object.entries(r.clicks ?? {})) clicks[labels[Number(index)] ?? `button ${Number(index) + 1}`] = count;
  return {
    recipientId: key,
    kind: r.kind,
    name: r.name,
    ...(r.upn ? { upn: r.upn } : {}),
    locale: r.locale ?? '',
    status,
    ...(r.failureReason && r.status === 'failed' ? { failureReason: r.failureReason } : {}),
    ...(r.unconfirmed ? { unconfirmed: true } : {}),
    retries: r.retries,
    ...(r.sentAt ? { sentAt: r.sentAt } : {}),
    ...(r.readAt ? { readAt: r.readAt } : {}),
    ...(r.kind === 'channel' ? { viewers: r.viewers ?? 0 } : {}),
    clicks,
    ...(feedback ? { feedback: {
      ...(feedback.reaction ? { reaction: feedback.reaction } : {}),
      ...(feedback.acknowledged ? { acknowledged: true } : {}),
      ...(feedback.rating ? { rating: feedback.rating } : {}),
      ...(feedback.comment ? { comment: feedback.comment } : {}),
      at: feedback.at,
    } } : {}),
  };
}
