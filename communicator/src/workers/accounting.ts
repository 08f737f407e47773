import type { TenantScope } from '@teamspro/core';
import { Counter } from '../domain/counts.js';
import type { Services } from '../services.js';
import { messageIdOf, recordOf, type RecipientRow } from '../store/recipient-store.js';

const isFinal = (r: { status: string }) => r.status === 'sent' || r.status === 'failed';

/**
 * Adds a final row to the counters once: the worker whose conditional write flips `counted` is the
 * one that counts, so two deliveries of the same job cannot both count it. A crash between the flip
 * and the counter write under-counts; the finalize job repairs that (see repairCounters).
 */
export async function countRecipient(s: Services, scope: TenantScope, row: RecipientRow): Promise<RecipientRow> {
  if (row.counted || !isFinal(row)) return row;
  const marked = await s.recipients.mutateRow(scope, row, (current) => current && !current.counted && isFinal(current) ? { ...recordOf(current), counted: true } : undefined);
  if (marked) {
    await s.counters.add(scope, messageIdOf(row), row.rowKey, {
      [marked.status === 'sent' ? Counter.sent : Counter.failed]: 1,
      [Counter.retried]: marked.retries > 0 ? 1 : 0,
    });
  }
  return marked ?? row;
}

/**
 * The rare path: a send that stopped progressing with every row final (a worker died between
 * claiming a row and counting it). Recounts the rows once and adds the difference, so the counters
 * match the rows again. Not used while any row is still queued or sending.
 */
export async function repairCounters(s: Services, scope: TenantScope, messageId: string): Promise<boolean> {
  const rows = await s.recipients.listAll(scope, messageId);
  if (rows.some((r) => !isFinal(r))) return false;
  const actual = { sent: 0, failed: 0, retried: 0 };
  for (const r of rows) {
    if (r.resolveFailed) continue; // counted by the meta row
    if (r.status === 'sent') actual.sent++;
    else actual.failed++;
    if (r.retries > 0) actual.retried++;
    if (!r.counted) await s.recipients.mutateRow(scope, r, (c) => (c ? { ...recordOf(c), counted: true } : undefined));
  }
  const { sums } = await s.counters.totals(scope, messageId);
  await s.counters.add(scope, messageId, 'repair', {
    [Counter.sent]: actual.sent - (sums[Counter.sent] ?? 0),
    [Counter.failed]: actual.failed - (sums[Counter.failed] ?? 0),
    [Counter.retried]: actual.retried - (sums[Counter.retried] ?? 0),
  });
  return true;
}
