import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../log.js';
import { errorHandler, notFoundHandler } from '../http/errors.js';
import { authenticate, identityOf } from '../identity/middleware.js';
import { createTokenValidator, type TokenValidator } from '../identity/token-validator.js';
import { TableStorage } from '../store/table-store.js';
import { BlobStorage } from '../store/blob-store.js';
import { InstallationStore } from '../bot/installations.js';
import { registerFallbackReply, registerStandardBot, type StandardBotTexts } from '../bot/standard-bot.js';
import { createGraphClientFactory, type GraphClientFactory } from '../graph/graph-client.js';
import { graphTokenSourceFor } from '../graph/token-sources.js';
import { teamsLoggerFrom } from './teams-logger.js';
import { registerLegalPages } from './legal-pages.js';

export type AppContext = {
  config: Config;
  logger: Logger;
  storage: TableStorage;
  /** tenant-scoped Blob storage in the same account and with the same prefix as the tables */
  blobs: BlobStorage;
  installations: InstallationStore;
  graph: GraphClientFactory;
  teams: App;
  validateToken: TokenValidator;
};

export type AppDefinition = {
  /** workspace id, e.g. "contact" */
  id: string;
  displayName: string;
  /** absolute path of the built tab (Vite's outDir); served at /tab */
  tabDir?: string;
  botTexts: StandardBotTexts;
  /** app bot handlers, registered between the standard ones (hi/help/welcome) and the fallback reply */
  bot?: (ctx: AppContext) => void;
  /** routes under /api, after authentication: every handler can call identityOf(res) */
  api?: (router: Router, ctx: AppContext) => void;
  /** routes outside /api and without sign-in (e.g. a signed redirect); registered before the tab and the 404 handler */
  routes?: (router: Router, ctx: AppContext) => void;
  /** background work started with the server and stopped with it */
  workers?: (ctx: AppContext) => Array<{ start(): void | Promise<void>; stop(): Promise<void> }>;
  /** JSON body limit for the tab API */
  jsonLimit?: string;
};

export type RunningAppServer = { url: string; port: number; ctx: AppContext; stop(): Promise<void> };

/** Content-Security-Policy that lets Teams (web, desktop, mobile) frame the tab and nothing else. */
const frameAncestors = "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.cloud.microsoft https://*.office.com https://*.skype.com";

export async function startAppServer(def: AppDefinition, opts: { env?: Record<string, string | undefined>; config?: Config; logger?: Logger } = {}): Promise<RunningAppServer> {
  const config = opts.config ?? loadConfig(opts.env ?? process.env);
  const logger = opts.logger ?? createLogger(def.id, config.logLevel);
  const storage = new TableStorage(config.storage.connectionString, config.storage.prefix);
  const blobs = new BlobStorage(config.storage.connectionString, config.storage.prefix);
  const validateToken = createTokenValidator({
    issuerTemplate: config.auth.issuerTemplate,
    jwksUrl: config.auth.jwksUrl,
    audiences: config.auth.audiences.length ? config.auth.audiences : [`api://localhost/${def.id}`],
    allowedTenants: config.auth.allowedTenants,
  });
  const graph = createGraphClientFactory({ baseUrl: config.graph.baseUrl, tokens: graphTokenSourceFor(config) });

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', config.isProduction ? 1 : false);
  web.use((req, res, next) => {
    res.locals.requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 64) : randomUUID();
    res.setHeader('X-Request-Id', res.locals.requestId as string);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    next();
  });

  const teams = new App({
    httpServerAdapter: new ExpressAdapter(web),
    logger: teamsLoggerFrom(logger),
    ...(config.bot.authenticated
      ? { clientId: config.bot.clientId, clientSecret: config.bot.clientSecret, tenantId: config.bot.tenantId, managedIdentityClientId: config.bot.managedIdentityClientId }
      // outside production only (loadConfig refuses this in production): the Agents Playground sends no Bot Framework token
      : { dangerouslyAllowUnauthenticatedRequests: true }),
  });
  const installations = new InstallationStore(storage);
  const ctx: AppContext = { config, logger, storage, blobs, installations, graph, teams, validateToken };

  registerStandardBot(teams, { texts: def.botTexts, installations, logger });
  def.bot?.(ctx);
  registerFallbackReply(teams, def.botTexts);

  web.get('/healthz', (_req, res) => { res.json({ status: 'ok', app: def.id }); });
  web.get('/readyz', async (_req, res) => {
    try {
      await storage.ping();
      res.json({ status: 'ready', app: def.id });
    } catch (err) {
      logger.warn({ err }, 'storage not reachable');
      res.status(503).json({ error: { status: 503, code: 'not_ready', message: 'Storage is not reachable yet.', requestId: res.locals.requestId } });
    }
  });

  // the bot endpoint: the Teams SDK validates the Bot Framework token and registers POST /api/messages
  await teams.initialize();

  const api = express.Router();
  api.get('/client-config', (_req, res) => {
    res.json({
      appId: def.id,
      displayName: def.displayName,
      audience: config.auth.audiences[0] ?? `api://localhost/${def.id}`,
      devSignIn: config.auth.devIdentityUrl ? { authorizeUrl: `${config.auth.devIdentityUrl}/authorize` } : undefined,
    });
  });
  const authed = express.Router();
  authed.use(authenticate(validateToken));
  authed.use(express.json({ limit: def.jsonLimit ?? '1mb' }));
  authed.get('/me', (_req, res) => {
    const { tenantId, userId, name, upn, roles } = identityOf(res);
    res.json({ tenantId, userId, name, upn, roles });
  });
  def.api?.(authed, ctx);
  api.use(authed);
  web.use('/api', api);
  if (def.routes) {
    const open = express.Router();
    def.routes(open, ctx);
    web.use(open);
  }

  if (def.tabDir && existsSync(def.tabDir)) {
    web.use('/tab', (_req, res, next) => { res.setHeader('Content-Security-Policy', frameAncestors); next(); },
      express.static(def.tabDir, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => { if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache'); } }));
    web.get(/^\/tab(\/.*)?$/, (_req, res) => res.sendFile(path.join(def.tabDir!, 'index.html')));
  }
  registerLegalPages(web, def.displayName);
  web.get('/', (_req, res) => res.redirect('/tab/'));
  web.use(notFoundHandler);
  web.use(errorHandler(logger));

  const server = http.createServer(web);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  const workers = def.workers?.(ctx) ?? [];
  if (config.inProcessWorkers) for (const w of workers) await w.start();
  logger.info({ url }, `${def.displayName} listening`);

  return {
    url, port, ctx,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    },
  };
}
