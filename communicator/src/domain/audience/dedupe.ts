import type { RecipientRecord } from '../../store/recipient-store.js';
import type { Candidate, ResolvedAudience } from './types.js';

/** One record from two sightings of the same person: a deliverable one wins, and gaps (missing or empty fields, e.g. a name) are filled. */
function merge(a: RecipientRecord, b: RecipientRecord): RecipientRecord {
  const [first, second] = a.status === 'failed' && b.status !== 'failed' ? [b, a] : [a, b];
  const merged: RecipientRecord = { ...second, ...Object.fromEntries(Object.entries(first).filter(([, v]) => v !== undefined && v !== '')) } as RecipientRecord;
  merged.sources = [...new Set([...(a.sources ?? []), ...(b.sources ?? [])])];
  if (merged.status !== 'failed') {
    delete merged.failureReason;
    delete merged.resolveFailed;
    delete merged.counted;
  }
  return merged;
}

/** De-duplicates by recipient key (the AAD object id for people) across every source. */
export function dedupe(candidates: Candidate[], sourceOrder: string[]): ResolvedAudience {
  const byKey = new Map<string, RecipientRecord>();
  const counts = new Map<string, number>(sourceOrder.map((s) => [s, 0]));
  for (const c of candidates) {
    counts.set(c.source, (counts.get(c.source) ?? 0) + 1);
    const record = { ...c.record, sources: [c.source] };
    const seen = byKey.get(c.key);
    byKey.set(c.key, seen ? merge(seen, record) : record);
  }
  const bySource = [...counts].map(([source, count]) => ({ source, count }));
  const total = bySource.reduce((n, s) => n + s.count, 0);
  return { recipients: [...byKey].map(([key, record]) => ({ key, record })), bySource, duplicatesRemoved: total - byKey.size };
}
