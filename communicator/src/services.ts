import { JobQueue, TokenBucketLimiter, teamsRateLimits, type AppContext, type TenantScope } from '@teamspro/core';
import { BotConnector } from './bot/connector.js';
import { ClickSigner } from './domain/click-token.js';
import { AudienceResolver } from './domain/audience/resolver.js';
import type { MessageRecord } from './domain/message.js';
import { defaultOptions, type CommunicatorOptions } from './options.js';
import { CounterStore } from './store/counter-store.js';
import { FeedbackStore } from './store/feedback-store.js';
import { ListStore } from './store/list-store.js';
import { MessageStore } from './store/message-store.js';
import { PeopleStore } from './store/people-store.js';
import { RecipientStore } from './store/recipient-store.js';
import { SettingsStore } from './store/settings-store.js';
import { TopicStore } from './store/topic-store.js';
import { pipelineJobSchema, queueNames, sendJobSchema, type PipelineJob, type SendJob } from './workers/jobs.js';
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
  const limiter = new TokenBucketLimiter<'bot-connector'>({ limits: { 'bot-connector': options.botConnectorRate ?? teamsRateLimits['bot-connector'] } });
  const connector = new BotConnector(ctx.teams.api.http, () => ctx.teams.id);
  const people = new PeopleStore(storage);
  const lists = new ListStore(storage);
  const names = queueNames(config.storage.prefix);
  const queues = {
    pipeline: JobQueue.fromConnectionString<PipelineJob>(config.storage.connectionString, names.pipeline, { parse: (v) => pipelineJobSchema.parse(v) }),
    send: JobQueue.fromConnectionString<SendJob>(config.storage.connectionString, names.send, { parse: (v) => sendJobSchema.parse(v) }),
  };
  let queuesReady: Promise<void> | undefined;
  const contentCache = new Map<string, MessageRecord>();

  return {
    ctx,
    options,
    settings: new SettingsStore(storage),
    topics: new TopicStore(storage),
    messages,
    recipients: new RecipientStore(storage),
    counters: new CounterStore(storage),
    feedback: new FeedbackStore(storage),
    lists,
    people,
    signer: ClickSigner.fromEnvironment(options.clickSigningKey, config.isProduction),
    /** Where click-tracking links point: PUBLIC_URL, else this server. */
    publicUrl: (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, ''),
    limiter,
    connector,
    resolver: new AudienceResolver({ installations: ctx.installations, people, lists, connector, limiter, graphForApp: (tenantId) => ctx.graph.forApp(tenantId), graphPageSize: options.graphPageSize }),
    statusCache: new StatusCache(messages, options.statusCacheMs),
    /** set once the services exist (it needs them) */
    retention: undefined as unknown as RetentionSweeper,
    queues,
    /** Creates the queues once; the API may enqueue before (or without) in-process workers. */
    ensureQueues(): Promise<void> {
      queuesReady ??= Promise.all([queues.pipeline.create(), queues.send.create()]).then(() => undefined);
      queuesReady.catch(() => { queuesReady = undefined; });
      return queuesReady;
    },
    /** A sending message's content, which no longer changes once the send started. */
    async messageContent(scope: TenantScope, id: string): Promise<MessageRecord | undefined> {
      const key = `${scope.tenantId}|${id}`;
      const hit = contentCache.get(key);
      if (hit) return hit;
      const row = await messages.get(scope, id);
      if (!row) return undefined;
      if (contentCache.size > 1000) contentCache.clear();
      contentCache.set(key, row);
      return row;
    },
  };
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
