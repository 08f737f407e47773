import { HttpError, type Row, type TableStorage, type TenantScope } from '@teamspro/core';
import { keyPart } from '../domain/keys.js';
import { Tables } from './tables.js';

/** One person's first view of a channel post (partition = message id, row = the channel's recipient key + the viewer). */
export type ViewRecord = {
  /** the channel's recipient row */
  recipientKey: string;
  aadId: string;
  name: string;
  at: string;
};

export type ViewRow = Row<ViewRecord>;

const rowKeyOf = (recipientKey: string, aadId: string) => `${recipientKey}~${keyPart(aadId.toLowerCase())}`;

/**
 * Who viewed each channel post, and when: Teams refreshes a channel card (the "read" invoke) for each
 * listed member who views it, again on every view; one row per person keeps them counted once.
 */
export class ViewStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<ViewRecord>(Tables.views); }

  /** Records the person's view of the post; false when an earlier view of theirs is already recorded. */
  async recordFirst(scope: TenantScope, messageId: string, recipientKey: string, viewer: { aadId: string; name: string }): Promise<boolean> {
    try {
      await this.table(scope).create(messageId, rowKeyOf(recipientKey, viewer.aadId), { recipientKey, aadId: viewer.aadId.toLowerCase(), name: viewer.name, at: new Date().toISOString() });
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) return false;
      throw err;
    }
  }

  /** The viewers of one channel post, or of every channel post of the message. */
  list(scope: TenantScope, messageId: string, recipientKey?: string): Promise<ViewRow[]> {
    return this.table(scope).listAll(messageId, recipientKey ? { filter: `recipientKey eq '${recipientKey.replace(/'/g, "''")}'` } : {});
  }

  /** Idempotent (rows already gone are skipped). */
  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.list(scope, messageId);
    await this.table(scope).deleteRows(messageId, rows.map((r) => r.rowKey));
  }
}
