import { HttpError, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import { chunks, groupBy } from '../domain/parallel.js';
import { shardOf } from '../domain/keys.js';
import { MessageStore } from './message-store.js';
import { Tables } from './tables.js';

export type RecipientStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** One recipient of one message (partition: see recipientPartition): where to deliver, and what happened. */
export type RecipientRecord = {
  kind: 'user' | 'channel';
  aadId?: string;
  /** Teams user id (29:…), for creating the 1:1 chat and for the card's refresh list */
  teamsUserId?: string;
  name: string;
  upn?: string;
  locale?: string;
  conversationId?: string;
  serviceUrl?: string;
  teamId?: string;
  channelId?: string;
  status: RecipientStatus;
  /** set with status "sending" just before the Bot Connector call (rows written before send claims; see SendClaimStore) */
  attemptId?: string;
  /** how many of this row's send claims were handed back to the queue (a retry or a pause): its next send takes claim number claimSeq */
  claimSeq?: number;
  activityId?: string;
  failureReason?: string;
  retries: number;
  sentAt?: string;
  readAt?: string;
  /** a channel post: how many different people viewed it (see ViewStore) */
  viewers?: number;
  /** a channel post: the team members (Teams user ids, at most 60) its card refreshes for */
  refreshUserIds?: string[];
  /** button index → clicks */
  clicks?: Record<string, number>;
  /** failed while resolving the audience (counted in the meta row, not by the send worker) */
  resolveFailed?: boolean;
  /** its final status has been added to the message counters */
  counted?: boolean;
  /** a previous attempt may have delivered it; recorded as sent without sending again */
  unconfirmed?: boolean;
  sources?: string[];
  /** this recipient's part in the message's last edit or recall of the delivered card (see workers/after-send-job.ts) */
  after?: RecipientAfterSend;
};

export type RecipientAfterSend = {
  /** the operation (message.afterSend.op) this state belongs to */
  op: string;
  /** running: claimed by a worker (`claim`); retry: a retryable failure, tried again on the job's next delivery */
  state: 'running' | 'done' | 'failed' | 'retry';
  claim?: string;
  reason?: string;
  at: string;
};

export type RecipientRow = Row<RecipientRecord>;

/** Rows per shard partition the layout aims at: a point read in Azurite scans its partition, so partitions stay small. */
const rowsPerShard = 100;
/** 4,096 × 100: up to 409,600 recipients a shard holds about a hundred rows; a million make 245 (its send-claim record stays small, see SendClaimStore). */
const maxShards = 4096;

/** How many shard partitions a message with this many recipients spreads its rows over (a power of two, 1 to 4,096). */
export function shardCountFor(recipients: number): number {
  let shards = 1;
  while (shards < maxShards && shards * rowsPerShard < recipients) shards *= 2;
  return shards;
}

/** The shard a recipient's row lives in: a stable hash of its key. */
export const recipientShardOf = (key: string, shards: number) => shardOf(key, shards);

/**
 * The partition of a recipient row: "<message id>~<shard>" for a message resolved with shards, the
 * message id alone for one resolved before them (or rows written directly by tests).
 */
export function recipientPartition(messageId: string, shards: number | undefined, key: string): string {
  return shards ? `${messageId}~${recipientShardOf(key, shards).toString(16).padStart(2, '0')}` : messageId;
}

/** The message a recipient row belongs to (message ids never hold "~"). */
export const messageIdOf = (row: { partition: string }) => row.partition.split('~')[0]!;

/** Reads a message's shard count (undefined before it is resolved, or for a message resolved before shards). */
export type ShardLayoutLookup = (scope: TenantScope, messageId: string) => Promise<number | undefined>;

/**
 * A message's recipient rows, spread over shard partitions (see recipientPartition) so that every
 * point read and transaction touches a partition of about a hundred rows, whatever the audience size.
 * Callers address rows by message id and key; the store finds the partition.
 */
export class RecipientStore {
  /** tenant|message → shard count; fixed once the message is resolved, so it is cached for good */
  private readonly layouts = new Map<string, number>();

  private readonly lookupLayout: ShardLayoutLookup;

  constructor(private readonly storage: TableStorage, lookupLayout?: ShardLayoutLookup) {
    const messages = new MessageStore(storage);
    this.lookupLayout = lookupLayout ?? (async (scope, id) => (await messages.get(scope, id))?.recipientShards);
  }

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<RecipientRecord>(Tables.recipients); }

  /** The message's shard count, as its resolve step chose it. */
  async shardsOf(scope: TenantScope, messageId: string): Promise<number | undefined> {
    const cacheKey = `${scope.tenantId}|${messageId}`;
    const cached = this.layouts.get(cacheKey);
    if (cached !== undefined) return cached;
    const shards = await this.lookupLayout(scope, messageId);
    if (shards !== undefined) {
      if (this.layouts.size > 10_000) this.layouts.clear();
      this.layouts.set(cacheKey, shards);
    }
    return shards;
  }

  private async partitionOf(scope: TenantScope, messageId: string, key: string): Promise<string> {
    return recipientPartition(messageId, await this.shardsOf(scope, messageId), key);
  }

  async get(scope: TenantScope, messageId: string, key: string): Promise<RecipientRow | undefined> {
    return this.table(scope).get(await this.partitionOf(scope, messageId, key), key);
  }

  /** Every row of the message (all its shards), by shard then key; `after` resumes behind a row. */
  list(scope: TenantScope, messageId: string, filter?: string, after?: { partition: string; rowKey: string }): AsyncGenerator<RecipientRow> {
    // ulids have a fixed length, so the family "<id>…" is exactly this message's partitions
    return this.table(scope).listFamily(messageId, { ...(filter ? { filter } : {}), ...(after ? { after } : {}) });
  }

  async listAll(scope: TenantScope, messageId: string, filter?: string): Promise<RecipientRow[]> {
    const rows: RecipientRow[] = [];
    for await (const row of this.list(scope, messageId, filter)) rows.push(row);
    return rows;
  }

  /** Creates the rows that do not exist yet (transactions of up to 100 per shard); existing rows are left as they are. */
  async createMissing(scope: TenantScope, messageId: string, rows: Array<{ key: string; data: RecipientRecord }>): Promise<void> {
    const table = this.table(scope);
    const shards = await this.shardsOf(scope, messageId);
    for (const [partition, inShard] of groupBy(rows, (r) => recipientPartition(messageId, shards, r.key))) {
      for (const chunk of chunks(inShard, 100)) {
        try {
          await table.batch(partition, chunk.map((r) => ({ kind: 'create' as const, rowKey: r.key, data: r.data })));
        } catch (err) {
          if (!(err instanceof HttpError && err.status === 409)) throw err;
          // a redelivered resolve job: some rows exist already (and may have moved on); create only the others
          for (const r of chunk) {
            try { await table.create(partition, r.key, r.data); } catch (e) { if (!(e instanceof HttpError && e.status === 409)) throw e; }
          }
        }
      }
    }
  }

  /** The rows of these keys: one range query per shard (a send job's keys are neighbours in one shard). */
  async getMany(scope: TenantScope, messageId: string, keys: string[]): Promise<RecipientRow[]> {
    const shards = await this.shardsOf(scope, messageId);
    const wanted = new Set(keys);
    const quote = (k: string) => `'${k.replace(/'/g, "''")}'`;
    const found: RecipientRow[] = [];
    for (const [partition, inShard] of groupBy(keys, (k) => recipientPartition(messageId, shards, k))) {
      const sorted = [...inShard].sort();
      const rows = await this.table(scope).listAll(partition, { filter: `RowKey ge ${quote(sorted[0]!)} and RowKey le ${quote(sorted[sorted.length - 1]!)}` });
      found.push(...rows.filter((r) => wanted.has(r.rowKey)));
    }
    return found;
  }

  /**
   * Replaces rows of one shard in one transaction (≤ 100), each only if unchanged since it was
   * read: all or nothing, 412 when any changed. Returns the new ETags by row key.
   */
  batchUpdate(scope: TenantScope, updates: Array<{ row: RecipientRow; data: RecipientRecord }>): Promise<Map<string, string>> {
    const partition = updates[0]?.row.partition;
    if (partition === undefined) return Promise.resolve(new Map());
    if (updates.some((u) => u.row.partition !== partition)) throw new Error('one transaction holds rows of one shard only');
    return this.table(scope).batch(partition, updates.map((u) => ({ kind: 'update' as const, rowKey: u.row.rowKey, data: u.data, etag: u.row.etag, read: u.row })));
  }

  /** Replaces the row if unchanged since it was read; 412 otherwise. */
  async replace(scope: TenantScope, row: RecipientRow, data: RecipientRecord): Promise<RecipientRow> {
    const etag = await this.table(scope).update(row.partition, row.rowKey, data, row.etag);
    return { ...data, partition: row.partition, rowKey: row.rowKey, etag };
  }

  async mutate(scope: TenantScope, messageId: string, key: string, change: (current: RecipientRow | undefined) => RecipientRecord | undefined) {
    return this.table(scope).mutate(await this.partitionOf(scope, messageId, key), key, change);
  }

  /** Read-modify-write of a row already read (its partition is known). */
  mutateRow(scope: TenantScope, row: RecipientRow, change: (current: RecipientRow | undefined) => RecipientRecord | undefined) {
    return this.table(scope).mutate(row.partition, row.rowKey, change);
  }

  /** Idempotent (rows already gone are skipped): two retention sweeps may run it at once. */
  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.listAll(scope, messageId);
    for (const [partition, inShard] of groupBy(rows, (r) => r.partition)) await this.table(scope).deleteRows(partition, inShard.map((r) => r.rowKey));
    this.layouts.delete(`${scope.tenantId}|${messageId}`);
  }
}

/** Storage row → its data, without bookkeeping fields. */
export function recordOf(row: RecipientRow): RecipientRecord {
  const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = row;
  return data;
}
