import { HttpError, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import { chunks } from '../domain/parallel.js';
import { Tables } from './tables.js';

export type RecipientStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** One recipient of one message (partition = message id): where to deliver, and what happened. */
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
  /** set with status "sending" just before the Bot Connector call */
  attemptId?: string;
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

export class RecipientStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<RecipientRecord>(Tables.recipients); }

  get(scope: TenantScope, messageId: string, key: string): Promise<RecipientRow | undefined> {
    return this.table(scope).get(messageId, key);
  }

  list(scope: TenantScope, messageId: string, filter?: string): AsyncGenerator<RecipientRow> {
    return this.table(scope).list(messageId, filter ? { filter } : {});
  }

  listAll(scope: TenantScope, messageId: string, filter?: string): Promise<RecipientRow[]> {
    return this.table(scope).listAll(messageId, filter ? { filter } : {});
  }

  /** Creates the rows that do not exist yet (batches of 100); existing rows are left as they are. */
  async createMissing(scope: TenantScope, messageId: string, rows: Array<{ key: string; data: RecipientRecord }>): Promise<void> {
    const table = this.table(scope);
    for (const chunk of chunks(rows, 100)) {
      try {
        await table.batch(messageId, chunk.map((r) => ({ kind: 'create' as const, rowKey: r.key, data: r.data })));
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 409)) throw err;
        // a redelivered resolve job: some rows exist already (and may have moved on); create only the others
        for (const r of chunk) {
          try { await table.create(messageId, r.key, r.data); } catch (e) { if (!(e instanceof HttpError && e.status === 409)) throw e; }
        }
      }
    }
  }

  /** The rows of these keys (one range query; keys of a send job are neighbours in key order). */
  async getMany(scope: TenantScope, messageId: string, keys: string[]): Promise<RecipientRow[]> {
    if (keys.length === 0) return [];
    const sorted = [...keys].sort();
    const wanted = new Set(keys);
    const quote = (k: string) => `'${k.replace(/'/g, "''")}'`;
    const rows = await this.listAll(scope, messageId, `RowKey ge ${quote(sorted[0]!)} and RowKey le ${quote(sorted[sorted.length - 1]!)}`);
    return rows.filter((r) => wanted.has(r.rowKey));
  }

  /**
   * Replaces rows of one message in one transaction (≤ 100), each only if unchanged since it was
   * read: all or nothing, 412 when any changed. Returns the new ETags by row key.
   */
  batchUpdate(scope: TenantScope, messageId: string, updates: Array<{ row: RecipientRow; data: RecipientRecord }>): Promise<Map<string, string>> {
    return this.table(scope).batch(messageId, updates.map((u) => ({ kind: 'update' as const, rowKey: u.row.rowKey, data: u.data, etag: u.row.etag })));
  }

  /** Replaces the row if unchanged since it was read; 412 otherwise. */
  async replace(scope: TenantScope, row: RecipientRow, data: RecipientRecord): Promise<RecipientRow> {
    const etag = await this.table(scope).update(row.partition, row.rowKey, data, row.etag);
    return { ...data, partition: row.partition, rowKey: row.rowKey, etag };
  }

  mutate(scope: TenantScope, messageId: string, key: string, change: (current: RecipientRow | undefined) => RecipientRecord | undefined) {
    return this.table(scope).mutate(messageId, key, change);
  }

  /** Idempotent (rows already gone are skipped): two retention sweeps may run it at once. */
  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.listAll(scope, messageId);
    await this.table(scope).deleteRows(messageId, rows.map((r) => r.rowKey));
  }
}

/** Storage row → its data, without bookkeeping fields. */
export function recordOf(row: RecipientRow): RecipientRecord {
  const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = row;
  return data;
}
