import { capRate, createGraphClientFactory, graphTokenSourceFor, JobQueue, SharedRateLimiter, TokenBucketLimiter, teamsRateLimits, type AppContext, type TenantScope } from '@teamspro/core';
import { BotConnector } from './bot/connector.js';
import { ClickSigner } from './domain/click-token.js';
import { ImageTokens } from './domain/image-token.js';
import { AudienceResolver } from './domain/audience/resolver.js';
import type { MessageRecord } from './domain/message.js';
import { ProactiveInstaller } from './domain/proactive-install.js';
import { defaultOptions, type CommunicatorOptions } from './options.js';
import { CounterStore } from './store/counter-store.js';
import { FeedbackStore } from './store/feedback-store.js';
import { GalleryStore } from './store/gallery-store.js';
import { ListStore } from './store/list-store.js';
import { MessageStore } from './store/message-store.js';
import { PeopleStore } from './store/people-store.js';
import { ProblemStore } from './store/problem-store.js';
import { SendClaimStore } from './store/send-claim-store.js';
import { RecipientStore } from './store/recipient-store.js';
import { ResolveCheckpointStore } from './store/resolve-checkpoint-store.js';
import { SettingsStore } from './store/settings-store.js';
import { TopicStore } from './store/topic-store.js';
import { ViewStore } from './store/view-store.js';
import { afterSendJobSchema, pipelineJobSchema, queueNames, sendJobSchema, type AfterSendJob, type PipelineJob, type SendJob } from './workers/jobs.js';
import { RetentionSweeper } from './workers/retention.js';
import { StatusCache } from './workers/status-cache.js';

export type Services = ReturnType<typeof buildServices>;

function buildServices(ctx: AppContext, opts: CommunicatorOptions) {
  const services = baseServices(ctx, opts);
  services.retention = new RetentionSweeper(services, ctx.logger);
  return services;
}

function baseServices(ctx: AppContext, opts: CommunicatorOptions) {
  const options = { ...defaultOptions, ...opts };
  const { storage, config } = ctx;
  const messages = new MessageStore(storage);
  // one per-tenant Bot Connector rate for all of the deployment's processes (see worker.ts)
  const limiter = new SharedRateLimiter<'bot-connector'>({
    connectionString: config.storage.connectionString, tableName: `${config.storage.prefix}ccratepeers`,
    limits: { 'bot-connector': options.botConnectorRate ?? botConnectorRateFromEnv() },
    // a send job woken late by a busy event loop, or held up by a slow claim transaction, plans and sends its
    // calls up to 25 ms of rate late rather than losing them; the cap's window (capRate) keeps what Teams sees
    // in any second under the cap. More makes up more (100 ms lost no token to the worker's 25–50 ms stops)
    // but leaves more sends claimed at any instant, so more in doubt after a crash (179 against 85, --chaos)
    reserveCatchUpMs: 25,
  });
  const connector = new BotConnector(ctx.teams.api.http, () => ctx.teams.id);
  const people = new PeopleStore(storage);
  const lists = new ListStore(storage);
  const names = queueNames(config.storage.prefix);
  const queues = {
    pipeline: JobQueue.fromConnectionString<PipelineJob>(config.storage.connectionString, names.pipeline, { parse: (v) => pipelineJobSchema.parse(v) }),
    send: JobQueue.fromConnectionString<SendJob>(config.storage.connectionString, names.send, { parse: (v) => sendJobSchema.parse(v) }),
    afterSend: JobQueue.fromConnectionString<AfterSendJob>(config.storage.connectionString, names.afterSend, { parse: (v) => afterSendJobSchema.parse(v) }),
  };
  let queuesReady: Promise<void> | undefined;
  const contentCache = new Map<string, Promise<MessageRecord | undefined>>();
  const signer = ClickSigner.fromEnvironment(options.clickSigningKey, config.isProduction);
  const settings = new SettingsStore(storage);
  // Installing the app through Graph (proactive install) goes through its own per-tenant bucket: Graph allows
  // 30 requests/s per app per tenant for POST installedApps and 30 for GET installedApps or appCatalogs
  // (https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits), core's "graph" rate.
  // The gate waits for a token before each request and pauses the tenant on 429 for its Retry-After.
  const installLimiter = new TokenBucketLimiter<'graph'>({ limits: { graph: teamsRateLimits.graph } });
  const installGraph = createGraphClientFactory({ baseUrl: config.graph.baseUrl, tokens: graphTokenSourceFor(config), gate: installLimiter });

  return {
    ctx,
    options,
    settings,
    topics: new TopicStore(storage),
    messages,
    recipients: new RecipientStore(storage),
    /** which attempt may call Teams for each recipient's send (never two) */
    sendClaims: new SendClaimStore(storage),
    counters: new CounterStore(storage),
    problems: new ProblemStore(storage),
    feedback: new FeedbackStore(storage),
    /** who viewed each channel post */
    views: new ViewStore(storage),
    lists,
    people,
    signer,
    /** gallery image links: the click-link key, for images only */
    imageTokens: new ImageTokens(signer.tokens),
    gallery: new GalleryStore(storage, ctx.blobs),
    /** pages read while resolving a send's audience (group members, team rosters, list lookups), so a redelivered resolve resumes */
    resolveCheckpoints: new ResolveCheckpointStore(ctx.blobs),
    /** Where click-tracking links point: PUBLIC_URL, else this server. */
    publicUrl: (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, ''),
    limiter,
    connector,
    resolver: new AudienceResolver({ installations: ctx.installations, people, lists, connector, limiter, graphForApp: (tenantId) => ctx.graph.forApp(tenantId), graphPageSize: options.graphPageSize,
      rosterPageSize: options.rosterPageSize, settings }),
    /** installs the app through Graph for people without a chat with the bot (tenant setting proactiveInstall) */
    installer: new ProactiveInstaller({ graph: (tenantId) => installGraph.forApp(tenantId), manifestId: config.teamsApp.manifestId, catalogId: config.teamsApp.catalogId }),
    statusCache: new StatusCache(messages, options.statusCacheMs),
    /** set once the services exist (it needs them) */
    retention: undefined as unknown as RetentionSweeper,
    queues,
    /** Creates the queues once; the API may enqueue before (or without) in-process workers. */
    ensureQueues(): Promise<void> {
      queuesReady ??= Promise.all([queues.pipeline.create(), queues.send.create(), queues.afterSend.create()]).then(() => undefined);
      queuesReady.catch(() => { queuesReady = undefined; });
      return queuesReady;
    },
    /** A sending message's content, which does not change while it is sent (an edit after sending does: card actions and clicks read the message fresh). */
    async messageContent(scope: TenantScope, id: string): Promise<MessageRecord | undefined> {
      const key = `${scope.tenantId}|${id}`;
      let content = contentCache.get(key);
      if (!content) {
        if (contentCache.size > 1000) contentCache.clear();
        // one read for the send jobs that start together: each would otherwise get its own copy of the message
        // and render its own per-send card template (sendTemplates are kept per copy)
        content = messages.get(scope, id);
        contentCache.set(key, content);
        content.then((row) => { if (!row) contentCache.delete(key); }, () => contentCache.delete(key));
      }
      return content;
    },
    /** Drops what this process caches about a tenant (after offboarding). */
    forgetTenant(scope: TenantScope): void {
      this.settings.forget(scope);
      this.statusCache.forgetTenant(scope);
      for (const key of contentCache.keys()) if (key.startsWith(`${scope.tenantId}|`)) contentCache.delete(key);
    },
  };
}

/** BOT_CONNECTOR_RATE (requests/s per tenant, 0 = none; for a benchmark's simulator) or Teams' documented 50, never exceeded in any second. */
function botConnectorRateFromEnv() {
  const raw = process.env.BOT_CONNECTOR_RATE;
  const fromEnv = Number(raw);
  // 0: no cap of our own (a benchmark measuring the pipeline's ceiling); Teams would answer 429s
  if (raw !== undefined && raw !== '' && fromEnv === 0) return { ratePerSecond: 1_000_000, burst: 10_000 };
  return Number.isFinite(fromEnv) && fromEnv >= 2 ? capRate(fromEnv) : capRate(50);
}

const built = new WeakMap<AppContext, Services>();

/** One set of services per running app (the bot, API and worker hooks all get the same context). */
export function servicesFor(ctx: AppContext, options: CommunicatorOptions): Services {
  let services = built.get(ctx);
  if (!services) {
    services = buildServices(ctx, options);
    built.set(ctx, services);
  }
  return services;
}
