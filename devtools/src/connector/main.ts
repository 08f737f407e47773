/**
 * Runs the Bot Connector simulator on its own, for manual runs and for benchmarks that want it in a
 * separate process:
 *
 *   tsx devtools/src/connector/main.ts [--port 4400] [--cap 50] [--algorithm sliding-window|token-bucket]
 *        [--no-thread-limits] [--retry-after <s>] [--users <tenantId>:<count> …] [--seed <n>] [--quiet]
 *
 * Point an app's serviceUrl at the printed URL. Drive it over HTTP while it runs:
 *   GET  /_simulator/stats                 counters
 *   GET  /_simulator/deliveries?since=N    accepted activities from the N-th on
 *   GET  /_simulator/throttles             every 429 answered, in order
 *   POST /_simulator/report                {"expected":{"<tenant>":["<user id>",…]},"startedAt":<epoch ms>,"messageId":"…"}
 *   POST /_simulator/chaos                 {"serverErrors":{"count":20},"slow":{"delayMs":300,"fraction":0.1},
 *                                           "drop":{"count":5,"afterDelivery":true},"failingUsers":["29:…"]}
 *   DELETE /_simulator/chaos, POST /_simulator/cap {"capPerTenant":0}, POST /_simulator/reset
 */
import { parseArgs } from 'node:util';
import type { SimulatedTenant } from './roster.js';
import { syntheticUsers } from './roster.js';
import { startConnectorSimulator } from './server.js';
import type { CapAlgorithm } from './limits.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4400' },
    cap: { type: 'string', default: '50' },
    algorithm: { type: 'string', default: 'sliding-window' },
    'no-thread-limits': { type: 'boolean', default: false },
    'retry-after': { type: 'string' },
    users: { type: 'string', multiple: true },
    seed: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: tsx devtools/src/connector/main.ts [--port 4400] [--cap 50 (0 = no limit)] [--algorithm sliding-window|token-bucket] [--no-thread-limits] [--retry-after s] [--users tenant:count] [--seed n] [--quiet]');
  process.exit(0);
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a number ≥ 0, not "${value}"`);
    process.exit(2);
  }
  return n;
}

if (values.algorithm !== 'sliding-window' && values.algorithm !== 'token-bucket') {
  console.error('--algorithm must be sliding-window or token-bucket');
  process.exit(2);
}

const tenants: Record<string, SimulatedTenant> = {};
for (const spec of values.users ?? []) {
  const at = spec.lastIndexOf(':');
  const count = number('users', spec.slice(at + 1));
  if (at <= 0 || count === undefined) {
    console.error(`--users takes <tenantId>:<count>, not "${spec}"`);
    process.exit(2);
  }
  tenants[spec.slice(0, at)] = { users: syntheticUsers(spec.slice(0, at), count) };
}

const sim = await startConnectorSimulator({
  port: number('port', values.port),
  capPerTenant: number('cap', values.cap),
  capAlgorithm: values.algorithm as CapAlgorithm,
  ...(values['no-thread-limits'] ? { perConversation: false as const } : {}),
  ...(values['retry-after'] !== undefined ? { retryAfterSeconds: number('retry-after', values['retry-after']) } : {}),
  ...(values.seed !== undefined ? { seed: number('seed', values.seed) } : {}),
  tenants,
});
const cap = Number(values.cap);
console.log(`Bot Connector simulator on ${sim.url} (cap ${cap === 0 ? 'none' : `${cap} requests/s per tenant`}, per-thread limits ${values['no-thread-limits'] ? 'off' : 'as documented'})`);
console.log(`control: ${sim.url}/_simulator/stats · /_simulator/report · /_simulator/chaos · /_simulator/reset`);

let lastRequests = 0;
let lastAt = Date.now();
const ticker = values.quiet ? undefined : setInterval(() => {
  const s = sim.stats();
  const now = Date.now();
  if (s.requests !== lastRequests) {
    const rate = ((s.requests - lastRequests) * 1000) / (now - lastAt);
    console.log(`${new Date(now).toISOString()} requests ${s.requests} (${rate.toFixed(0)}/s) · delivered ${s.delivered} · 429 ${s.throttled} · early retries ${s.earlyRetries} · 5xx ${s.serverErrors} · dropped ${s.dropped} · 403 ${s.forbidden}`);
  }
  lastRequests = s.requests;
  lastAt = now;
}, 5000);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    if (ticker) clearInterval(ticker);
    void sim.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
