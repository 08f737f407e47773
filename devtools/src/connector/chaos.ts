import type { ConnectorOp } from './record.js';

/**
 * Faults the simulator injects. Each can be given at start and changed at runtime; `ops` limits a
 * fault to some operations (every operation when absent). A fault with `count` ends after that many
 * matching requests, one with `forMs` when the time is up, whichever comes first; with neither it
 * lasts until cleared.
 */
export type ServerErrorBurst = {
  count?: number;
  forMs?: number;
  /** answered in turn; default 500, 502, 503 */
  statuses?: number[];
  /** record the delivery first, then answer 5xx (a gateway timing out on a request that went through) */
  afterDelivery?: boolean;
  /** let this many matching requests through first (a burst part-way through a roster's pages, say) */
  after?: number;
  ops?: ConnectorOp[];
};

export type SlowResponses = {
  delayMs: number;
  /** extra random delay, 0 … jitterMs */
  jitterMs?: number;
  /** share of matching requests slowed, 0…1; default 1 */
  fraction?: number;
  ops?: ConnectorOp[];
};

export type DroppedConnections = {
  count?: number;
  forMs?: number;
  /** share of matching requests dropped while active, 0…1; default 1 */
  fraction?: number;
  /** record the delivery before destroying the socket: delivered, but the client never heard */
  afterDelivery?: boolean;
  ops?: ConnectorOp[];
};

export type ChaosSettings = {
  serverErrors?: ServerErrorBurst | null;
  slow?: SlowResponses | null;
  drop?: DroppedConnections | null;
  /** users (the id the 1:1 chat was created with, or their AAD object id) every request for whom answers 403 */
  failingUsers?: readonly string[];
};

type Active<T> = T & { remaining: number; until: number; turn: number; toPass: number };

/** Mulberry32: a small seeded generator, so fractions replay the same way for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function activate<T extends { count?: number; forMs?: number; after?: number }>(fault: T, now: number): Active<T> {
  if (fault.count !== undefined && (!Number.isInteger(fault.count) || fault.count < 0)) throw new Error('count must be a whole number ≥ 0');
  if (fault.forMs !== undefined && !(fault.forMs >= 0)) throw new Error('forMs must be ≥ 0');
  if (fault.after !== undefined && (!Number.isInteger(fault.after) || fault.after < 0)) throw new Error('after must be a whole number ≥ 0');
  return { ...fault, remaining: fault.count ?? Infinity, until: fault.forMs === undefined ? Infinity : now + fault.forMs, turn: 0, toPass: fault.after ?? 0 };
}

function matches(fault: { ops?: ConnectorOp[] } & { remaining: number; until: number }, op: ConnectorOp, now: number): boolean {
  return fault.remaining > 0 && now < fault.until && (!fault.ops || fault.ops.includes(op));
}

export type ChaosDecision = {
  /** answer this 5xx, before (`afterDelivery` false) or after recording the delivery */
  serverError?: { status: number; afterDelivery: boolean };
  drop?: { afterDelivery: boolean };
  delayMs: number;
};

const none: ChaosDecision = Object.freeze({ delayMs: 0 }) as ChaosDecision;

export class Chaos {
  private serverErrors: Active<ServerErrorBurst> | null = null;
  private slow: SlowResponses | null = null;
  private drop: Active<DroppedConnections> | null = null;
  readonly failingUsers = new Set<string>();
  /** true while any fault other than failing users is set: the hot path skips everything else */
  private armed = false;

  constructor(private readonly random: () => number) {}

  set(settings: ChaosSettings, now: number): void {
    if (settings.serverErrors !== undefined) this.serverErrors = settings.serverErrors ? activate(settings.serverErrors, now) : null;
    if (settings.slow !== undefined) {
      if (settings.slow && !(settings.slow.delayMs >= 0)) throw new Error('slow.delayMs must be ≥ 0');
      this.slow = settings.slow ?? null;
    }
    if (settings.drop !== undefined) this.drop = settings.drop ? activate(settings.drop, now) : null;
    if (settings.failingUsers !== undefined) {
      this.failingUsers.clear();
      for (const id of settings.failingUsers) this.failingUsers.add(id);
    }
    this.armed = Boolean(this.serverErrors || this.slow || this.drop);
  }

  clear(): void {
    this.serverErrors = null;
    this.slow = null;
    this.drop = null;
    this.failingUsers.clear();
    this.armed = false;
  }

  describe(now: number): ChaosSettings {
    const strip = <T extends object>(f: (T & { remaining: number; until: number; turn: number; toPass: number }) | null) => {
      if (!f) return null;
      const { remaining, until, turn: _turn, toPass, after: _after, ...rest } = f as typeof f & { after?: number };
      return {
        ...rest, ...(toPass > 0 ? { after: toPass } : {}), ...(Number.isFinite(remaining) ? { count: remaining } : {}),
        ...(Number.isFinite(until) ? { forMs: Math.max(0, Math.round(until - now)) } : {}),
      } as unknown as T;
    };
    return { serverErrors: strip<ServerErrorBurst>(this.serverErrors), slow: this.slow, drop: strip<DroppedConnections>(this.drop), failingUsers: [...this.failingUsers] };
  }

  /** Decides what happens to one request; consumes a count when a fault applies. */
  decide(op: ConnectorOp, now: number): ChaosDecision {
    if (!this.armed) return none;
    const decision: ChaosDecision = { delayMs: 0 };
    const burst = this.serverErrors;
    if (burst && matches(burst, op, now)) {
      if (burst.toPass > 0) burst.toPass -= 1;
      else {
        const statuses = burst.statuses?.length ? burst.statuses : [500, 502, 503];
        decision.serverError = { status: statuses[burst.turn % statuses.length]!, afterDelivery: Boolean(burst.afterDelivery) };
        burst.turn += 1;
        burst.remaining -= 1;
      }
    }
    const drop = this.drop;
    if (!decision.serverError && drop && matches(drop, op, now) && (drop.fraction === undefined || this.random() < drop.fraction)) {
      decision.drop = { afterDelivery: Boolean(drop.afterDelivery) };
      drop.remaining -= 1;
    }
    const slow = this.slow;
    if (!decision.drop && slow && slow.delayMs + (slow.jitterMs ?? 0) > 0 && (!slow.ops || slow.ops.includes(op)) && (slow.fraction === undefined || this.random() < slow.fraction)) {
      decision.delayMs = slow.delayMs + (slow.jitterMs ? Math.floor(this.random() * slow.jitterMs) : 0);
    }
    return decision;
  }
}
