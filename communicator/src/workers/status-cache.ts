import type { TenantScope } from '@teamspro/core';
import type { MessageStatus } from '../api/contract.js';
import type { MessageStore } from '../store/message-store.js';

/**
 * Send workers ask "is this message still sending?" before every delivery. The answer is cached
 * briefly (so a 50/s send does not read the message 50 times a second); a cancel is therefore
 * seen by every worker within the cache time.
 */
export class StatusCache {
  private readonly entries = new Map<string, { status: MessageStatus | undefined; until: number }>();

  constructor(private readonly messages: MessageStore, private readonly ttlMs: number) {}

  async status(scope: TenantScope, messageId: string): Promise<MessageStatus | undefined> {
    const key = `${scope.tenantId}|${messageId}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.status;
    const row = await this.messages.get(scope, messageId);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { status: row?.status, until: Date.now() + this.ttlMs });
    return row?.status;
  }

  /** Every cached status of a tenant (after offboarding). */
  forgetTenant(scope: TenantScope): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${scope.tenantId}|`)) this.entries.delete(key);
  }

  /** This process changed the status itself: no need to wait for the cache to expire. */
  forget(scope: TenantScope, messageId: string): void {
    this.entries.delete(`${scope.tenantId}|${messageId}`);
  }
}
