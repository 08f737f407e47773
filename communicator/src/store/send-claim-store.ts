import { HttpError, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import { groupBy } from '../domain/parallel.js';
import type { RecipientRow } from './recipient-store.js';
import { Tables } from './tables.js';

/** A claimed send: the row's claim number, and the locale the attempt chose (so a row left in doubt is recorded with it). */
export type SendClaim = { seq: number; locale?: string };
/** A claim as found on a row's current send, with when its shard's record was last written. */
export type CurrentClaim = SendClaim & { shardClaimedAt?: string };

/** One shard's claims: row key → [claim number, locale]. Kept compact: a shard of 400 rows stays far below an entity property's 64 KiB. */
type ShardClaims = { claims: Record<string, [number, string?]> };

const RECORD = 'claims';

/**
 * Which attempt may call Teams for each recipient's send. Before its Bot Connector calls, a send
 * attempt claims its group's rows in the claim record of their shard (one row per recipient shard
 * partition, in a table of its own), with one conditional write: a row's claim number `claimSeq` may
 * be claimed once, so a second delivery of the job, or a duplicate job, gets 409 instead of sending
 * twice. A row handed back to the queue (a retry, or a pause) has its claimSeq raised, and its next
 * send is claimed anew.
 *
 * Why not a "sending" status on each recipient row: that is one more replaced row per recipient
 * (25 per group, each parsed and indexed by the storage service), where this is one write per group.
 * The record is cached per shard, so a job's later groups write without reading first.
 */
export class SendClaimStore {
  /** tenant|partition → the record as last read or written here */
  private readonly known = new Map<string, Row<ShardClaims>>();

  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<ShardClaims>(Tables.sendClaims); }

  /** Claims these rows' sends (rows of one shard partition) in one write: 409, and nothing claimed, when any is claimed already. */
  async claim(scope: TenantScope, claims: Array<{ row: RecipientRow; locale?: string }>): Promise<void> {
    const partition = claims[0]?.row.partition;
    if (partition === undefined) return;
    if (claims.some((c) => c.row.partition !== partition)) throw new Error('one write holds rows of one shard only');
    const cacheKey = `${scope.tenantId}|${partition}`;
    let written;
    try {
      // from the record as this process last wrote it (a stale one loses the race and is read again)
      written = await this.table(scope).mutate(partition, RECORD, (current) => {
        const next: ShardClaims = { claims: { ...current?.claims } };
        for (const { row, locale } of claims) {
          const seq = row.claimSeq ?? 0;
          const taken = next.claims[row.rowKey];
          if (taken && taken[0] >= seq) throw new HttpError(409, 'send_claimed', `the send to ${row.rowKey} was claimed by another attempt`);
          next.claims[row.rowKey] = locale ? [seq, locale] : [seq];
        }
        return next;
      }, { known: this.known.get(cacheKey) });
    } catch (err) {
      this.known.delete(cacheKey);
      throw err;
    }
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(cacheKey, { ...written!, updatedAt: new Date().toISOString() });
  }

  /** The claims on these rows' current sends (their claimSeq claimed), by row key, with when their shard last claimed. */
  async current(scope: TenantScope, rows: RecipientRow[]): Promise<Map<string, CurrentClaim>> {
    const found = new Map<string, CurrentClaim>();
    for (const [partition, inShard] of groupBy(rows, (r) => r.partition)) {
      const record = await this.table(scope).get(partition, RECORD);
      if (!record) continue;
      for (const row of inShard) {
        const taken = record.claims[row.rowKey];
        if (taken && taken[0] >= (row.claimSeq ?? 0)) found.set(row.rowKey, { seq: taken[0], ...(taken[1] ? { locale: taken[1] } : {}), shardClaimedAt: record.updatedAt });
      }
    }
    return found;
  }

  /** Idempotent, like the recipients' delete: records already gone are skipped. */
  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    for await (const record of this.table(scope).listFamily(messageId)) {
      await this.table(scope).delete(record.partition, record.rowKey);
      this.known.delete(`${scope.tenantId}|${record.partition}`);
    }
  }
}

/** A send already claimed by another attempt. */
export const isClaimedElsewhere = (err: unknown) => err instanceof HttpError && err.status === 409;
