import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Chaos, seededRandom, type ChaosSettings, type DroppedConnections, type ServerErrorBurst, type SlowResponses } from './chaos.js';
import { Directory, type SimulatedConversation } from './conversations.js';
import { ConnectorLimits, documentedPerThreadLimits, documentedTenantRps, type CapAlgorithm, type PerThreadLimits, type ThreadScenario } from './limits.js';
import {
  buildReport, emptyTenantCounters,
  type ConnectorOp, type ConnectorReport, type Delivery, type EarlyRetry, type EditRecord, type FaultEvent, type ReportOptions, type TenantCounters, type ThrottleRecord,
} from './record.js';
import type { SimulatedMember, SimulatedTenant } from './roster.js';

export type ConnectorSimulatorOptions = {
  /** 0 (default) picks a free port; the simulator listens on 127.0.0.1 only */
  port?: number;
  /** requests per second per tenant, all operations together; 0 = no limit. Default 50, Microsoft's documented per-app-per-tenant limit */
  capPerTenant?: number;
  /** how the tenant cap counts: a sliding one-second window (default) or a token bucket */
  capAlgorithm?: CapAlgorithm;
  /** token bucket size (default: one second's worth) */
  burst?: number;
  /** per-bot-per-thread windows; default Microsoft's documented table; `false` turns them off */
  perConversation?: Partial<PerThreadLimits> | false;
  /** a fixed Retry-After (seconds) for every 429; computed from the limiter when absent */
  retryAfterSeconds?: number;
  /** rosters, teams and per-tenant caps */
  tenants?: Record<string, SimulatedTenant>;
  /** tenant for a create-conversation request that names none (Teams answers 400 then; so does the simulator when this is absent) */
  defaultTenantId?: string;
  /**
   * Conversations under ids the simulator did not mint (1:1 when `userId` is given). Ids from
   * `conversationIdFor` / `personalConversationId` need no registering: they encode tenant and user.
   */
  conversations?: Array<{ id: string; tenantId: string; userId?: string }>;
  /** accept sends to conversations the simulator does not know (tenant from the activity's channelData/conversation, else defaultTenantId); default false: 404 */
  acceptUnknownConversations?: boolean;
  chaos?: ChaosSettings;
  /** keep every delivered activity's parsed body on its Delivery (memory grows with the run) */
  keepActivities?: boolean;
  /** what identifies the message in an activity; default: `x-message-id` header, else the first `"messageId"` string in the body */
  messageIdOf?: (activity: Record<string, unknown>, headers: IncomingMessage['headers']) => string | undefined;
  /** activities larger than this answer 413 MessageSizeTooBig (Microsoft: ~100 KB); 0 = no limit */
  maxActivityBytes?: number;
  /** a retry this close to its Retry-After's expiry (timer granularity) is not counted as early; default 5 ms */
  earlyRetryToleranceMs?: number;
  /** seed for the fractions of slow and dropped requests */
  seed?: number;
};

export type ConnectorStats = {
  startedAt: number;
  uptimeMs: number;
  requests: number;
  byOp: Record<ConnectorOp, number>;
  byStatus: Record<string, number>;
  /** accepted activities, duplicates included */
  delivered: number;
  conversations: number;
  conversationsCreated: number;
  throttled: number;
  earlyRetries: number;
  duringBackoff: number;
  serverErrors: number;
  dropped: number;
  slowed: number;
  forbidden: number;
  unauthorized: number;
  inFlight: number;
  perTenant: Record<string, TenantCounters>;
};

export type SimulatorControl = {
  /** the cap for every tenant without its own, or for one tenant; 0 = no limit. Resets the limiter state it replaces */
  setCap(capPerTenant: number, tenantId?: string): void;
  setPerConversation(limits: Partial<PerThreadLimits> | false): void;
  /** fixed Retry-After seconds, or undefined to compute it */
  setRetryAfter(seconds: number | undefined): void;
  /** sets the faults named (null clears one); the others stay as they are */
  chaos(settings: ChaosSettings): void;
  serverErrors(burst: ServerErrorBurst | null): void;
  slow(settings: SlowResponses | null): void;
  drop(settings: DroppedConnections | null): void;
  /** replaces the set of users every request for whom answers 403 */
  failUsers(userIds: readonly string[]): void;
  clearChaos(): void;
  chaosState(): ChaosSettings;
  addTenant(tenantId: string, tenant: SimulatedTenant): void;
  /** a conversation under an id the simulator did not mint (1:1 when `userId` is given) */
  addConversation(conversation: { id: string; tenantId: string; userId?: string }): void;
  /** forgets records, counters, limiter state and faults (conversations stay: their ids are stable anyway) */
  reset(): void;
};

export type RunningConnectorSimulator = {
  /** the service URL to give the Teams SDK ApiClient */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** every accepted activity, in order (a live array) */
  readonly deliveries: readonly Delivery[];
  /** every 429, in order */
  readonly throttles: readonly ThrottleRecord[];
  readonly earlyRetries: readonly EarlyRetry[];
  readonly edits: readonly EditRecord[];
  deliveriesSince(seq: number): Delivery[];
  stats(): ConnectorStats;
  report(opts?: ReportOptions): ConnectorReport;
  /** the 1:1 conversation id creating a chat with this user returns */
  conversationIdFor(tenantId: string, userId: string): string;
  control: SimulatorControl;
};

const ops: ConnectorOp[] = ['createConversation', 'sendActivity', 'updateActivity', 'deleteActivity', 'getMembers', 'getTeam'];
const jsonType = 'application/json; charset=utf-8';
const emptyBody = '';
const messageIdPattern = /"messageId"\s*:\s*"((?:[^"\\]|\\.){1,256})"/;

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

const unauthorizedBody = JSON.stringify({ message: 'Authorization has been denied for this request.' });
const serverErrorBodies: Record<number, string> = {
  500: errorBody('ServiceError', 'An unexpected error occurred (injected by the connector simulator).'),
  502: errorBody('BadGateway', 'Bad gateway (injected by the connector simulator).'),
  503: errorBody('ServiceUnavailable', 'The service is unavailable (injected by the connector simulator).'),
  504: errorBody('GatewayTimeout', 'Gateway timeout (injected by the connector simulator).'),
};
const blockedBody = errorBody('ConversationBlockedByUser', 'User blocked the conversation with the bot.');

type Route =
  | { op: 'createConversation' }
  | { op: 'sendActivity'; conversationId: string; replyToId?: string }
  | { op: 'updateActivity' | 'deleteActivity'; conversationId: string; activityId: string }
  | { op: 'getMembers'; conversationId: string; memberId?: string; paged: boolean; query: string }
  | { op: 'getTeam'; teamId: string; conversations: boolean };

function seg(s: string | undefined): string {
  return s === undefined ? '' : s.includes('%') ? decodeURIComponent(s) : s;
}

function route(method: string, url: string): Route | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  const parts = path.split('/');
  // ['', 'v3', 'conversations' | 'teams', id, …]
  if (parts[1] !== 'v3') return undefined;
  if (parts[2] === 'conversations') {
    const n = parts.length;
    if (n === 3 || (n === 4 && parts[3] === '')) return method === 'POST' ? { op: 'createConversation' } : undefined;
    const conversationId = seg(parts[3]);
    const sub = parts[4]?.toLowerCase();
    if (sub === 'activities') {
      if (n === 5) return method === 'POST' ? { op: 'sendActivity', conversationId } : undefined;
      const activityId = seg(parts[5]);
      if (n === 6) {
        if (method === 'POST') return { op: 'sendActivity', conversationId, replyToId: activityId };
        if (method === 'PUT') return { op: 'updateActivity', conversationId, activityId };
        if (method === 'DELETE') return { op: 'deleteActivity', conversationId, activityId };
        return undefined;
      }
      if (n === 7 && parts[6] === 'members' && method === 'GET') return { op: 'getMembers', conversationId, paged: false, query };
      return undefined;
    }
    if (method !== 'GET') return undefined;
    if (sub === 'members' && n === 5) return { op: 'getMembers', conversationId, paged: false, query };
    if (sub === 'members' && n === 6) return { op: 'getMembers', conversationId, memberId: seg(parts[5]), paged: false, query };
    if (sub === 'pagedmembers' && n === 5) return { op: 'getMembers', conversationId, paged: true, query };
    return undefined;
  }
  if (parts[2] === 'teams' && method === 'GET') {
    if (parts.length === 4) return { op: 'getTeam', teamId: seg(parts[3]), conversations: false };
    if (parts.length === 5 && parts[4] === 'conversations') return { op: 'getTeam', teamId: seg(parts[3]), conversations: true };
  }
  return undefined;
}

function scenarioOf(op: ConnectorOp): ThreadScenario {
  return op === 'createConversation' ? 'create' : op === 'getMembers' || op === 'getTeam' ? 'members' : 'send';
}

function tenantFromActivity(body: Record<string, any> | undefined): string | undefined {
  const id = body?.channelData?.tenant?.id ?? body?.conversation?.tenantId ?? body?.tenantId;
  return typeof id === 'string' && id ? id : undefined;
}

function memberJson(m: SimulatedMember): Record<string, unknown> {
  // objectId is what the Bot Connector sends for Teams rosters; the SDK maps it to aadObjectId
  return { ...m, ...(m.aadObjectId ? { objectId: m.aadObjectId } : {}) };
}

/**
 * A Bot Connector stand-in for benchmarks and crash tests: the REST calls the Teams SDK ApiClient makes
 * (create a 1:1 conversation, send / update / delete an activity, members, paged members, team
 * channels), Microsoft's documented rate limits answered with 429 and Retry-After, switchable faults,
 * and a record of every accepted activity so a run can be checked for duplicates and gaps.
 *
 * Plain node:http, keep-alive, one JSON.parse per request: it should never be the bottleneck of a run.
 * Control endpoints under `/_simulator/` (stats, deliveries, report, chaos, cap, reset) let a process
 * that did not start it drive it (see main.ts).
 */
export async function startConnectorSimulator(options: ConnectorSimulatorOptions = {}): Promise<RunningConnectorSimulator> {
  const startedAt = Date.now();
  const directory = new Directory();
  const perThreadOf = (p: Partial<PerThreadLimits> | false | undefined): PerThreadLimits | false =>
    p === false ? false : { ...documentedPerThreadLimits, ...(p ?? {}) };
  const limits = new ConnectorLimits(
    { capPerTenant: options.capPerTenant ?? documentedTenantRps, perTenant: new Map(), algorithm: options.capAlgorithm ?? 'sliding-window', ...(options.burst !== undefined ? { burst: options.burst } : {}) },
    perThreadOf(options.perConversation),
  );
  if (options.capPerTenant !== undefined) limits.setCap(options.capPerTenant);
  for (const [tenantId, tenant] of Object.entries(options.tenants ?? {})) {
    directory.addTenant(tenantId, tenant);
    if (tenant.capPerTenant !== undefined) limits.setCap(tenant.capPerTenant, tenantId);
  }
  for (const c of options.conversations ?? []) directory.register(c.id, c.tenantId, c.userId);
  let fixedRetryAfter = options.retryAfterSeconds;
  const random = seededRandom(options.seed ?? 0x5eed);
  const chaos = new Chaos(random);
  if (options.chaos) chaos.set(options.chaos, performance.now());
  const tolerance = options.earlyRetryToleranceMs ?? 5;
  const maxActivityBytes = options.maxActivityBytes ?? 100 * 1024;
  const keepActivities = Boolean(options.keepActivities);

  // records
  let deliveries: Delivery[] = [];
  let throttles: ThrottleRecord[] = [];
  let earlyRetries: EarlyRetry[] = [];
  let edits: EditRecord[] = [];
  let faults: FaultEvent[] = [];
  let tenants = new Map<string, TenantCounters>();
  let byActivity = new Map<string, Delivery>();
  let deleted = new Set<string>();
  /** request identity → monotonic time its Retry-After expires */
  let retryDeadlines = new Map<string, number>();
  /** tenant → monotonic time its latest tenant-scope Retry-After expires */
  let tenantBackoff = new Map<string, number>();
  let requests = 0, unauthorized = 0, slowed = 0, conversationsCreated = 0, inFlight = 0;
  let byOp = Object.fromEntries(ops.map((o) => [o, 0])) as Record<ConnectorOp, number>;
  let byStatus: Record<string, number> = {};
  const activityBase = Date.now() * 1000;
  let activitySeq = 0;
  const timers = new Set<NodeJS.Timeout>();
  /** personal conversations created (as opposed to only sent to) since the last reset */
  const createdIds = new Set<string>();

  const counters = (tenantId: string): TenantCounters => {
    let c = tenants.get(tenantId);
    if (!c) tenants.set(tenantId, (c = emptyTenantCounters()));
    return c;
  };

  function finish(res: ServerResponse, status: number, body: string, delayMs: number, headers?: Record<string, string>, counted = true): void {
    if (counted) byStatus[status] = (byStatus[status] ?? 0) + 1;
    const write = () => {
      if (counted) inFlight -= 1;
      if (res.destroyed) return;
      const head: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
      if (body) head['content-type'] = jsonType;
      if (headers) Object.assign(head, headers);
      res.writeHead(status, head);
      res.end(body);
    };
    if (delayMs > 0) {
      const timer = setTimeout(() => { timers.delete(timer); write(); }, delayMs);
      timers.add(timer);
    } else write();
  }

  function dropConnection(req: IncomingMessage): void {
    inFlight -= 1;
    byStatus.dropped = (byStatus.dropped ?? 0) + 1;
    req.socket.destroy();
  }

  function messageIdOf(raw: string, activity: Record<string, unknown>, headers: IncomingMessage['headers']): string | undefined {
    if (options.messageIdOf) return options.messageIdOf(activity, headers);
    const header = headers['x-message-id'];
    if (typeof header === 'string' && header) return header;
    const m = messageIdPattern.exec(raw);
    if (!m) return undefined;
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1];
    }
  }

  /** What duplicates are counted on: the message id, or a hash of the activity when it carries none. */
  function contentKeyOf(raw: string, messageId: string | undefined): string {
    return messageId !== undefined ? `m:${messageId}` : `h:${createHash('sha1').update(raw).digest('base64url')}`;
  }

  function deliver(conversation: SimulatedConversation, raw: string, activity: Record<string, unknown>, messageId: string | undefined, contentKey: string, replyToId?: string): Delivery {
    const activityId = String(activityBase + ++activitySeq);
    const delivery: Delivery = {
      seq: deliveries.length + 1,
      at: Date.now(),
      tenantId: conversation.tenantId,
      conversationId: conversation.id,
      recipientId: conversation.kind === 'personal' ? conversation.userId! : conversation.id,
      ...(conversation.member?.aadObjectId ? { recipientAadId: conversation.member.aadObjectId } : {}),
      ...(messageId !== undefined ? { messageId } : {}),
      contentKey,
      activityId,
      activityType: typeof activity.type === 'string' ? activity.type : 'message',
      ...(replyToId ? { replyToId } : {}),
      answered: 'ok',
      ...(keepActivities ? { activity } : {}),
    };
    deliveries.push(delivery);
    byActivity.set(`${conversation.id}\u0000${activityId}`, delivery);
    counters(conversation.tenantId).delivered += 1;
    return delivery;
  }

  function isFailingUser(conversation: SimulatedConversation): boolean {
    if (!chaos.failingUsers.size || conversation.kind !== 'personal') return false;
    return chaos.failingUsers.has(conversation.userId!) || (conversation.member?.aadObjectId !== undefined && chaos.failingUsers.has(conversation.member.aadObjectId));
  }

  function parse(raw: string): Record<string, any> | undefined | 'invalid' {
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw);
      return value && typeof value === 'object' && !Array.isArray(value) ? value : 'invalid';
    } catch {
      return 'invalid';
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (url.startsWith('/_simulator/')) return controlEndpoint(method, url, raw, res);
    inFlight += 1;
    requests += 1;
    const auth = req.headers.authorization;
    if (!auth || !/^bearer\s+\S/i.test(auth)) {
      unauthorized += 1;
      return finish(res, 401, unauthorizedBody, 0);
    }
    const r = route(method, url);
    if (!r) return finish(res, 404, errorBody('NotFound', `${method} ${url.split('?')[0]} is not a Bot Connector operation the simulator knows`), 0);
    byOp[r.op] += 1;
    const body = parse(raw);
    if (body === 'invalid') return finish(res, 400, errorBody('BadSyntax', 'The body is not a JSON object.'), 0);

    // resolve the conversation (and so the tenant) the request is about
    let conversation: SimulatedConversation | undefined;
    let tenantId: string;
    let threadId: string;
    let requestKey: string;
    switch (r.op) {
      case 'createConversation': {
        if (!body) return finish(res, 400, errorBody('BadArgument', 'A body is required.'), 0);
        if (body.isGroup === true) return finish(res, 400, errorBody('BadArgument', 'Bots cannot create group conversations in Teams.'), 0);
        const userId = body.members?.[0]?.id;
        if (typeof userId !== 'string' || !userId || (Array.isArray(body.members) && body.members.length !== 1)) {
          return finish(res, 400, errorBody('BadArgument', 'members must hold exactly one user with an id.'), 0);
        }
        const tenant = (typeof body.tenantId === 'string' && body.tenantId) || tenantFromActivity(body) || options.defaultTenantId;
        if (!tenant) return finish(res, 400, errorBody('BadArgument', 'Tenant id is required (tenantId or channelData.tenant.id).'), 0);
        conversation = directory.personal(tenant, userId);
        tenantId = tenant;
        threadId = conversation.id;
        requestKey = `c\u0000${conversation.id}`;
        break;
      }
      case 'getTeam': {
        const team = directory.team(r.teamId);
        if (!team) return finish(res, 404, errorBody('NotFound', 'Team not found.'), 0);
        tenantId = team.tenantId;
        threadId = r.teamId;
        requestKey = `t\u0000${r.teamId}`;
        break;
      }
      default: {
        conversation = directory.find(r.conversationId);
        if (!conversation && options.acceptUnknownConversations && r.op === 'sendActivity') {
          const tenant = tenantFromActivity(body) ?? options.defaultTenantId;
          if (tenant) conversation = directory.register(r.conversationId, tenant);
        }
        if (!conversation) return finish(res, 404, errorBody('ConversationNotFound', 'Conversation not found.'), 0);
        if (r.op === 'sendActivity' && !body) return finish(res, 400, errorBody('BadArgument', 'An activity is required.'), 0);
        if (r.op === 'sendActivity' && maxActivityBytes > 0 && Buffer.byteLength(raw) > maxActivityBytes) {
          return finish(res, 413, errorBody('MessageSizeTooBig', `The activity is larger than ${maxActivityBytes} bytes.`), 0);
        }
        tenantId = conversation.tenantId;
        threadId = conversation.id;
        requestKey = r.op === 'sendActivity' ? '' : r.op === 'getMembers' ? `g\u0000${conversation.id}` : `${r.op === 'updateActivity' ? 'u' : 'd'}\u0000${conversation.id}\u0000${r.activityId}`;
      }
    }

    const tenantCounters = counters(tenantId);
    tenantCounters.requests += 1;
    const mono = performance.now();
    const now = Date.now();

    // did this tenant, or this very request, come back before its Retry-After expired?
    if (tenantBackoff.size) {
      const until = tenantBackoff.get(tenantId);
      if (until !== undefined) {
        if (mono < until - tolerance) {
          tenantCounters.duringBackoff += 1;
          faults.push({ at: now, tenantId, op: r.op, kind: 'duringBackoff' });
        } else tenantBackoff.delete(tenantId);
      }
    }
    let messageIdForKey: string | undefined;
    let contentKey = '';
    if (r.op === 'sendActivity') {
      // the same message to the same conversation is the same request, whatever its activity id
      messageIdForKey = messageIdOf(raw, body!, req.headers);
      contentKey = contentKeyOf(raw, messageIdForKey);
      requestKey = `s\u0000${conversation!.id}\u0000${contentKey}`;
    }
    if (retryDeadlines.size) {
      const deadline = retryDeadlines.get(requestKey);
      if (deadline !== undefined) {
        retryDeadlines.delete(requestKey);
        if (mono < deadline - tolerance) {
          tenantCounters.earlyRetries += 1;
          earlyRetries.push({ at: now, tenantId, op: r.op, ...(conversation ? { conversationId: conversation.id } : {}), ...(messageIdForKey !== undefined ? { messageId: messageIdForKey } : {}), earlyByMs: Math.round(deadline - mono) });
        }
      }
    }

    const decision = chaos.decide(r.op, mono);
    if (decision.delayMs > 0) {
      slowed += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'slowed' });
    }
    if (decision.serverError && !decision.serverError.afterDelivery) {
      tenantCounters.serverErrors += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'serverError' });
      const status = decision.serverError.status;
      return finish(res, status, serverErrorBodies[status] ?? errorBody('ServiceError', `Injected ${status}.`), decision.delayMs);
    }
    if (decision.drop && !decision.drop.afterDelivery) {
      tenantCounters.dropped += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'dropped' });
      return dropConnection(req);
    }

    const hit = limits.admit(tenantId, scenarioOf(r.op), threadId, mono);
    if (hit) {
      const retryAfter = fixedRetryAfter ?? Math.max(1, Math.ceil(hit.waitMs / 1000));
      const until = mono + retryAfter * 1000;
      retryDeadlines.set(requestKey, until);
      if (hit.scope === 'tenant' && (tenantBackoff.get(tenantId) ?? 0) < until) tenantBackoff.set(tenantId, until);
      tenantCounters.throttled += 1;
      tenantCounters.throttledByScope[hit.scope] += 1;
      throttles.push({ at: now, tenantId, ...(conversation ? { conversationId: conversation.id } : {}), op: r.op, scope: hit.scope, retryAfterSeconds: retryAfter });
      const message = hit.scope === 'tenant'
        ? `The bot exceeded the limit of ${limits.capOf(tenantId)} requests per second for this tenant.`
        : 'The bot exceeded the rate limit for this conversation.';
      return finish(res, 429, errorBody('TooManyRequests', message), decision.delayMs, { 'retry-after': String(retryAfter) });
    }

    if (conversation && isFailingUser(conversation)) {
      tenantCounters.forbidden += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'forbidden' });
      return finish(res, 403, blockedBody, decision.delayMs);
    }

    // the operation itself
    let status = 200;
    let responseBody = emptyBody;
    let delivery: Delivery | undefined;
    switch (r.op) {
      case 'createConversation': {
        const c = conversation!;
        if (!createdIds.has(c.id)) {
          createdIds.add(c.id);
          conversationsCreated += 1;
          tenantCounters.conversationsCreated += 1;
        }
        status = 201;
        if (body!.activity && typeof body!.activity === 'object') {
          const activityRaw = JSON.stringify(body!.activity);
          const messageId = messageIdOf(activityRaw, body!.activity, req.headers);
          delivery = deliver(c, activityRaw, body!.activity, messageId, contentKeyOf(activityRaw, messageId));
          responseBody = JSON.stringify({ id: c.id, activityId: delivery.activityId });
        } else responseBody = `{"id":${JSON.stringify(c.id)}}`;
        break;
      }
      case 'sendActivity': {
        delivery = deliver(conversation!, raw, body!, messageIdForKey, contentKey, r.replyToId);
        status = 201;
        responseBody = `{"id":"${delivery.activityId}"}`;
        break;
      }
      case 'updateActivity':
      case 'deleteActivity': {
        const key = `${conversation!.id}\u0000${r.activityId}`;
        const target = byActivity.get(key);
        if (!target || deleted.has(key)) return finish(res, 404, errorBody('ActivityNotFound', 'Activity not found.'), decision.delayMs);
        edits.push({ at: now, kind: r.op === 'updateActivity' ? 'update' : 'delete', tenantId, conversationId: conversation!.id, activityId: r.activityId, ...(target.messageId !== undefined ? { messageId: target.messageId } : {}) });
        if (r.op === 'deleteActivity') deleted.add(key);
        else responseBody = `{"id":${JSON.stringify(r.activityId)}}`;
        break;
      }
      case 'getMembers': {
        const members = directory.members(conversation!);
        if (r.memberId !== undefined) {
          const wanted = r.memberId.toLowerCase();
          const member = members.find((m) => m.id.toLowerCase() === wanted || m.aadObjectId?.toLowerCase() === wanted);
          if (!member) return finish(res, 404, errorBody('MemberNotFoundInConversation', 'The member is not in this conversation.'), decision.delayMs);
          responseBody = JSON.stringify(memberJson(member));
        } else if (r.paged) {
          const params = new URLSearchParams(r.query);
          // Microsoft: page size at least 50, at most 500, 200 by default
          const size = Math.min(500, Math.max(50, Number(params.get('pageSize')) || 200));
          const token = params.get('continuationToken');
          const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
          if (!Number.isInteger(start) || start < 0) return finish(res, 400, errorBody('BadArgument', 'Invalid continuation token.'), decision.delayMs);
          const page = members.slice(start, start + size).map(memberJson);
          const next = start + size < members.length ? Buffer.from(String(start + size), 'utf8').toString('base64url') : undefined;
          responseBody = JSON.stringify(next ? { continuationToken: next, members: page } : { members: page });
        } else responseBody = JSON.stringify(members.map(memberJson));
        break;
      }
      case 'getTeam': {
        const { team } = directory.team(r.teamId)!;
        responseBody = r.conversations
          ? JSON.stringify({ conversations: [{ id: team.id }, ...(team.channels ?? []).map((c) => ({ id: c.id, name: c.name }))] })
          : JSON.stringify({ id: team.id, name: team.name ?? null, aadGroupId: team.aadGroupId ?? null });
        break;
      }
    }

    if (decision.drop) {
      tenantCounters.dropped += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'dropped' });
      if (delivery) delivery.answered = 'dropped';
      return dropConnection(req);
    }
    if (decision.serverError) {
      tenantCounters.serverErrors += 1;
      faults.push({ at: now, tenantId, op: r.op, kind: 'serverError' });
      const s = decision.serverError.status;
      if (delivery) delivery.answered = s;
      return finish(res, s, serverErrorBodies[s] ?? errorBody('ServiceError', `Injected ${s}.`), decision.delayMs);
    }
    return finish(res, status, responseBody, decision.delayMs);
  }
  function stats(): ConnectorStats {
    let throttled = 0, early = 0, during = 0, serverErrors = 0, dropped = 0, forbidden = 0;
    const perTenant: Record<string, TenantCounters> = {};
    for (const [id, c] of tenants) {
      perTenant[id] = { ...c, throttledByScope: { ...c.throttledByScope } };
      throttled += c.throttled; early += c.earlyRetries; during += c.duringBackoff;
      serverErrors += c.serverErrors; dropped += c.dropped; forbidden += c.forbidden;
    }
    return {
      startedAt, uptimeMs: Date.now() - startedAt, requests, byOp: { ...byOp }, byStatus: { ...byStatus },
      delivered: deliveries.length, conversations: directory.conversationCount(), conversationsCreated,
      throttled, earlyRetries: early, duringBackoff: during, serverErrors, dropped, slowed, forbidden, unauthorized, inFlight, perTenant,
    };
  }

  const report = (opts?: ReportOptions) => buildReport({ deliveries, throttles, earlyRetries, faults }, opts);

  const control: SimulatorControl = {
    setCap: (cap, tenantId) => limits.setCap(cap, tenantId),
    setPerConversation: (p) => limits.setPerThread(perThreadOf(p)),
    setRetryAfter: (seconds) => {
      if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0)) throw new Error('Retry-After must be whole seconds ≥ 0');
      fixedRetryAfter = seconds;
    },
    chaos: (settings) => chaos.set(settings, performance.now()),
    serverErrors: (burst) => chaos.set({ serverErrors: burst }, performance.now()),
    slow: (settings) => chaos.set({ slow: settings }, performance.now()),
    drop: (settings) => chaos.set({ drop: settings }, performance.now()),
    failUsers: (ids) => chaos.set({ failingUsers: ids }, performance.now()),
    clearChaos: () => chaos.clear(),
    chaosState: () => chaos.describe(performance.now()),
    addConversation: ({ id, tenantId, userId }) => { directory.register(id, tenantId, userId); },
    addTenant: (tenantId, tenant) => {
      directory.addTenant(tenantId, tenant);
      if (tenant.capPerTenant !== undefined) limits.setCap(tenant.capPerTenant, tenantId);
    },
    reset: () => {
      deliveries = []; throttles = []; earlyRetries = []; edits = []; faults = [];
      tenants = new Map(); byActivity = new Map(); deleted = new Set(); retryDeadlines = new Map(); tenantBackoff = new Map();
      requests = 0; unauthorized = 0; slowed = 0; conversationsCreated = 0;
      byOp = Object.fromEntries(ops.map((o) => [o, 0])) as Record<ConnectorOp, number>;
      byStatus = {};
      createdIds.clear();
      limits.reset();
      chaos.clear();
    },
  };

  function controlEndpoint(method: string, url: string, raw: string, res: ServerResponse): void {
    const [path, query = ''] = url.split('?') as [string, string?];
    const reply = (status: number, value: unknown) => finish(res, status, value === undefined ? '' : JSON.stringify(value), 0, undefined, false);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return reply(400, { error: 'body is not JSON' });
    }
    try {
      switch (`${method} ${path}`) {
        case 'GET /_simulator/stats': return reply(200, stats());
        case 'GET /_simulator/deliveries': {
          const params = new URLSearchParams(query);
          const since = Number(params.get('since') ?? 0) || 0;
          const limit = Math.min(100_000, Number(params.get('limit') ?? 10_000) || 10_000);
          return reply(200, { deliveries: deliveries.slice(since, since + limit), total: deliveries.length });
        }
        case 'POST /_simulator/report': return reply(200, report(body));
        case 'GET /_simulator/throttles': return reply(200, { throttles });
        case 'GET /_simulator/chaos': return reply(200, chaos.describe(performance.now()));
        case 'POST /_simulator/chaos': control.chaos(body); return reply(200, chaos.describe(performance.now()));
        case 'DELETE /_simulator/chaos': control.clearChaos(); return reply(204, undefined);
        case 'POST /_simulator/cap': control.setCap(Number(body.capPerTenant), body.tenantId); return reply(204, undefined);
        case 'POST /_simulator/reset': control.reset(); return reply(204, undefined);
        default: return reply(404, { error: `${method} ${path} is not a simulator control endpoint` });
      }
    } catch (err) {
      return reply(400, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        handle(req, res, raw);
      } catch (err) {
        finish(res, 500, errorBody('SimulatorError', err instanceof Error ? err.message : String(err)), 0);
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get deliveries() { return deliveries; },
    get throttles() { return throttles; },
    get earlyRetries() { return earlyRetries; },
    get edits() { return edits; },
    deliveriesSince: (seq) => deliveries.slice(Math.max(0, seq)),
    stats,
    report,
    conversationIdFor: (tenantId, userId) => directory.personal(tenantId, userId).id,
    control,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
