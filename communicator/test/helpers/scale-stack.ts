import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstallationStore, type Installation, type RunningAppServer } from '@teamspro/core';
import { startAppForTest } from '../../../devtools/src/harness/app-under-test.js';
import { startChild, type ManagedChild } from '../../../devtools/src/harness/child.js';
import { freePort } from '../../../devtools/src/harness/ports.js';
import { startConnectorSimulator, type ConnectorReport, type ConnectorSimulatorOptions, type RunningConnectorSimulator } from '../../../devtools/src/connector/index.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../../devtools/src/identity/index.js';
import type { Message, RecipientRow, Report } from '../../src/api/contract.js';
import { createCommunicatorApp } from '../../src/app.js';
import { tenantA, tenantB } from '../../../devtools/src/seed/tenants.js';
import { eventually } from './harness.js';

/**
 * A scaled-out Company Communicator for black-box resilience tests: the API process (in this process,
 * IN_PROCESS_WORKERS=false), W worker processes (`communicator/src/worker.ts`, each its own process group,
 * so one can be SIGKILLed), the Bot Connector simulator as every install's service URL, and the dev
 * identity provider for the author's token. Tests see only the API, the simulator and storage rows.
 * SCALE_TRACE=1 prints progress (worker start-up, the message's counts, the simulator's) every second.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const workerEntry = path.join(root, 'communicator/src/worker.ts');

export const tenantId = tenantA.id;
/** tenant A's author in the seed */
export const authorUpn = 'meganb@example.com';
/** The seed's second tenant and its author, for tests with two tenants sending at once. */
export const otherTenant = { tenantId: tenantB.id, authorUpn: tenantB.users.find((u) => u.roles.includes('Author'))!.userPrincipalName };
/** Whose API calls and installs: tenant A's author unless told otherwise. */
export type As = { tenantId: string; authorUpn: string };
const tenantAAuthor: As = { tenantId, authorUpn };
const audience = 'api://localhost/communicator';

/** Knobs the worker processes get (communicator/src/options.ts optionsFromEnv): short enough for a test. */
export const testWorkerKnobs: Record<string, string> = {
  CC_SENDING_GRACE_MS: '1500',
  CC_SEND_VISIBILITY_SECONDS: '3',
  CC_PIPELINE_VISIBILITY_SECONDS: '3',
  CC_POLL_INTERVAL_MS: '100',
  CC_FINALIZE_INTERVAL_SECONDS: '1',
  CC_JOB_RETRY_BASE_SECONDS: '1',
};

export type ScaleStackOptions = {
  /** storage for the API and the workers; default the suite's Azurite (STORAGE_CONNECTION_STRING) */
  connectionString?: string;
  /** worker processes started at once (default 1) */
  workers?: number;
  /** BOT_CONNECTOR_RATE: the per-tenant rate the workers share (requests/s) */
  botConnectorRate?: number;
  sim?: ConnectorSimulatorOptions;
  /** more environment for the workers (overrides testWorkerKnobs) */
  workerEnv?: Record<string, string>;
};

export type Reply<T = any> = { status: number; body: T };

export type Final = { message: Message; elapsedMs: number };

export class ScaleStack {
  readonly workers: ManagedChild[] = [];
  private readonly topicIds = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly workerEnv: Record<string, string>;
  private stopped = false;

  private constructor(
    readonly sim: RunningConnectorSimulator,
    readonly idp: RunningIdentityProvider,
    readonly api: RunningAppServer,
    readonly prefix: string,
    readonly connectionString: string,
    opts: ScaleStackOptions,
  ) {
    this.workerEnv = {
      NODE_ENV: 'test', LOG_LEVEL: 'warn', STORAGE_CONNECTION_STRING: connectionString, STORAGE_PREFIX: prefix,
      AUTH_AUDIENCE: audience, DEV_IDENTITY_URL: idp.url, BOT_CONNECTOR_RATE: String(opts.botConnectorRate ?? 100),
      ...testWorkerKnobs, ...opts.workerEnv,
    };
  }

  static async start(opts: ScaleStackOptions = {}): Promise<ScaleStack> {
    const connectionString = opts.connectionString ?? process.env.STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new Error('STORAGE_CONNECTION_STRING is not set: run tests through npm test or npx mocha');
    const started: Array<{ stop(): Promise<void> }> = [];
    let stack: ScaleStack | undefined;
    try {
      const sim = await startConnectorSimulator({ perConversation: false, ...opts.sim });
      started.push(sim);
      const idp = await startIdentityProvider();
      started.push(idp);
      const prefix = `s${randomBytes(4).toString('hex')}`;
      // the API process: it resolves nothing and sends nothing itself, the workers do
      const api = await startAppForTest(createCommunicatorApp(), {
        IN_PROCESS_WORKERS: 'false', STORAGE_CONNECTION_STRING: connectionString, STORAGE_PREFIX: prefix,
        DEV_IDENTITY_URL: idp.url, AUTH_AUDIENCE: audience,
      });
      started.push(api);
      stack = new ScaleStack(sim, idp, api, prefix, connectionString, opts);
      for (let i = 0; i < (opts.workers ?? 1); i++) await stack.startWorker();
      return stack;
    } catch (err) {
      // whatever started is stopped: the stack stops its workers, the API, the identity provider and the simulator
      if (stack) await stack.stop();
      else for (const s of started.reverse()) await s.stop().catch(() => undefined);
      throw err;
    }
  }

  /** Starts one more worker process and waits until it answers /healthz (its queue runners are started by then). */
  async startWorker(): Promise<ManagedChild> {
    const port = await freePort();
    const child = startChild(`worker-${this.workers.length + 1}`, process.execPath, ['--import', 'tsx', workerEntry], {
      cwd: root, env: { ...process.env, ...this.workerEnv, WORKER_PORT: String(port) }, quiet: true,
    });
    this.workers.push(child);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.process.exitCode !== null || child.process.signalCode !== null) {
        throw new Error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) while starting:\n${child.output()}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) {
          if (process.env.SCALE_TRACE) console.log(`  [trace] ${child.name} up after ${Date.now() - (deadline - 60_000)} ms`);
          return child;
        }
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`${child.name} did not answer /healthz within 60 s:\n${child.output()}`);
      await sleep(150);
    }
  }

  /** SIGKILL to the worker's whole process group (no shutdown hooks run), then waits for it to be gone. */
  async killWorker(child: ManagedChild): Promise<void> {
    const p = child.process;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    try { process.kill(-p.pid!, 'SIGKILL'); } catch { p.kill('SIGKILL'); }
    await exited;
  }

  /**
   * `count` people who installed the app, straight into storage, each with a 1:1 chat on the simulator
   * (or at the service URL `serviceUrlOf` gives for their index). Returns their AAD object ids, in
   * order (what the simulator reports them by).
   */
  async seedInstalls(count: number, opts: { serviceUrlOf?: (index: number) => string | undefined; as?: As } = {}): Promise<string[]> {
    const { tenantId } = opts.as ?? tenantAAuthor;
    const installs: Installation[] = [];
    for (let i = 0; i < count; i++) {
      const aad = randomUUID();
      installs.push({
        conversationId: this.sim.conversationIdFor(tenantId, aad), conversationType: 'personal', serviceUrl: opts.serviceUrlOf?.(i) ?? this.sim.url,
        userId: aad, teamsUserId: `29:scale-${i}-${aad.slice(0, 8)}`, userName: `Person ${String(i).padStart(4, '0')}`,
        locale: i % 3 === 0 ? 'fr-FR' : 'en-US', installedAt: new Date().toISOString(),
      });
    }
    await new InstallationStore(this.api.ctx.storage).saveMany({ tenantId }, installs);
    return installs.map((i) => i.userId!);
  }

  async request<T = any>(method: string, p: string, body?: unknown, as: As = tenantAAuthor): Promise<Reply<T>> {
    let token = this.tokens.get(as.authorUpn);
    if (!token) {
      token = await this.idp.idp.issueUserToken({ userId: as.authorUpn, audience });
      this.tokens.set(as.authorUpn, token);
    }
    const res = await fetch(`${this.api.url}/api${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T };
  }

  /** A draft to everyone who installed the app (English and French), sent now. Returns the message id. */
  async broadcast(title: string, as: As = tenantAAuthor): Promise<string> {
    let topicId = this.topicIds.get(as.tenantId);
    if (!topicId) {
      const topic = await this.request('POST', '/topics', { name: 'Resilience' }, as);
      if (topic.status !== 201 && topic.status !== 200) throw new Error(`POST /topics → ${topic.status} ${JSON.stringify(topic.body)}`);
      topicId = topic.body.id as string;
      this.topicIds.set(as.tenantId, topicId);
    }
    const draft = await this.request('POST', '/drafts', {
      topicId, author: 'Resilience test', layout: 'standard',
      feedback: { reactions: true, acknowledge: false, rating: false, comment: false }, audience: [{ kind: 'allUsers' }],
      variants: [
        { locale: 'en-US', title, summary: 'Resilience test', body: 'Hello', links: [] },
        { locale: 'fr-FR', title: `${title} (fr)`, summary: 'Test de résilience', body: 'Bonjour', links: [] },
      ],
    }, as);
    if (draft.status !== 201 && draft.status !== 200) throw new Error(`POST /drafts → ${draft.status} ${JSON.stringify(draft.body)}`);
    const id = draft.body.id as string;
    const send = await this.request('POST', `/messages/${id}/send`, {}, as);
    if (send.status >= 300) throw new Error(`POST /messages/${id}/send → ${send.status} ${JSON.stringify(send.body)}`);
    return id;
  }

  /** Polls (tolerating API errors, e.g. while storage is down) until `check` returns a value; a timeout says where the run stood. */
  async until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
    try {
      return await eventually(async () => check(), what, timeoutMs, everyMs);
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (after ${timeoutMs} ms)\n${await this.diagnostics()}`);
    }
  }

  /** Waits until the simulator has accepted at least `count` activities since `since` (a Date.now()). */
  waitForDeliveries(count: number, since: number, timeoutMs = 30_000): Promise<number> {
    return this.until(`${count} deliveries`, () => {
      const n = this.sim.report({ startedAt: since }).deliveries;
      return n >= count ? n : undefined;
    }, timeoutMs, 10);
  }

  /**
   * Waits for the message to leave queued/resolving/sending; returns it as the API shows it. On timeout
   * the error says where it stood: status, counts, and the rows still not final (a stuck send).
   */
  async waitForEnd(messageId: string, timeoutMs: number, as: As = tenantAAuthor): Promise<Final> {
    const started = Date.now();
    let traced = 0;
    let last: Message | undefined;
    try {
      const message = await this.until(`message ${messageId} to finish`, async () => {
        const res = await this.request<Message>('GET', `/messages/${messageId}`, undefined, as);
        if (res.status === 200) last = res.body;
        if (process.env.SCALE_TRACE && Date.now() - traced >= 1000) {
          traced = Date.now();
          const st = this.sim.stats();
          console.log(`  [trace +${((Date.now() - started) / 1000).toFixed(1)}s] ${res.status} ${res.body?.status} counts=${JSON.stringify(res.body?.counts)} sim delivered=${st.delivered} requests=${st.requests} 429=${st.throttled} 5xx=${st.serverErrors}`);
        }
        if (res.status !== 200) throw new Error(`GET /messages/${messageId} → ${res.status}`);
        return ['sent', 'failed', 'canceled'].includes(res.body.status) ? res.body : undefined;
      }, timeoutMs, 250);
      return { message, elapsedMs: Date.now() - started };
    } catch (err) {
      let rows = '';
      try {
        const open = await this.recipients(messageId, 'queued', as);
        rows = `${open.length} rows not final (queued or sending): ${open.slice(0, 10).map((r) => `${r.recipientId} retries=${r.retries}${r.failureReason ? ` "${r.failureReason}"` : ''}`).join('; ')}`;
      } catch { /* the API is down too */ }
      throw new Error(`${(err as Error).message}\nlast seen: ${last ? `${last.status} counts=${JSON.stringify(last.counts)}` : 'nothing'}\n${rows}`);
    }
  }

  async report(messageId: string): Promise<Report> {
    const res = await this.request<Report>('GET', `/messages/${messageId}/report`);
    if (res.status !== 200) throw new Error(`GET /messages/${messageId}/report → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Every recipient row through the API's paging (optionally one status). */
  async recipients(messageId: string, status?: 'queued' | 'sent' | 'failed', as: As = tenantAAuthor): Promise<RecipientRow[]> {
    const out: RecipientRow[] = [];
    let cursor: string | undefined;
    do {
      const q = new URLSearchParams({ limit: '500', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const res = await this.request<{ items: RecipientRow[]; cursor?: string }>('GET', `/messages/${messageId}/recipients?${q}`, undefined, as);
      if (res.status !== 200) throw new Error(`GET recipients → ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.body.items);
      cursor = res.body.cursor;
    } while (cursor);
    return out;
  }

  /**
   * How the recipient rows of the simulator's missing and duplicated recipients look through the API
   * (status, unconfirmed, retries, reason): which rows a failure is about.
   */
  async explain(messageId: string, r: ConnectorReport): Promise<string> {
    const ids = new Set([...r.missing.map((m) => m.recipientId), ...r.duplicates.map((d) => d.recipientId)]);
    if (!ids.size) return '';
    const rows = await this.recipients(messageId).catch(() => [] as RecipientRow[]);
    const byId = new Map(rows.map((row) => [row.recipientId, row]));
    const describe = (id: string) => {
      const row = byId.get(id);
      return row ? `${id}: ${row.status}${row.unconfirmed ? ' unconfirmed' : ''} retries=${row.retries}${row.failureReason ? ` reason="${row.failureReason}"` : ''}` : `${id}: no row`;
    };
    const tally = (list: string[]) => {
      const t: Record<string, number> = {};
      for (const id of list) {
        const row = byId.get(id);
        const k = row ? `${row.status}${row.unconfirmed ? '+unconfirmed' : ''}` : 'no row';
        t[k] = (t[k] ?? 0) + 1;
      }
      return JSON.stringify(t);
    };
    const missing = r.missing.map((m) => m.recipientId);
    const dup = r.duplicates.map((d) => d.recipientId);
    return [
      missing.length ? `missing rows (${r.missingCount}, first ${missing.length} by status ${tally(missing)}):\n  ${missing.slice(0, 10).map(describe).join('\n  ')}` : '',
      dup.length ? `duplicated rows (${r.duplicateCount}, by status ${tally(dup)}):\n  ${dup.slice(0, 10).map(describe).join('\n  ')}` : '',
    ].filter(Boolean).join('\n');
  }

  /** What a failing assertion prints: the simulator's view, the workers' last output. */
  async diagnostics(): Promise<string> {
    const s = this.sim.stats();
    const lines = [
      `simulator: requests=${s.requests} delivered=${s.delivered} throttled=${s.throttled} serverErrors=${s.serverErrors} forbidden=${s.forbidden} ` +
        `unauthorized=${s.unauthorized} earlyRetries=${s.earlyRetries} duringBackoff=${s.duringBackoff} byStatus=${JSON.stringify(s.byStatus)}`,
    ];
    for (const w of this.workers) {
      const state = w.process.exitCode !== null || w.process.signalCode !== null ? `exited ${w.process.exitCode ?? w.process.signalCode}` : 'running';
      lines.push(`${w.name} (${state}), last output:\n${w.output().split('\n').slice(-15).join('\n')}`);
    }
    return lines.join('\n');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.workers.map((w) => w.stop(3000).catch(() => undefined)));
    await this.api.stop().catch(() => undefined);
    await this.idp.stop().catch(() => undefined);
    await this.sim.stop().catch(() => undefined);
  }
}

/** One line for an assertion message: the simulator report's numbers that matter here. */
export function summary(r: ConnectorReport): string {
  return `delivered=${r.delivered} deliveries=${r.deliveries} duplicates=${r.duplicateCount} missing=${r.missingCount} unexpected=${r.unexpected} ` +
    `unacknowledged=${r.unacknowledged} throttled=${r.throttled} earlyRetries=${r.earlyRetries} duringBackoff=${r.duringBackoff} serverErrors=${r.serverErrors}` +
    (r.duplicates.length ? ` duplicated=${JSON.stringify(r.duplicates.slice(0, 5).map((d) => ({ recipient: d.recipientId, count: d.count })))}` : '') +
    (r.missing.length ? ` missingIds=${JSON.stringify(r.missing.slice(0, 5).map((m) => m.recipientId))}` : '');
}

/**
 * Requests of the tenant (deliveries and 429s, from the simulator's record) that arrived while a
 * tenant-wide Retry-After was running, split by whether they arrived within `inFlightMs` of the 429
 * that started it (sent before the client could have read that 429) or later (the client had it).
 */
export function backoffBreakdown(sim: RunningConnectorSimulator, since: number, inFlightMs = 100): { total: number; inFlight: number; afterKnown: number; maxLateMs: number } {
  const throttles = sim.throttles.filter((t) => t.at >= since && t.scope === 'tenant');
  const arrivals = [...sim.deliveries.filter((d) => d.at >= since).map((d) => ({ at: d.at, tenantId: d.tenantId })), ...throttles.map((t) => ({ at: t.at, tenantId: t.tenantId }))];
  let total = 0, inFlight = 0, afterKnown = 0, maxLateMs = 0;
  for (const a of arrivals) {
    // the earliest 429 whose Retry-After was still running when this request arrived (strictly after it)
    const covering = throttles.filter((t) => t.tenantId === a.tenantId && t.at < a.at && a.at < t.at + t.retryAfterSeconds * 1000 - 5);
    if (!covering.length) continue;
    total += 1;
    const first = Math.min(...covering.map((t) => t.at));
    const late = a.at - first;
    if (late <= inFlightMs) inFlight += 1;
    else { afterKnown += 1; maxLateMs = Math.max(maxLateMs, late); }
  }
  return { total, inFlight, afterKnown, maxLateMs };
}

export type Outcome = {
  message: Message;
  report: Report;
  rows: RecipientRow[];
  sim: ConnectorReport;
  /** the simulator summary plus the rows of missing / duplicated recipients, for assertion messages */
  detail: string;
};

/**
 * Waits for the message to finish, then gathers what the tests assert on: the API's message, report and
 * recipient rows, and the simulator's report (from `startedAt`, against the people expected to get it).
 */
export async function outcomeOf(stack: ScaleStack, messageId: string, opts: { expected: string[]; startedAt: number; timeoutMs: number; note?: string }): Promise<Outcome> {
  const { message } = await stack.waitForEnd(messageId, opts.timeoutMs);
  const sim = stack.sim.report({ expected: { [tenantId]: opts.expected }, startedAt: opts.startedAt });
  const [report, rows] = await Promise.all([stack.report(messageId), stack.recipients(messageId)]);
  const explained = await stack.explain(messageId, sim);
  const tally = (f: (r: RecipientRow) => boolean) => rows.filter(f).length;
  const rowLine = `rows: ${rows.length} sent=${tally((r) => r.status === 'sent')} (unconfirmed ${tally((r) => !!r.unconfirmed)}) failed=${tally((r) => r.status === 'failed')} ` +
    `queued=${tally((r) => r.status === 'queued')} retried=${tally((r) => r.retries > 0)}; problems=${JSON.stringify(report.problems)}`;
  const detail = [`message ${message.status} counts=${JSON.stringify(message.counts)}`, rowLine, `simulator: ${summary(sim)}`, opts.note ?? '', explained].filter(Boolean).join('\n');
  return { message, report, rows, sim, detail };
}

/**
 * Checks several things at once and fails with every mismatch (not only the first), plus `detail`:
 * a failure then says all that went wrong in the run. Each check is [actual, expected].
 */
export function expectAll(detail: string, checks: Record<string, [unknown, unknown]>): void {
  const wrong = Object.entries(checks)
    .filter(([, [actual, expected]]) => JSON.stringify(actual) !== JSON.stringify(expected))
    .map(([name, [actual, expected]]) => `  ✗ ${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  if (wrong.length) throw new assert.AssertionError({ message: `${wrong.length} of ${Object.keys(checks).length} checks failed:\n${wrong.join('\n')}\n${detail}` });
}

const deliveryCounts = (c: { recipients: number; queued: number; sent: number; failed: number }) => ({ recipients: c.recipients, queued: c.queued, sent: c.sent, failed: c.failed });
const allSent = (n: number) => ({ recipients: n, queued: 0, sent: n, failed: 0 });

/** What "every one of the N people got the card exactly once" means, as checks for expectAll. */
export function everyoneOnceChecks(o: Outcome, n: number): Record<string, [unknown, unknown]> {
  return {
    'the message ends sent': [o.message.status, 'sent'],
    'no one got the card twice (simulator duplicates)': [o.sim.duplicateCount, 0],
    'no one was left without it (simulator missing)': [o.sim.missingCount, 0],
    'no one else got it (simulator unexpected)': [o.sim.unexpected, 0],
    'distinct deliveries': [o.sim.delivered, n],
    'message counts': [deliveryCounts(o.message.counts), allSent(n)],
    'report counts': [deliveryCounts(o.report.counts), allSent(n)],
    'recipient rows': [o.rows.length, n],
    'rows not sent': [o.rows.filter((r) => r.status !== 'sent').map((r) => `${r.recipientId}: ${r.status} ${r.failureReason ?? ''}`), []],
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What a crash of a worker in the middle of its Bot Connector calls allows: nobody gets the card twice,
 * and anybody left without it is on the report as "sent, unconfirmed" (the rows the dead worker had
 * marked just before its calls; Teams offers no way to ask whether a call arrived, so the pipeline never
 * resends them), at most `inDoubt` of them (one group of calls per job the worker had in flight).
 */
export function crashChecks(o: Outcome, n: number, inDoubt: number): Record<string, [unknown, unknown]> {
  const byId = new Map(o.rows.map((r) => [r.recipientId, r]));
  const missing = o.sim.missing.map((m) => m.recipientId);
  return {
    'the message ends sent': [o.message.status, 'sent'],
    'no one got the card twice (simulator duplicates)': [o.sim.duplicateCount, 0],
    'no one else got it (simulator unexpected)': [o.sim.unexpected, 0],
    'every one without the card is reported sent-unconfirmed': [missing.filter((id) => !byId.get(id)?.unconfirmed).length, 0],
    [`at most ${inDoubt} in doubt`]: [o.sim.missingCount <= inDoubt, true],
    'the missing list is complete': [missing.length, o.sim.missingCount],
    'message counts': [deliveryCounts(o.message.counts), allSent(n)],
    'report counts': [deliveryCounts(o.report.counts), allSent(n)],
  };
}
