import { randomUUID } from 'node:crypto';
import { RestError, TableClient } from '@azure/data-tables';
import { TokenBucketLimiter, type AcquireOptions, type ReserveOptions, type WindowHandover, type Written } from './token-bucket.js';
import { teamsRateLimits, toBucketRate, type BucketRate, type RateLimit, type TeamsApi } from './rates.js';

export type SharedRateLimiterOptions<A extends string> = {
  /** Azure Storage connection string (Azurite locally). */
  connectionString: string;
  /** Table holding the peer rows; one per deployment (add the storage prefix). */
  tableName: string;
  limits?: Record<A, RateLimit>;
  /** How often an active process renews its row and re-reads its peers (and their pauses); default 250 ms. */
  heartbeatMs?: number;
  /** A peer whose row was not renewed for this long is gone (killed, or idle). */
  peerTtlMs?: number;
  /**
   * A process leaves a (tenant, api) after this long without a call (an acquire, or a request leaving), and
   * its peers take its share back. A process that lingers keeps its peers at a smaller share: this held the
   * last second of a send to half rate when it was 10 s, and its last 0.5–1 s at 2 s and at 1.12 s.
   * Default: for a rate with a window (capRate), leaveIdleMs, leaving a residual row that keeps room for its
   * calls still in the window (see leave); for one without, the limit's window plus 100 ms (the leaver's
   * last calls have left the window Teams counts before its peers send at the larger share).
   */
  idleMs?: number;
  /** This process's id; random by default. */
  processId?: string;
  /** See TokenBucketLimiterOptions.reserveCatchUpMs. */
  reserveCatchUpMs?: number;
};

/** What a peer row holds; a process that left has a residual row (leftAt and the rest) instead. */
type PeerRow = {
  expiresAt?: number;
  pausedUntil?: number;
  peers?: number;
  /** when its last call was written */
  leftAt?: number;
  /** at most this many of its calls in any window, at most `perMs` per ms beyond `slack` */
  windowCalls?: number;
  perMs?: number;
  slack?: number;
};

/** A process that left, and the calls of its last window it may still have in the one Teams counts. */
export type Residual = { leftAt: number; windowCalls: number; perMs: number; slack: number };

/** How long without a call before a process leaves a rate with a window (see idleMs). */
const leaveIdleMs = 300;

type Membership = {
  key: string;
  tenantId: string;
  api: string;
  peers: number;
  /** the peers count this process's row says its share is divided by */
  written: number;
  /** no token until every peer's row says it has shrunk its share to make room for this process */
  ready: boolean;
  joinedAt: number;
  /** whether the local bucket has been sized to this process's share yet */
  sized: boolean;
  /** until when the local leaving window is still coming down from a larger share (see renew) */
  handoverUntil: number;
  /** how many shared the rate before that handover: they alone leave room for processes that left meanwhile */
  handoverFrom: number;
  lastUsed: number;
  pausedUntil: number;
  /** the expiry its row last said: peers may count it gone after, so it sends nothing after it (see fence) */
  validUntil: number;
  timer: NodeJS.Timeout;
  renewing?: Promise<void>;
  fencing?: Promise<void>;
  /** settles once the first renewal has sized the local bucket */
  joined: Promise<void>;
};

const pauseRow = '~pause';

/**
 * A per-(tenant, api) rate shared by every process of a deployment, so that W worker processes
 * together stay under Microsoft's per-app-per-tenant limit. Each process active for a tenant keeps a
 * row (renewed every heartbeat) in one Azure table; each takes rate / (live peers) locally in its own
 * token bucket, so no storage call sits on the per-request path. A 429's Retry-After is written to the
 * table too, and every peer pauses until it passes.
 *
 * A joining process takes no token until every peer's row says it divides by at least as many processes
 * (each peer writes that after shrinking its own bucket), polling fast meanwhile: no moment with both the
 * old peers' larger shares and the newcomer's, however slow a peer's heartbeat. A peer whose row does not
 * say (an older version) is trusted after two heartbeats. A killed process's share comes back to the
 * others after peerTtlMs.
 */
export class SharedRateLimiter<A extends string = TeamsApi> {
  readonly processId: string;
  private readonly table: TableClient;
  private readonly local: TokenBucketLimiter<A>;
  private readonly rates = new Map<string, BucketRate>();
  private readonly memberships = new Map<string, Membership>();
  private readonly heartbeatMs: number;
  private readonly peerTtlMs: number;
  private readonly idleMs: number | undefined;
  /** the window each api's limit is counted over (a leaver's calls stay in it that long) */
  private readonly windowMs = new Map<string, number>();
  /** how often a joining process looks whether its peers have made room */
  private readonly joinPollMs: number;
  private tableReady: Promise<void> | undefined;
  private stopped = false;
  private readonly catchUpMs: number;
  /** work under way per key (see hold) */
  private readonly holds = new Map<string, number>();
  /** a residual row being written, which a rejoin of the same key must not overtake */
  private readonly leaving = new Map<string, Promise<void>>();

  constructor(options: SharedRateLimiterOptions<A>) {
    const limits: Record<string, RateLimit> = options.limits ?? teamsRateLimits;
    for (const [api, limit] of Object.entries(limits)) {
      const rate = toBucketRate(limit);
      this.rates.set(api, rate);
      this.windowMs.set(api, 'windowSeconds' in limit ? limit.windowSeconds * 1000 : rate.window?.ms ?? 1000);
    }
    this.local = new TokenBucketLimiter<A>({ limits: options.limits, reserveCatchUpMs: options.reserveCatchUpMs });
    this.table = TableClient.fromConnectionString(options.connectionString, options.tableName, { allowInsecureConnection: true });
    this.heartbeatMs = options.heartbeatMs ?? 250;
    this.peerTtlMs = options.peerTtlMs ?? 3 * this.heartbeatMs;
    this.joinPollMs = Math.max(10, Math.round(this.heartbeatMs / 5));
    this.idleMs = options.idleMs;
    this.catchUpMs = Math.max(0, options.reserveCatchUpMs ?? 0);
    this.processId = options.processId ?? randomUUID();
  }

  async acquire(tenantId: string, api: A, options: AcquireOptions = {}): Promise<void> {
    const member = await this.join(tenantId, api);
    member.lastUsed = Date.now();
    const wait = member.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, options.signal);
    await this.local.acquire(tenantId, api, options);
    // a token taken while its row expired is spent: it takes another once its peers have made room again
    while (!this.valid(member)) {
      await this.fence(member);
      await this.local.acquire(tenantId, api, options);
    }
    member.lastUsed = Date.now();
  }

  /** Up to `count` tokens with the times to use them, no further ahead than `aheadMs` (see TokenBucketLimiter.reserve). */
  async reserve(tenantId: string, api: A, count: number, aheadMs: number, options: ReserveOptions = {}): Promise<number[]> {
    const member = await this.join(tenantId, api);
    member.lastUsed = Date.now();
    const wait = member.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, options.signal);
    const due = await this.local.reserve(tenantId, api, count, aheadMs, options);
    // calls are planned until the last token's time: not idle before then
    member.lastUsed = Math.max(Date.now(), due.at(-1) ?? 0);
    return due;
  }

  /**
   * Waits while this process's share of the last second is used up (see TokenBucketLimiter.beforeRequest). A
   * call planned before this process left the rate (held up longer than the idle time) joins it again first:
   * its peers must count it.
   */
  async beforeRequest(tenantId: string, api: A): Promise<Written> {
    const member = await this.join(tenantId, api);
    member.lastUsed = Date.now();
    let written = await this.local.beforeRequest(tenantId, api);
    // a token taken while its row expired is spent: it takes another once its peers have made room again
    while (!this.valid(member)) {
      await this.fence(member);
      written = await this.local.beforeRequest(tenantId, api);
    }
    // the time it is written is what the idle time and a residual row count from
    member.lastUsed = Date.now();
    return () => {
      written();
      member.lastUsed = Math.max(member.lastUsed, Date.now());
    };
  }

  /**
   * A process whose row has expired (its renewals came late: a busy event loop, slow storage) may have been
   * counted gone by its peers, who then took its share: it sends again only once they have made room, as a
   * newcomer does. Peers count a row that expired as a process that left then (a residual), so what it sent
   * before is left room for.
   */
  private async fence(member: Membership): Promise<void> {
    if (this.valid(member)) return;
    member.fencing ??= (async () => {
      member.ready = false;
      member.joinedAt = Date.now();
      while (!this.stopped) {
        await this.renewOnce(member).catch(() => undefined);
        if (member.ready && Date.now() < member.validUntil) break;
        await sleep(this.joinPollMs);
      }
      // as a newcomer: its peers' handovers count on its calls starting from nothing
      this.local.empty(member.tenantId, member.api as A);
    })().finally(() => { member.fencing = undefined; });
    await member.fencing;
  }

  /** Whether its row still says it is live (after stop(), calls in flight go as they are). */
  private valid(member: Membership): boolean {
    return Date.now() < member.validUntil || this.stopped;
  }

  /** One renewal at a time per membership: a caller arriving during one waits for it. */
  private renewOnce(member: Membership): Promise<void> {
    member.renewing ??= this.renew(member).finally(() => { member.renewing = undefined; });
    return member.renewing;
  }

  /** A token if one is free right now (after joining, outside a pause), without waiting. */
  tryAcquire(tenantId: string, api: A): boolean {
    const member = this.memberships.get(keyOf(tenantId, api));
    if (!member || !member.ready || !this.valid(member) || Date.now() < member.pausedUntil) return false;
    member.lastUsed = Date.now();
    return this.local.tryAcquire(tenantId, api);
  }

  /** Milliseconds left of a Retry-After pause this process knows of (its own 429s and its peers'). */
  pausedFor(tenantId: string, api: A): number {
    const member = this.memberships.get(keyOf(tenantId, api));
    return Math.max(this.local.pausedFor(tenantId, api), member ? member.pausedUntil - Date.now() : 0, 0);
  }

  private idleMsOf(api: string): number {
    if (this.idleMs !== undefined) return this.idleMs;
    return this.rates.get(api)?.window ? leaveIdleMs : (this.windowMs.get(api) ?? 1000) + 100;
  }

  /** Pauses this process now and every peer at its next heartbeat. */
  pauseFor(tenantId: string, api: A, retryAfterMs: number): void {
    this.local.pauseFor(tenantId, api, retryAfterMs);
    const until = Date.now() + Math.max(0, retryAfterMs);
    const member = this.memberships.get(keyOf(tenantId, api));
    if (member) member.pausedUntil = Math.max(member.pausedUntil, until);
    void this.writePause(tenantId, api, until).catch(() => undefined);
  }

  /** The whole deployment's rate for `api` in each tenant (what all processes share). */
  rateOf(api: A): BucketRate {
    const rate = this.rates.get(api);
    if (!rate) throw new Error(`no rate limit configured for api "${api}"`);
    return rate;
  }

  /** How many processes share the (tenant, api) rate as this process last saw it (1 when not active). */
  peersOf(tenantId: string, api: A): number {
    return this.memberships.get(keyOf(tenantId, api))?.peers ?? 1;
  }

  /** Leaves every (tenant, api) (see leave): the others get the whole rate back at their next heartbeat. */
  async stop(): Promise<void> {
    this.stopped = true;
    const members = [...this.memberships.values()];
    this.memberships.clear();
    for (const m of members) clearInterval(m.timer);
    await Promise.all([...members.map((m) => this.leave(m).catch(() => undefined)), ...this.leaving.values()]);
  }

  /**
   * Leaves a (tenant, api). For a rate with a window whose last calls may still be in the window Teams counts,
   * the row stays as a residual row until they have aged out of it: its peers take the whole share at once and
   * leave room in their windows for those calls as they age out, rather than waiting a whole window to know
   * they have. Otherwise the row goes.
   */
  private async leave(member: Membership): Promise<void> {
    const full = this.rates.get(member.api)!;
    const windowMs = this.windowMs.get(member.api) ?? 1000;
    const now = Date.now();
    if (!full.window || member.lastUsed + windowMs <= now) {
      await this.table.deleteEntity(member.key, this.processId).catch(() => undefined);
      return;
    }
    const residual: Residual = { leftAt: member.lastUsed, ...this.footprint(member, full, member.lastUsed - windowMs) };
    const expiresAt = member.lastUsed + windowMs;
    const write = this.table.upsertEntity({ partitionKey: member.key, rowKey: this.processId, expiresAt, peers: member.peers, ...residual }, 'Replace')
      .then((written) => written.etag, () => undefined)
      .finally(() => this.leaving.delete(member.key));
    this.leaving.set(member.key, write.then(() => undefined));
    const etag = await write;
    if (this.stopped || !etag) return;
    // gone once aged out, unless rewritten meanwhile (this process joined again, and maybe left again)
    setTimeout(() => {
      void this.table.deleteEntity(member.key, this.processId, { etag }).catch(() => undefined);
    }, Math.max(0, expiresAt - Date.now())).unref();
  }

  /**
   * What this process may have in a window of the rate: its share's window, or an older, larger share's while
   * a handover may have brought it down since `since`; at most its share's rate beyond its slack (burst and
   * catch-up).
   */
  private footprint(member: Membership, full: BucketRate, since: number): Omit<Residual, 'leftAt'> {
    const share = shareOf(full, member.peers);
    const sharedBy = member.handoverUntil > since ? Math.min(member.peers, member.handoverFrom) : member.peers;
    return {
      windowCalls: shareOf(full, sharedBy).window?.limit ?? Math.ceil(share.ratePerSecond + share.burst),
      perMs: share.ratePerSecond / 1000,
      slack: share.burst + (share.ratePerSecond * this.catchUpMs) / 1000,
    };
  }

  private async join(tenantId: string, api: A): Promise<Membership> {
    const key = keyOf(tenantId, api);
    const existing = this.memberships.get(key);
    if (existing) {
      await existing.joined;
      return existing;
    }
    if (this.stopped) throw new Error('the shared rate limiter was stopped');
    if (!this.rates.has(api)) throw new Error(`no rate limit configured for api "${api}"`);
    const member: Membership = {
      key, tenantId, api, peers: 1, written: 0, ready: false, joinedAt: Date.now(), sized: false, handoverUntil: 0, handoverFrom: 1, lastUsed: Date.now(), pausedUntil: 0, validUntil: 0, timer: undefined as unknown as NodeJS.Timeout, joined: Promise.resolve(),
    };
    // a residual row this process is still writing would otherwise land on top of its new row
    const left = this.leaving.get(key) ?? Promise.resolve();
    member.joined = left.then(() => this.renew(member)).then(async () => {
      // peers already sending shrink at their next heartbeat and say so in their rows
      while (!member.ready && !this.stopped) {
        await sleep(this.joinPollMs);
        await this.renew(member);
      }
      if (this.stopped) return;
      // a share starts from nothing. Peers already sending filled the last second up to their shares before
      // they shrank, and the tokens gathered while this process waited for them would go out on top of that;
      // alone, a first burst would fill this process's own window, and when a peer joins and the share halves,
      // that window keeps it silent until the burst has aged out of it
      this.local.empty(tenantId, api);
      member.timer = setInterval(() => { void this.tick(member); }, this.heartbeatMs);
      member.timer.unref();
    }).catch((err: unknown) => {
      this.memberships.delete(key);
      throw err;
    });
    this.memberships.set(key, member);
    await member.joined;
    return member;
  }

  private async tick(member: Membership): Promise<void> {
    if (member.renewing) return;
    if (this.idle(member, this.idleMsOf(member.api))) {
      await this.leaveNow(member);
      return;
    }
    await this.renewOnce(member).catch(() => undefined); // storage hiccup: keep the last share (until its row expires: fence)
  }

  /**
   * Whether the process has made no call for `forMs` and plans none: not during a Retry-After pause (every
   * sender is idle then, and leaving would only mean joining again after it), nor with calls in line for a
   * token or for its peers to make room again.
   */
  private idle(member: Membership, forMs: number): boolean {
    const now = Date.now();
    return now - member.lastUsed >= forMs && now >= member.pausedUntil && !this.local.busy(member.tenantId, member.api as A) && !member.fencing;
  }

  private async leaveNow(member: Membership): Promise<void> {
    if (this.memberships.get(member.key) !== member) return;
    clearInterval(member.timer);
    this.memberships.delete(member.key);
    await this.leave(member);
  }

  /**
   * Marks work under way on a (tenant, api) in this process (a send job); call the function returned when it
   * ends. Once none is left, the process leaves the rate at once, if it plans no call, rather than after the
   * idle time: the peers still sending take its share back at their next heartbeat, where they would
   * otherwise send the end of a broadcast at a part of the rate. Without holds, the idle time alone decides.
   */
  hold(tenantId: string, api: A): () => void {
    const key = keyOf(tenantId, api);
    this.holds.set(key, (this.holds.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(key) ?? 1) - 1;
      if (left > 0) {
        this.holds.set(key, left);
        return;
      }
      this.holds.delete(key);
      void this.leaveUnheld(key);
    };
  }

  private async leaveUnheld(key: string): Promise<void> {
    const member = this.memberships.get(key);
    if (!member || !member.ready || this.stopped) return;
    // a renewal on its way would write a live row over the residual row
    await member.renewing?.catch(() => undefined);
    if (this.holds.has(key) || !this.idle(member, 0)) return;
    await this.leaveNow(member).catch(() => undefined);
  }

  /**
   * Renews this process's row, counts live peers, picks up a shared pause, resizes the local bucket, and
   * only then writes the new count to its row (a newcomer waits for it); a joining process checks whether
   * every peer has made room.
   */
  private async renew(member: Membership): Promise<void> {
    await this.ensureTable();
    const now = Date.now();
    await this.writeRow(member, now);
    let peers = 0;
    let pausedUntil = 0;
    const othersDivideBy: Array<number | undefined> = [];
    const residuals: Residual[] = [];
    const windowMs = this.windowMs.get(member.api) ?? 1000;
    for await (const row of this.table.listEntities<PeerRow>({ queryOptions: { filter: `PartitionKey eq '${member.key.replace(/'/g, "''")}'` } })) {
      const expiresAt = Number(row.expiresAt ?? 0);
      if (row.rowKey === pauseRow) pausedUntil = Number(row.pausedUntil ?? 0);
      else if (row.leftAt !== undefined) {
        if (row.rowKey !== this.processId && expiresAt > now) residuals.push(residualOf(row, Number(row.leftAt)));
      } else if (expiresAt > now) {
        peers += 1;
        if (row.rowKey !== this.processId) othersDivideBy.push(row.peers === undefined ? undefined : Number(row.peers));
      } else if (row.rowKey !== this.processId && row.windowCalls !== undefined && expiresAt + windowMs > now) {
        // killed, or its renewals late: it sends nothing after its row's expiry (fence), which is when it left
        residuals.push(residualOf(row, expiresAt));
      }
    }
    const before = member.peers;
    member.peers = Math.max(1, peers);
    if (pausedUntil > now && pausedUntil > member.pausedUntil) {
      member.pausedUntil = pausedUntil;
      this.local.pauseFor(member.tenantId, member.api as A, pausedUntil - now);
    }
    if (!member.sized || member.peers !== before) {
      const full = this.rates.get(member.api)!;
      this.local.setRate(member.tenantId, member.api as A, shareOf(full, member.peers), this.handover(member, full, before, now));
      member.sized = true;
    }
    // the processes that share the rate leave room between them for the calls of those that left; during a
    // handover the old peers alone, as they keep the window less the newcomers' calls
    const sharers = now < member.handoverUntil ? member.handoverFrom : member.peers;
    this.local.setReserved(member.tenantId, member.api as A, residuals.length > 0 ? reservedBy(residuals, windowMs, sharers) : undefined);
    if (member.written !== member.peers) await this.writeRow(member, Date.now());
    const waitedTwoHeartbeats = Date.now() - member.joinedAt >= 2 * this.heartbeatMs;
    member.ready ||= othersDivideBy.every((n) => (n === undefined ? waitedTwoHeartbeats : n >= member.peers));
  }

  /**
   * How a sending process's leaving window comes down when newcomers join. Its calls of the last second fill
   * up to its old share's window, and at the new share's smaller one it would sit silent until they aged out.
   * A newcomer starts from an empty bucket once every old peer has shrunk (join), so within t ms it has sent
   * at most its share's rate × t: the old peers together may keep the whole window less that, and each
   * comes down from its old limit by its part of the newcomers' rate. Another change during a handover ends
   * it at once (the new share's window, safe whatever came before).
   */
  private handover(member: Membership, full: BucketRate, before: number, now: number): WindowHandover | undefined {
    const after = member.peers;
    if (!member.ready || !full.window || after <= before || now < member.handoverUntil) {
      member.handoverUntil = 0;
      return undefined;
    }
    member.handoverUntil = now + full.window.ms;
    member.handoverFrom = before;
    return windowHandover(full.window, full.ratePerSecond, before, after, now);
  }

  private async writeRow(member: Membership, now: number): Promise<void> {
    const peers = member.peers;
    const expiresAt = now + this.peerTtlMs;
    const full = this.rates.get(member.api)!;
    // what it may have in a window, for its peers to leave room for should its row expire (see renew)
    const footprint = full.window ? this.footprint(member, full, now - (this.windowMs.get(member.api) ?? 1000)) : {};
    await this.table.upsertEntity({ partitionKey: member.key, rowKey: this.processId, expiresAt, peers, ...footprint }, 'Replace');
    member.written = peers;
    member.validUntil = Math.max(member.validUntil, expiresAt);
  }

  private async writePause(tenantId: string, api: A, until: number): Promise<void> {
    await this.ensureTable();
    const key = keyOf(tenantId, api);
    // the later pause wins; a lost race only means a slightly shorter shared pause, and each peer's own 429s still pause it
    const current = await this.table.getEntity<{ pausedUntil?: number }>(key, pauseRow).catch((err: unknown) => {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    });
    if (current && Number(current.pausedUntil ?? 0) >= until) return;
    await this.table.upsertEntity({ partitionKey: key, rowKey: pauseRow, pausedUntil: until }, 'Replace');
  }

  private ensureTable(): Promise<void> {
    this.tableReady ??= this.table.createTable().catch((err: unknown) => {
      if (err instanceof RestError && err.statusCode === 409) return;
      this.tableReady = undefined;
      throw err;
    });
    return this.tableReady;
  }
}

/**
 * The handover of each of `before` peers sending at their shares of a rate with `window` when `after − before`
 * newcomers join at `at` (see SharedRateLimiter.handover).
 */
export function windowHandover(window: { limit: number }, ratePerSecond: number, before: number, after: number, at: number): WindowHandover {
  const newcomersPerMs = ((after - before) * ratePerSecond) / after / 1000;
  // one call less per newcomer: between two calls of an old peer a newcomer's next call may already be due
  return { from: Math.floor((window.limit - (after - before)) / before), at, perMs: newcomersPerMs / before };
}

/** One process's share of a rate; the burst and window shrink with it so their sums stay the whole. */
export function shareOf(rate: BucketRate, peers: number): BucketRate {
  const n = Math.max(1, peers);
  const share: BucketRate = { ratePerSecond: rate.ratePerSecond / n, burst: Math.max(1, rate.burst / n) };
  if (rate.window) share.window = { limit: Math.max(1, Math.floor(rate.window.limit / n)), ms: rate.window.ms };
  return share;
}

function residualOf(row: PeerRow, leftAt: number): Residual {
  return { leftAt, windowCalls: Number(row.windowCalls ?? 0), perMs: Number(row.perMs ?? 0), slack: Number(row.slack ?? 0) };
}

/**
 * Each of `sharers` processes' part of the calls that processes which left may still have in a window of
 * `windowMs`: a leaver's calls in the window ending at t were made in (t − windowMs, leftAt], at most its
 * window's worth, and at most its slack plus its rate over that span.
 */
export function reservedBy(residuals: readonly Residual[], windowMs: number, sharers: number): (now: number) => number {
  return (now) => {
    let calls = 0;
    for (const r of residuals) {
      const span = r.leftAt + windowMs - now;
      if (span > 0) calls += Math.min(r.windowCalls, r.slack + r.perMs * span);
    }
    return calls / Math.max(1, sharers);
  };
}

function keyOf(tenantId: string, api: string): string {
  return `${api}|${tenantId}`;
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
