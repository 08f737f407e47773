import { HttpError, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import { chunks } from '../domain/parallel.js';
import { mutateRow } from './mutate.js';
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
  /** button index → clicks */
  clicks?: Record<string, number>;
  /** failed while resolving the audience (counted in the meta row, not by the send worker) */
  resolveFailed?: boolean;
  /** its final status has been added to the message counters */
  counted?: boolean;
  /** a previous attempt may have delivered it; recorded as sent without sending again */
  unconfirmed?: boolean;
  sources?: string[];
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

  /** Replaces the row if unchanged since it was read; 412 otherwise. */
  async replace(scope: TenantScope, row: RecipientRow, data: RecipientRecord): Promise<RecipientRow> {
    const etag = await this.table(scope).update(row.partition, row.rowKey, data, row.etag);
    return { ...data, partition: row.partition, rowKey: row.rowKey, etag };
  }

  mutate(scope: TenantScope, messageId: string, key: string, change: (current: RecipientRow | undefined) => RecipientRecord | undefined) {
    return mutateRow(this.table(scope), messageId, key, change);
  }

  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.listAll(scope, messageId);
    await this.table(scope).batch(messageId, rows.map((r) => ({ kind: 'delete' as const, rowKey: r.rowKey })));
  }
}

/** Storage row → its data, without bookkeeping fields. */
export function recordOf(row: RecipientRow): RecipientRecord {
  const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = row;
  return data;
}
