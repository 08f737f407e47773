import type { DeliveryCounts } from '../api/contract.js';
import type { CounterMeta } from '../store/counter-store.js';

/** Counter names kept per message (summed over shards). */
export const Counter = {
  sent: 'sent',
  failed: 'failed',
  retried: 'retried',
  read: 'read',
  clicks: 'clicks',
  feedback: 'feedback',
  acknowledged: 'acknowledged',
  comments: 'comments',
  button: (index: number) => `btn_${index}`,
  reaction: (reaction: string) => `react_${reaction}`,
  rating: (rating: number) => `rating_${rating}`,
} as const;

export function countsFrom(totals: { meta?: CounterMeta; sums: Record<string, number> }): DeliveryCounts {
  const n = (k: string) => totals.sums[k] ?? 0;
  const recipients = totals.meta?.recipients ?? 0;
  const sent = n(Counter.sent);
  const failed = (totals.meta?.preFailed ?? 0) + n(Counter.failed);
  return {
    recipients, sent, failed,
    queued: Math.max(0, recipients - sent - failed),
    retried: n(Counter.retried), read: n(Counter.read), clicks: n(Counter.clicks), feedback: n(Counter.feedback),
  };
}
