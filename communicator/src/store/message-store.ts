import { ulid } from 'ulid';
import { conflict, dataOf, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import type { MessageStatus, MessageVariant } from '../api/contract.js';
import type { MessageRecord } from '../domain/message.js';
import { Tables } from './tables.js';

const PARTITION = 'messages';

export type MessageRow = Row<MessageRecord>;

/**
 * Azure Tables caps a string property at 32K characters and core stores an object as one JSON
 * column, so each language variant gets its own column (v0, v1, …) rather than one `variants` array.
 */
type StoredMessage = Omit<MessageRecord, 'variants'> & { variantCount: number } & Record<`v${number}`, MessageVariant>;

function toStored(record: MessageRecord): StoredMessage {
  const { variants, ...rest } = record;
  const stored = { ...rest, variantCount: variants.length } as StoredMessage;
  variants.forEach((v, i) => { stored[`v${i}`] = v; });
  return stored;
}

function fromStored(row: Row<StoredMessage>): MessageRow {
  const { variantCount, ...rest } = row;
  const variants: MessageVariant[] = [];
  for (let i = 0; i < variantCount; i++) {
    variants.push(rest[`v${i}`]!);
    delete (rest as Record<string, unknown>)[`v${i}`];
  }
  return { ...(rest as unknown as Row<Omit<MessageRecord, 'variants'>>), variants };
}

export class MessageStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<StoredMessage>(Tables.messages); }

  async get(scope: TenantScope, id: string): Promise<MessageRow | undefined> {
    const row = await this.table(scope).get(PARTITION, id);
    return row && fromStored(row);
  }

  async require(scope: TenantScope, id: string): Promise<MessageRow> {
    return fromStored(await this.table(scope).require(PARTITION, id));
  }

  /** Newest first. */
  async list(scope: TenantScope, statuses?: MessageStatus[]): Promise<MessageRow[]> {
    if (statuses && statuses.length === 0) return [];
    const filter = statuses?.map((s) => `status eq '${s}'`).join(' or ');
    const rows = await this.table(scope).listAll(PARTITION, filter ? { filter } : {});
    return rows.reverse().map(fromStored);
  }

  async usesTopic(scope: TenantScope, topicId: string): Promise<boolean> {
    for await (const _row of this.table(scope).list(PARTITION, { filter: `topicId eq '${topicId.replace(/'/g, "''")}'`, pageSize: 1 })) return true;
    return false;
  }

  async create(scope: TenantScope, record: MessageRecord): Promise<MessageRow> {
    const id = ulid();
    const etag = await this.table(scope).create(PARTITION, id, toStored(record));
    return { ...record, partition: PARTITION, rowKey: id, etag };
  }

  /** Replaces the message if the etag still matches (412 otherwise). */
  async replace(scope: TenantScope, id: string, record: MessageRecord, etag: string): Promise<MessageRow> {
    const newEtag = await this.table(scope).update(PARTITION, id, toStored(record), etag);
    return { ...record, partition: PARTITION, rowKey: id, etag: newEtag };
  }

  async delete(scope: TenantScope, id: string, etag?: string): Promise<void> {
    await this.table(scope).delete(PARTITION, id, etag);
  }

  /**
   * Moves the message from one of `from` to `to` (with extra fields), retrying lost races.
   * Returns the updated row, or undefined when the message is not in one of `from`.
   */
  async transition(scope: TenantScope, id: string, from: readonly MessageStatus[], to: MessageStatus, extra: Partial<MessageRecord> = {}): Promise<MessageRow | undefined> {
    const written = await this.table(scope).mutate(PARTITION, id, (current) => {
      if (!current || !from.includes(current.status)) return undefined;
      const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = current;
      return { ...data, ...extra, status: to, editedAt: new Date().toISOString() } as StoredMessage;
    });
    return written && fromStored(written);
  }

  /**
   * Read-modify-write of one message whatever its status (ETag retries): `change` returns the fields
   * to set (undefined values remove them), or undefined to leave the message as it is.
   */
  async patch(scope: TenantScope, id: string, change: (current: MessageRow) => Partial<MessageRecord> | undefined): Promise<MessageRow | undefined> {
    const written = await this.table(scope).mutate(PARTITION, id, (current) => {
      if (!current) return undefined;
      const extra = change(fromStored(current));
      if (!extra) return undefined;
      return toStored({ ...dataOf<MessageRecord>(fromStored(current)), ...extra });
    });
    return written && fromStored(written);
  }

  /** Like transition, but 409 with a readable reason when the message is in another status. */
  async requireTransition(scope: TenantScope, id: string, from: readonly MessageStatus[], to: MessageStatus, extra: Partial<MessageRecord> = {}): Promise<MessageRow> {
    const updated = await this.transition(scope, id, from, to, extra);
    if (updated) return updated;
    const current = await this.require(scope, id);
    throw conflict(`The message is ${current.status}; this needs it to be ${from.join(' or ')}.`);
  }
}
