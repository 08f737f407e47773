// npm run bench:resolve -- --members N [--page-size P] [--fail-at-page K]
//
// Resolves one broadcast to a Graph group of N members through the real pipeline: the API with its
// in-process workers, Azurite in memory, and the Graph sandbox serving the group P members a page
// (Graph's largest, 999, by default). With --fail-at-page K, Graph answers 429 to page K+1 through every
// retry of the Graph client, so the resolve job fails after K pages and is redelivered: it must go on
// from page K+1, not from the first page. Nobody in the group has the app, so no card is sent: the run
// measures reading the audience and writing one recipient row per member.
//
// Prints one result line on stdout (progress every 5 s on stderr) and exits 1 when a page was read twice
// or the message does not end with one recipient per member. See communicator/README.md
// "Broadcasts at scale". Everything listens on 127.0.0.1 and is stopped at the end, on error and on Ctrl-C.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { loadConfig, silentLogger, startAppServer, type RunningAppServer } from '@teamspro/core';
import { createCommunicatorApp } from '../../../communicator/src/app.js';
import type { Message } from '../../../communicator/src/api/contract.js';
import { startAzurite, type RunningAzurite } from '../harness/azurite.js';
import { callApi } from './api-call.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../graph/index.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../identity/index.js';
import { tenantA } from '../seed/tenants.js';

const audience = 'api://localhost/communicator';
const author = tenantA.users.find((u) => u.roles.includes('Author'))!.userPrincipalName;
/** the Graph client's own retries of a throttled request (core/src/graph/graph-client.ts), plus the first try */
const triesPerRequest = 6;
const usage = 'usage: npm run bench:resolve -- --members N [--page-size P (1–999)] [--fail-at-page K]';

let parsed;
try {
  parsed = parseArgs({
    options: {
      members: { type: 'string', default: '100000' },
      'page-size': { type: 'string', default: '999' },
      'fail-at-page': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(usage);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const members = Number(parsed.values.members);
const pageSize = Number(parsed.values['page-size']);
const failAtPage = parsed.values['fail-at-page'] === undefined ? undefined : Number(parsed.values['fail-at-page']);
const pages = Math.ceil(members / pageSize);
if (!Number.isInteger(members) || members < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 999
  || (failAtPage !== undefined && !(Number.isInteger(failAtPage) && failAtPage >= 1 && failAtPage < pages))) {
  console.error(`${usage}\n(--fail-at-page must be a page before the last: 1–${pages - 1})`);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`[bench:resolve] ${line}\n`);

let azurite: RunningAzurite | undefined;
let idp: RunningIdentityProvider | undefined;
let graph: RunningGraphSandbox | undefined;
let api: RunningAppServer | undefined;
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const [what, part] of [['API', api], ['Graph sandbox', graph], ['identity provider', idp], ['Azurite', azurite]] as const) {
      try { await part?.stop(); } catch (err) { log(`stopping ${what}: ${err instanceof Error ? err.message : String(err)}`); }
    }
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function run(): Promise<number> {
  const t0 = Date.now();
  azurite = await startAzurite({ quiet: true, inMemory: true });
  idp = await startIdentityProvider();
  graph = await startGraphSandbox({ identityUrl: idp.url });
  const tenantPart = randomBytes(4).toString('hex');
  const groupId = graph.control.addGroup(tenantA.id, {
    displayName: `Everyone (${members})`,
    users: Array.from({ length: members }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-0000${tenantPart}`, displayName: `Person ${i}`,
      userPrincipalName: `person${i}@${tenantA.domain}`, preferredLanguage: i % 3 === 0 ? 'fr-FR' : 'en-US',
    })),
  });
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_PREFIX: `r${tenantPart}`,
    AUTH_AUDIENCE: audience, DEV_IDENTITY_URL: idp.url, GRAPH_BASE_URL: graph.url, LOG_LEVEL: 'warn',
  });
  api = await startAppServer(createCommunicatorApp({ graphPageSize: pageSize, jobRetryBaseSeconds: 1, finalizeIntervalSeconds: 1, pollIntervalMs: 200 }), { config, logger: silentLogger });
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: a group of ${members} in ${pages} pages of ${pageSize}${failAtPage ? `, page ${failAtPage + 1} throttled through every retry` : ''}`);

  const token = await idp.idp.issueUserToken({ userId: author, audience });
  const call = <T>(method: string, p: string, body?: unknown) => callApi<T>(api!.url, token, method, p, body);
  const topic = await call<{ id: string }>('POST', '/topics', { name: 'Bench' });
  const draft = await call<{ id: string }>('POST', '/drafts', {
    topicId: topic.id, author: 'Bench', layout: 'standard', feedback: { reactions: false, acknowledge: false, rating: false, comment: false },
    audience: [{ kind: 'groups', groupIds: [groupId] }],
    variants: [{ locale: 'en-US', title: 'Bench broadcast', summary: 'A benchmark', body: 'Hello from the **bench**.', links: [] }],
  });

  const paging = `/groups/${groupId}/transitiveMembers`;
  if (failAtPage !== undefined) graph.control.throttle({ tenantId: tenantA.id, pathPrefix: paging, after: failAtPage, count: triesPerRequest, retryAfterSeconds: 0 });
  const startedAt = Date.now();
  await call('POST', `/messages/${draft.id}/send`, {});
  let message: Message;
  let lastLog = startedAt;
  for (;;) {
    message = await call<Message>('GET', `/messages/${draft.id}`);
    if (message.status === 'sent' || message.status === 'failed' || message.status === 'canceled') break;
    if (Date.now() - lastLog >= 5000) {
      lastLog = Date.now();
      const read = graph.control.requests().filter((r) => r.path.startsWith(`/v1.0${paging}`) && r.status === 200).length;
      log(`+${((lastLog - startedAt) / 1000).toFixed(0)}s: ${message.status}, ${read}/${pages} pages read, ${message.counts.recipients} recipients recorded`);
    }
    if (Date.now() - startedAt > 30 * 60_000) throw new Error(`the message was still ${message.status} after 30 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (Date.now() - startedAt) / 1000;

  const calls = graph.control.requests().filter((r) => r.path.startsWith(`/v1.0${paging}`));
  const read = calls.filter((r) => r.status === 200);
  const throttled = calls.filter((r) => r.status === 429).length;
  const firstPageReads = read.filter((r) => !r.query.includes('skiptoken')).length;
  const readingSeconds = read.length ? (Date.parse(read.at(-1)!.time) - startedAt) / 1000 : 0;
  const ok = read.length === pages && firstPageReads === 1 && message.status === 'sent' && message.counts.recipients === members;
  console.log([
    `members=${members}`, `pageSize=${pageSize}`, `pages=${pages}`, `pageReads=${read.length}`, `firstPageReads=${firstPageReads}`, `throttled=${throttled}`,
    `status=${message.status}`, `recipients=${message.counts.recipients}`, `readS=${readingSeconds.toFixed(1)}`, `totalS=${seconds.toFixed(1)}`,
    `rowsPerS=${Math.round(members / seconds)}`, `maxRssMB=${Math.round(process.resourceUsage().maxRSS / 1024)}`, ok ? 'ok' : 'FAILED',
  ].join(' '));
  return ok ? 0 : 1;
}

run()
  .then(async (code) => { await stopAll(); process.exit(code); })
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    await stopAll();
    process.exit(1);
  });
