import type { TableStorage, TenantScope } from '@teamspro/core';
import { shardOf } from '../domain/keys.js';
import { problemKeyPrefix } from './problem-store.js';
import { Tables } from './tables.js';

/** Written once by the resolve job with absolute values, so a redelivery cannot double them. */
export type CounterMeta = { recipients: number; preFailed: number };

type CounterRecord = Record<string, number>;

const SHARDS = 8;
const META = 'meta';

/**
 * Per-message counters kept incrementally: each event adds to one of a few shard rows
 * (chosen by the recipient) with ETag retries, so concurrent workers rarely collide;
 * reading sums the shards. Nothing is recounted by scanning recipients.
 */
export class CounterStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<CounterRecord>(Tables.counters); }

  async add(scope: TenantScope, messageId: string, seed: string, deltas: Record<string, number>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, v]) => v !== 0);
    if (entries.length === 0) return;
    await this.table(scope).mutate(messageId, `shard-${shardOf(seed, SHARDS)}`, (current) => {
      const next: CounterRecord = {};
      for (const [k, v] of Object.entries(current ?? {})) if (typeof v === 'number') next[k] = v;
      for (const [k, v] of entries) next[k] = (next[k] ?? 0) + v;
      return next;
    });
  }

  async setMeta(scope: TenantScope, messageId: string, meta: CounterMeta): Promise<void> {
    await this.table(scope).upsert(messageId, META, meta);
  }

  /** Meta and the summed shards. */
  async totals(scope: TenantScope, messageId: string): Promise<{ meta?: CounterMeta; sums: Record<string, number> }> {
    const rows = await this.table(scope).listAll(messageId);
    const sums: Record<string, number> = {};
    let meta: CounterMeta | undefined;
    for (const row of rows) {
      if (row.rowKey.startsWith(problemKeyPrefix)) continue; // a problem record shares the partition (problem-store.ts)
      if (row.rowKey === META) {
        meta = { recipients: Number(row.recipients ?? 0), preFailed: Number(row.preFailed ?? 0) };
        continue;
      }
      for (const [k, v] of Object.entries(row)) if (typeof v === 'number') sums[k] = (sums[k] ?? 0) + v;
    }
    return { meta, sums };
  }

  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.table(scope).listAll(messageId);
    await this.table(scope).deleteRows(messageId, rows.map((r) => r.rowKey));
  }
}
