import type { Logger, TenantScope } from '@teamspro/core';
import type { Services } from '../services.js';

const finished = ['sent', 'failed', 'canceled'] as const;
const everyMs = 3600_000;

/**
 * Deletes finished messages (and their recipients, counters and feedback) older than the tenant's
 * retentionDays. There is no list of tenants to sweep, so it runs lazily for a tenant whose authors
 * use the app, at most hourly per process.
 */
export class RetentionSweeper {
  private readonly lastRun = new Map<string, number>();

  constructor(private readonly s: Services, private readonly logger: Logger) {}

  /** Starts a sweep for the tenant if one is due; never waits for it or fails the caller. */
  nudge(scope: TenantScope): void {
    const last = this.lastRun.get(scope.tenantId) ?? 0;
    if (Date.now() - last < everyMs) return;
    this.lastRun.set(scope.tenantId, Date.now());
    this.sweep(scope).catch((err: unknown) => this.logger.warn({ err, tenantId: scope.tenantId }, 'retention sweep failed'));
  }

  /** Returns how many messages were deleted. */
  async sweep(scope: TenantScope): Promise<number> {
    const { retentionDays } = await this.s.settings.get(scope);
    if (!retentionDays) return 0;
    const cutoff = Date.now() - retentionDays * 24 * 3600 * 1000;
    const expired = (await this.s.messages.list(scope, [...finished])).filter((m) => Date.parse(m.sendAt ?? m.createdAt) < cutoff);
    for (const m of expired) {
      // the message row last: if the sweep stops midway, the next one finds it again
      await this.s.recipients.deleteMessage(scope, m.rowKey);
      await this.s.counters.deleteMessage(scope, m.rowKey);
      await this.s.feedback.deleteMessage(scope, m.rowKey);
      await this.s.messages.delete(scope, m.rowKey);
    }
    return expired.length;
  }
}
