import type { Row, TableStorage, TenantScope } from '@teamspro/core';
import type { Reaction } from '@teamspro/templates';
import { Tables } from './tables.js';

/** One person's feedback on one message (partition = message id, row = their AAD object id). */
export type FeedbackRecord = {
  name: string;
  /** the recipient row the card was delivered through (the user, or the channel for channel posts) */
  recipientKey: string;
  reaction?: Reaction;
  acknowledged?: boolean;
  rating?: number;
  comment?: string;
  at: string;
};

export type FeedbackRow = Row<FeedbackRecord>;

export class FeedbackStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<FeedbackRecord>(Tables.feedback); }

  get(scope: TenantScope, messageId: string, userKey: string): Promise<FeedbackRow | undefined> {
    return this.table(scope).get(messageId, userKey);
  }

  list(scope: TenantScope, messageId: string): Promise<FeedbackRow[]> {
    return this.table(scope).listAll(messageId);
  }

  mutate(scope: TenantScope, messageId: string, userKey: string, change: (current: FeedbackRow | undefined) => FeedbackRecord | undefined) {
    return this.table(scope).mutate(messageId, userKey, change);
  }

  async deleteMessage(scope: TenantScope, messageId: string): Promise<void> {
    const rows = await this.list(scope, messageId);
    await this.table(scope).deleteRows(messageId, rows.map((r) => r.rowKey));
  }
}
