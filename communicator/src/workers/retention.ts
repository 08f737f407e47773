import { SystemLease, type Logger, type TenantScope } from '@teamspro/core';
import type { Services } from '../services.js';
import { Tables } from '../store/tables.js';

const finished = ['sent', 'failed', 'canceled'] as const;
/** How often each process looks whether a sweep is due (the lease says when the last one ran). */
const maxCheckEveryMs = 60_000;

/**
 * Deletes finished messages (and their recipients, counters, feedback and channel viewers) older than the tenant's
 * retentionDays. Every delete is idempotent (rows already gone are skipped; the message row goes last,
 * so a sweep that stops midway is finished by the next one), so two sweeps may overlap safely.
 */
export class RetentionSweeper {
  constructor(private readonly s: Services, private readonly logger: Logger) {}

  /** One tenant; returns how many messages were deleted. */
  async sweep(scope: TenantScope): Promise<number> {
    const { retentionDays } = await this.s.settings.get(scope);
    if (!retentionDays) return 0;
    const cutoff = Date.now() - retentionDays * 24 * 3600 * 1000;
    const expired = (await this.s.messages.list(scope, [...finished])).filter((m) => Date.parse(m.sendAt ?? m.createdAt) < cutoff);
    for (const m of expired) {
      await this.s.recipients.deleteMessage(scope, m.rowKey);
      await this.s.sendClaims.deleteMessage(scope, m.rowKey);
      await this.s.counters.deleteMessage(scope, m.rowKey);
      await this.s.feedback.deleteMessage(scope, m.rowKey);
      await this.s.views.deleteMessage(scope, m.rowKey);
      await this.s.messages.delete(scope, m.rowKey);
    }
    return expired.length;
  }

  /**
   * Every tenant whose settings keep messages for a limited time (a system job: the only cross-tenant
   * read, core's listTenantsForSystemJob). `beforeEach` runs before each tenant (the timer renews its
   * lease there) and may stop the sweep by returning false. Returns messages deleted per tenant.
   */
  async sweepAll(beforeEach: () => Promise<boolean> = async () => true): Promise<Map<string, number>> {
    const deleted = new Map<string, number>();
    for (const tenantId of await this.s.ctx.storage.listTenantsForSystemJob(Tables.settings, { filter: 'retentionDays gt 0' })) {
      if (!(await beforeEach())) break;
      try {
        deleted.set(tenantId, await this.sweep({ tenantId }));
      } catch (err) {
        this.logger.warn({ err, tenantId }, 'retention sweep of a tenant failed; the next sweep tries again');
      }
    }
    return deleted;
  }
}

/**
 * The retention sweep on a timer, in every process that runs workers: each process checks at start and
 * then every min(interval, 1 min) whether the table lease "cc-retention" (core SystemLease) is free; the
 * one that takes it sweeps every tenant and keeps it for `options.retentionIntervalMs` (hourly by
 * default), renewing it before each tenant. So across all processes and restarts the sweep runs about
 * once per interval; if two ever overlap (a lease lapsing mid-sweep), the idempotent deletes keep it safe.
 */
export function retentionTimer(s: Services, logger: Logger) {
  const intervalMs = s.options.retentionIntervalMs;
  const checkEveryMs = Math.min(intervalMs, maxCheckEveryMs);
  const lease = new SystemLease(s.ctx.storage, 'cc-retention');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const tick = async () => {
    try {
      if (!(await lease.tryAcquire(intervalMs))) return; // swept less than an interval ago, or another process sweeps now
      const deleted = await s.retention.sweepAll(() => lease.renew(intervalMs));
      const total = [...deleted.values()].reduce((a, b) => a + b, 0);
      if (total > 0) logger.info({ tenants: deleted.size, messages: total }, 'retention sweep deleted expired messages');
    } catch (err) {
      logger.warn({ err }, 'retention sweep failed; it runs again at a later check');
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => { running = undefined; schedule(checkEveryMs); });
    }, ms);
    timer.unref();
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
