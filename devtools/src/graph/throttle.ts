export type ThrottleRule = {
  /** only requests made with a token of this tenant; any tenant when absent */
  tenantId?: string;
  /** how many matching requests get 429 */
  count: number;
  /** let this many matching requests through first (to throttle part-way through paging) */
  after?: number;
  retryAfterSeconds: number;
  /** only paths starting with this, with or without the `/v1.0` prefix, case-insensitive; any path when absent */
  pathPrefix?: string;
};

/** Answers the next `count` matching requests with 429, as Graph does when a tenant or app exceeds its limits. */
export class Throttler {
  private rules: Array<ThrottleRule & { remaining: number; toPass: number }> = [];

  add(rule: ThrottleRule): void {
    if (!Number.isInteger(rule.count) || rule.count < 1) throw new Error('count must be a positive integer');
    if (!Number.isFinite(rule.retryAfterSeconds) || rule.retryAfterSeconds < 0) throw new Error('retryAfterSeconds must be a non-negative number');
    if (rule.after !== undefined && !(Number.isInteger(rule.after) && rule.after >= 0)) throw new Error('after must be a non-negative integer');
    const pathPrefix = rule.pathPrefix?.replace(/^\/v1\.0(?=\/|$)/i, '').toLowerCase();
    this.rules.push({ ...rule, pathPrefix, remaining: rule.count, toPass: rule.after ?? 0 });
  }

  /** Consumes one throttled answer when a rule matches; returns the Retry-After seconds to send. */
  take(tenantId: string, path: string): number | undefined {
    const lower = path.toLowerCase();
    const rule = this.rules.find((r) => r.remaining > 0 && (!r.tenantId || r.tenantId === tenantId) && (!r.pathPrefix || lower.startsWith(r.pathPrefix)));
    if (!rule) return undefined;
    if (rule.toPass > 0) {
      rule.toPass -= 1;
      return undefined;
    }
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.retryAfterSeconds;
  }

  clear(): void {
    this.rules = [];
  }
}
