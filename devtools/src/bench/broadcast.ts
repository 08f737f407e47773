// npm run bench:broadcast -- --recipients N --cap R [--workers W] [--tenants T] [--chaos]
//                             [--concurrency C] [--azurite-disk] [--verbose]
//
// One broadcast per tenant to N people who installed the app, through the real pipeline: the API process
// (this one, IN_PROCESS_WORKERS=false) plus W worker processes (communicator/src/worker.ts), Azurite,
// and the Bot Connector simulator capped at R requests/s per tenant (0 = no cap: the pipeline's own
// ceiling). Prints one result line on stdout (progress every 5 s on stderr) and exits 1 when any
// recipient got the card twice or not at all. See communicator/README.md "Broadcasts at scale".
//
// Azurite keeps its data in memory unless --azurite-disk: on disk its table store saves the whole database
// every 5 s, a 100–200 ms pause of every storage call at this size, which is the emulator's and not the
// pipeline's (Azure Table Storage has none). The result line says which (azurite=memory|disk).
//
// Everything listens on 127.0.0.1; every process started here is stopped at the end, on error and on
// Ctrl-C (SIGINT/SIGTERM); with --azurite-disk, Azurite's data lives in a temporary folder removed at the end.
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { InstallationStore, TableStorage, loadConfig, silentLogger, startAppServer, type Installation, type RunningAppServer } from '@teamspro/core';
import { createCommunicatorApp } from '../../../communicator/src/app.js';
import type { Message } from '../../../communicator/src/api/contract.js';
import type { RecipientRecord } from '../../../communicator/src/store/recipient-store.js';
import { Tables } from '../../../communicator/src/store/tables.js';
import { startAzurite, type RunningAzurite } from '../harness/azurite.js';
import { callApi } from './api-call.js';
import { startChild, type ManagedChild } from '../harness/child.js';
import { freePort, waitForHttp } from '../harness/ports.js';
import { prioritise } from '../harness/priority.js';
import type { Delivery } from '../connector/index.js';
import { startSimulatorProcess, type SimulatorProcess } from '../connector/process.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../identity/index.js';
import { tenantA, tenantB, type SampleTenant } from '../seed/tenants.js';

/**
 * The simulator (Teams) runs real-time when it can, else at nice −10; then the workers at nice −5; then
 * Azurite and this process at 0
 */
const simulatorRealtime = 10;
const simulatorPriority = -10;
const workerPriority = -5;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const audience = 'api://localhost/communicator';
const seededTenants = [tenantA, tenantB];
const usage = `usage: npm run bench:broadcast -- --recipients N --cap R (requests/s per tenant, 0 = none) [--workers W] [--tenants 1..${seededTenants.length}] [--chaos] [--concurrency C (send jobs per worker)] [--azurite-disk] [--verbose]`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      recipients: { type: 'string', default: '10000' },
      cap: { type: 'string', default: '500' },
      workers: { type: 'string', default: '1' },
      tenants: { type: 'string', default: '1' },
      chaos: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'azurite-disk': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(usage);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const recipients = Number(values.recipients);
const cap = Number(values.cap);
const workerCount = Number(values.workers);
const tenantCount = Number(values.tenants);
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
if (!Number.isInteger(recipients) || recipients < 1 || !Number.isFinite(cap) || cap < 0 || (cap > 0 && cap < 2)
  || !Number.isInteger(workerCount) || workerCount < 1 || !Number.isInteger(tenantCount) || tenantCount < 1 || tenantCount > seededTenants.length
  || (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))) {
  console.error(usage);
  process.exit(2);
}
const chaos = values.chaos;
const verbose = values.verbose;
const azuriteOnDisk = values['azurite-disk'];
const tenants = seededTenants.slice(0, tenantCount);

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

// ---- everything started, stopped in reverse order exactly once ---------------------------------------
let azurite: RunningAzurite | undefined;
let sim: SimulatorProcess | undefined;
let idp: RunningIdentityProvider | undefined;
let api: RunningAppServer | undefined;
const workers: Array<ManagedChild | undefined> = [];
const retired: ManagedChild[] = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    const quietly = async (what: string, stop: (() => Promise<unknown>) | undefined) => {
      try { await stop?.(); } catch (err) { log(`stopping ${what}: ${err instanceof Error ? err.message : String(err)}`); }
    };
    await Promise.all([...workers, ...retired].map((w, i) => quietly(`worker ${i}`, w && (() => w.stop(3000)))));
    await quietly('API', api && (() => api!.stop()));
    await quietly('identity provider', idp && (() => idp!.stop()));
    await quietly('connector simulator', sim && (() => sim!.stop()));
    await quietly('Azurite', azurite && (() => azurite!.stop()));
  })();
  return stopping;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping everything`);
    void stopAll().finally(() => process.exit(130));
  });
}

// ---- the run -----------------------------------------------------------------------------------------
type TenantResult = { tenantId: string; delivered: number; firstAt?: number; lastAt?: number; spanRate: number; fromStartRate: number; peak1s: number };

function authorOf(t: SampleTenant): string {
  const author = t.users.find((u) => u.roles.includes('Author'));
  if (!author) throw new Error(`tenant ${t.displayName} has no user with the Author role`);
  return author.userPrincipalName;
}

/** Deliveries counted into twenty 100 ms slots by `slotOf` (those outside 0–19 left out). */
function per100ms(deliveries: readonly Delivery[], slotOf: (d: Delivery) => number): number[] {
  const slots = new Array<number>(20).fill(0);
  for (const d of deliveries) {
    const slot = slotOf(d);
    if (slot >= 0 && slot < 20) slots[slot]! += 1;
  }
  return slots;
}

/** Most deliveries within any 1,000 ms (a sliding window, as the simulator counts its cap). */
function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

function tenantResult(tenantId: string, all: readonly Delivery[], startedAt: number): TenantResult {
  // each recipient's first delivery (a duplicate is counted once here, and reported separately)
  const seen = new Set<string>();
  const times: number[] = [];
  for (const d of all) {
    if (d.tenantId !== tenantId || d.at < startedAt) continue;
    const key = `${d.conversationId}\u0000${d.contentKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    times.push(d.at);
  }
  const n = times.length;
  const firstAt = times[0];
  const lastAt = times[n - 1];
  const span = n > 1 ? (lastAt! - firstAt!) / 1000 : 0;
  return {
    tenantId, delivered: n, firstAt, lastAt,
    // n deliveries are n − 1 intervals between the first and the last
    spanRate: span > 0 ? (n - 1) / span : 0,
    fromStartRate: n && lastAt! > startedAt ? (n * 1000) / (lastAt! - startedAt) : 0,
    peak1s: peakPerSecond(times),
  };
}

async function run(): Promise<number> {
  const t0 = Date.now();
  azurite = await startAzurite({ quiet: true, inMemory: !azuriteOnDisk });
  // its own process, as Teams is its own service, ahead of every other process (its own machines): on two
  // shared cores its one-second windows would otherwise count requests that left spread out but were taken
  // in late together (at nice −10 it still waited up to 30 ms for a core, and those waits drew 429s)
  sim = await startSimulatorProcess({ capPerTenant: cap, perConversation: false, realtime: simulatorRealtime, priority: simulatorPriority });
  if (sim.scheduling !== 'realtime') log(`the simulator runs ${sim.scheduling === 'nice' ? `at nice ${simulatorPriority}, not real-time (chrt failed)` : 'at normal priority (raising it needs root)'}: its own scheduling delays may bunch requests into its windows`);
  idp = await startIdentityProvider();
  const prefix = `b${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test', HOST: '127.0.0.1', STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_PREFIX: prefix,
    AUTH_AUDIENCE: audience, DEV_IDENTITY_URL: idp.url, LOG_LEVEL: verbose ? 'info' : 'warn',
    // the per-tenant Bot Connector rate every worker process shares (0 = no limit of our own)
    BOT_CONNECTOR_RATE: String(cap),
    // the finalize check and idle queue polls only add latency at the edges of a run
    CC_FINALIZE_INTERVAL_SECONDS: '1', CC_POLL_INTERVAL_MS: '200',
    ...(concurrency !== undefined ? { CC_SEND_CONCURRENCY: String(concurrency) } : {}),
  };

  // the people who installed the app, straight into storage (the bench measures sending, not installing)
  const installs = new InstallationStore(new TableStorage(azurite.connectionString, prefix));
  const expected: Record<string, string[]> = {};
  await Promise.all(tenants.map(async (t) => {
    const list: Installation[] = [];
    for (let i = 0; i < recipients; i++) {
      const aad = randomUUID();
      list.push({
        conversationId: sim!.conversationIdFor(t.id, aad), conversationType: 'personal', serviceUrl: sim!.url, userId: aad,
        teamsUserId: `29:bench-${i}`, userName: `Person ${i}`, locale: i % 3 === 0 ? 'fr-FR' : 'en-US', installedAt: new Date().toISOString(),
      });
    }
    const chunks: Installation[][] = [];
    for (let i = 0; i < list.length; i += 100) chunks.push(list.slice(i, i + 100));
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < chunks.length) await installs.saveMany({ tenantId: t.id }, chunks[next++]!);
    }));
    expected[t.id] = list.map((l) => l.userId!);
  }));

  log(`seeded ${tenants.length}×${recipients} installs in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  api = await startAppServer(createCommunicatorApp(), { config: loadConfig({ ...env, PORT: '0', IN_PROCESS_WORKERS: 'false' }), logger: silentLogger });

  let workerSeq = 0;
  const startWorker = async (): Promise<ManagedChild> => {
    const port = await freePort();
    const n = workerSeq++;
    const child = startChild(`worker ${n}`, process.execPath, ['--import', 'tsx', path.join(root, 'communicator/src/worker.ts')], {
      env: { ...process.env, ...env, WORKER_PORT: String(port) }, cwd: root, quiet: !verbose,
    });
    // above Azurite, which stands for Azure Storage on its own machines: on two shared cores its bursts would
    // otherwise preempt a worker between the limiter letting a call go and the call's write, and calls let go
    // spaced would reach the simulator bunched, over its one-second window
    if (!prioritise(child.process.pid, workerPriority) && n === 0) log('the workers run at normal priority (raising it needs root): Azurite may preempt them as calls leave, bunching them into the cap\'s windows');
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    } catch (err) {
      process.stderr.write(child.output());
      await child.stop(1000);
      throw err;
    }
    return child;
  };
  for (let i = 0; i < workerCount; i++) workers.push(await startWorker());
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${tenants.length} tenant(s) × ${recipients} installs, ${workerCount} worker process(es), cap ${cap || 'none'}${chaos ? ', chaos on' : ''}`);

  const tokens = new Map<string, string>();
  const call = async <T>(t: SampleTenant, method: string, p: string, body?: unknown): Promise<T> => {
    let token = tokens.get(t.id);
    if (!token) tokens.set(t.id, (token = await idp!.idp.issueUserToken({ userId: authorOf(t), audience })));
    return callApi<T>(api!.url, token, method, p, body);
  };

  const messages: Array<{ tenant: SampleTenant; id: string }> = [];
  for (const t of tenants) {
    const topic = await call<{ id: string }>(t, 'POST', '/topics', { name: 'Bench' });
    const draft = await call<{ id: string }>(t, 'POST', '/drafts', {
      topicId: topic.id, author: 'Bench', layout: 'standard', feedback: { reactions: true, acknowledge: false, rating: false, comment: false }, audience: [{ kind: 'allUsers' }],
      variants: [
        { locale: 'en-US', title: 'Bench broadcast', summary: 'A benchmark', body: 'Hello from the **bench**.', links: [] },
        { locale: 'fr-FR', title: 'Diffusion de test', summary: 'Un banc d’essai', body: 'Bonjour du **banc d’essai**.', links: [] },
      ],
    });
    messages.push({ tenant: t, id: draft.id });
  }

  if (chaos) {
    // from the first request on: a burst of 5xx, and 2% of requests answered 300–800 ms late
    await sim.chaos({ serverErrors: { count: 150, statuses: [500, 502, 503] }, slow: { delayMs: 300, jitterMs: 500, fraction: 0.02 } });
  }
  const loadBefore = loadavg()[0]!;
  const startedAt = Date.now();
  loopDelay.enable();
  await Promise.all(messages.map((m) => call(m.tenant, 'POST', `/messages/${m.id}/send`, {})));

  const total = recipients * tenants.length;
  let killed = false;
  let droppedAfter = false;
  let droppedBefore = false;
  let restarting: Promise<void> | undefined;
  let lastDelivered = -1;
  let lastChange = Date.now();
  let lastProgress = { at: startedAt, delivered: 0 };
  let statuses: string[] = [];
  for (;;) {
    if (interrupted) return 130;
    const stats = await sim.stats();
    const delivered = stats.delivered;
    if (chaos) {
      if (!droppedAfter && delivered > total / 4) {
        // delivered, then the socket dies: the sender never hears (it must not send again)
        droppedAfter = true;
        await sim.chaos({ drop: { count: 10, afterDelivery: true } });
        log(`chaos: dropping 10 connections after delivery at ${delivered}/${total}`);
      }
      if (!killed && delivered > total / 3) {
        // a worker dies mid-send (SIGKILL: no cleanup at all) and a new one takes its place
        killed = true;
        const victim = workers[0]!;
        try { process.kill(-victim.process.pid!, 'SIGKILL'); } catch { victim.process.kill('SIGKILL'); }
        retired.push(victim);
        workers[0] = undefined;
        log(`chaos: SIGKILLed worker 0 (pid ${victim.process.pid}) at ${delivered}/${total}; starting a new one`);
        restarting = startWorker().then((w) => { workers[0] = w; log(`chaos: replacement worker up (pid ${w.process.pid})`); }, (err: unknown) => { log(`chaos: the replacement worker did not start: ${err instanceof Error ? err.message : String(err)}`); });
      }
      if (!droppedBefore && delivered > total / 2) {
        // the socket dies before the request is handled: nothing delivered, and the sender cannot know
        droppedBefore = true;
        await sim.chaos({ drop: { count: 10 } });
        log(`chaos: dropping 10 connections before delivery at ${delivered}/${total}`);
      }
    }
    const now = Date.now();
    if (now - lastProgress.at >= 5000) {
      const rate = ((delivered - lastProgress.delivered) * 1000) / (now - lastProgress.at);
      log(`${((now - startedAt) / 1000).toFixed(0)}s delivered ${delivered}/${total} (${rate.toFixed(0)}/s over the last ${((now - lastProgress.at) / 1000).toFixed(0)}s) · 429 ${stats.throttled} · 5xx ${stats.serverErrors} · dropped ${stats.dropped} · messages ${statuses.join(', ') || '…'}`);
      lastProgress = { at: now, delivered };
    }
    statuses = await Promise.all(messages.map((m) => call<Message>(m.tenant, 'GET', `/messages/${m.id}`).then((msg) => msg.status)));
    if (statuses.every((s) => s === 'sent' || s === 'failed' || s === 'canceled')) break;
    if (delivered !== lastDelivered) { lastDelivered = delivered; lastChange = Date.now(); }
    // a chaos run legitimately sits still while rows a killed worker left "sending" wait out their grace (90 s)
    if (Date.now() - lastChange > 300_000) throw new Error(`no delivery for 5 minutes at ${delivered}/${total} delivered (messages ${statuses.join(', ')})`);
    await sleep(250);
  }
  const finishedAt = Date.now();
  await restarting;

  const report = await sim.report({ expected, startedAt });
  const deliveries = await sim.deliveries();
  const perTenant = tenants.map((t) => tenantResult(t.id, deliveries, startedAt));
  if (deliveries.length > 0) {
    // how the send ramps up and how it ends: deliveries in each of its first and last twenty 100 ms
    const first = deliveries.reduce((min, d) => Math.min(min, d.at), Infinity);
    const last = deliveries.reduce((max, d) => Math.max(max, d.at), -Infinity);
    log(`first delivery at +${((first - startedAt) / 1000).toFixed(2)}s; then per 100 ms: ${per100ms(deliveries, (d) => Math.floor((d.at - first) / 100)).join(' ')}`);
    log(`the last 2 s per 100 ms: ${per100ms(deliveries, (d) => 19 - Math.floor((last - d.at) / 100)).join(' ')}`);
  }
  if (verbose) {
    // each tenant's deliveries per second from the send start: where a run lost its rate
    for (const r of perTenant) {
      const perSecond: number[] = [];
      for (const d of deliveries) if (d.tenantId === r.tenantId && d.at >= startedAt) { const s = Math.floor((d.at - startedAt) / 1000); perSecond[s] = (perSecond[s] ?? 0) + 1; }
      log(`tenant ${r.tenantId} per second from the send start: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}`);
    }
  }
  const slowest = perTenant.reduce((a, b) => (b.spanRate < a.spanRate ? b : a));
  const multi = tenants.length > 1;
  const rate = (r: number) => r.toFixed(0);
  const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)}s`;
  const line = [
    `recipients=${recipients}${multi ? `×${tenants.length}tenants` : ''}`,
    `cap=${cap ? `${cap}/s${multi ? ' per tenant' : ''}` : 'none'}`,
    `workers=${workerCount}`,
    `azurite=${azuriteOnDisk ? 'disk' : 'memory'}`,
    `achieved=${multi ? perTenant.map((r) => rate(r.spanRate)).join('+') : rate(slowest.spanRate)} sends/s`,
    `ratio=${cap ? (slowest.spanRate / cap).toFixed(3) : 'n/a'}${multi ? ' (slowest tenant)' : ''}`,
    `from-start=${multi ? perTenant.map((r) => rate(r.fromStartRate)).join('+') : rate(slowest.fromStartRate)}/s`,
    `peak1s=${perTenant.map((r) => r.peak1s).join('+')}`,
    `429s=${report.throttled}`,
    `duplicates=${report.duplicateCount}`,
    `missing=${report.missingCount}`,
    `p50=${seconds(report.latencyMs?.p50)} p99=${seconds(report.latencyMs?.p99)}`,
    `run=${seconds(finishedAt - startedAt)}`,
    // other processes on the machine skew every figure: the 1-minute load average at send start and at the end, over the cores
    `load=${loadBefore.toFixed(1)}→${loadavg()[0]!.toFixed(1)}/${cpus().length}cpu`,
    ...(chaos ? [`chaos: 5xx=${report.serverErrors} dropped=${report.dropped} (${report.unacknowledged} after delivery) worker SIGKILLed+restarted`] : []),
  ].join('  ');
  console.log(line);
  log(`event-loop delay of the bench process (API) during the run: p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`);
  const throttles = await sim.throttles();
  if (throttles.length > 0) {
    const kinds: Record<string, number> = {};
    for (const t of throttles) kinds[`${t.scope}/${t.op}`] = (kinds[`${t.scope}/${t.op}`] ?? 0) + 1;
    log(`429s by scope/operation ${JSON.stringify(kinds)}, at +${throttles.map((t) => ((t.at - startedAt) / 1000).toFixed(2)).join(', ')}s`);
  }

  const ok = report.duplicateCount === 0 && report.missingCount === 0;
  if (!ok || statuses.some((s) => s !== 'sent')) {
    // what the app itself recorded (its rows, read straight from storage: the API hides the reason of a
    // sent-unconfirmed row), for everyone and for the recipients the simulator never saw
    const full = await sim.report({ expected, startedAt, listLimit: Number.MAX_SAFE_INTEGER });
    const missingIds = new Set(full.missing.map((m) => `${m.tenantId}|${m.recipientId}`));
    const storage = new TableStorage(azurite.connectionString, prefix);
    for (const [i, m] of messages.entries()) {
      const rows: RecipientRecord[] = [];
      for await (const row of storage.forTenant({ tenantId: m.tenant.id }).table<RecipientRecord>(Tables.recipients).listFamily(m.id)) rows.push(row);
      const all: Record<string, number> = {};
      const lost: Record<string, number> = {};
      for (const r of rows) {
        const key = `${r.status}${r.unconfirmed ? '-unconfirmed' : ''}${r.failureReason ? ` (${r.failureReason.slice(0, 160)})` : ''}`;
        all[key] = (all[key] ?? 0) + 1;
        if (r.aadId && missingIds.has(`${m.tenant.id}|${r.aadId}`)) lost[key] = (lost[key] ?? 0) + 1;
      }
      log(`tenant ${m.tenant.id}: message ${statuses[i]}; recipient rows by outcome ${JSON.stringify(all)}`);
      if (Object.keys(lost).length) log(`tenant ${m.tenant.id}: the missing recipients' rows ${JSON.stringify(lost)}`);
    }
    if (report.duplicates.length) log(`first duplicates: ${JSON.stringify(report.duplicates.slice(0, 5))}`);
    const droppedBeforeDelivery = report.dropped - report.unacknowledged;
    if (report.missingCount && droppedBeforeDelivery > 0) {
      log(`${droppedBeforeDelivery} connection(s) were dropped before the simulator handled the request: the sender cannot tell those from drops after delivery, so it records them sent-unconfirmed and never retries them (up to ${droppedBeforeDelivery} of the ${report.missingCount} missing)`);
    }
  }
  return ok ? 0 : 1;
}

let code: number;
try {
  code = await run();
} catch (err) {
  if (!interrupted) {
    log(`failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    for (const w of [...workers, ...retired]) if (w) process.stderr.write(w.output().split('\n').slice(-20).map((l) => `[${w.name}] ${l}\n`).join(''));
  }
  code = interrupted ? 130 : 1;
}
await stopAll();
process.exit(code);
