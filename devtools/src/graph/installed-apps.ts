import { appDefinitionJson, catalogAppJson, type CatalogApp } from './app-catalog.js';
import { requireUser } from './directory.js';
import { badRequest, GraphError } from './errors.js';
import { collection, entity } from './paging.js';
import type { Router } from './router.js';
import type { GraphUser, TenantState } from './state.js';
import { jsonBody, noContent, type Ctx } from './types.js';

/**
 * The Teams app catalog and apps installed in users' personal scope, as Microsoft Graph v1.0 documents them:
 *
 *   GET    /appCatalogs/teamsApps[/{id}]                               List teamsApp ($filter, $expand=appDefinitions, paging)
 *   GET    /users/{id}/teamwork/installedApps                           List apps installed for user ($filter, $expand=teamsApp,teamsAppDefinition)
 *   POST   /users/{id}/teamwork/installedApps                           Install app for user: { "teamsApp@odata.bind": ".../appCatalogs/teamsApps/{id}" } → 201, no body;
 *                                                                       409 when the app is already installed for the user, 404 when the catalog has no such app
 *   GET    /users/{id}/teamwork/installedApps/{installationId}          Get installed app for user
 *   GET    /users/{id}/teamwork/installedApps/{installationId}/chat     Get the 1:1 chat between the user and the app (its id is the bot's conversation id)
 *   DELETE /users/{id}/teamwork/installedApps/{installationId}          Uninstall → 204
 *
 * Permissions are checked like Graph does: an app token needs one of the application permissions listed
 * below in its roles, a delegated token one of the delegated scopes; otherwise 403 "Missing role
 * permissions". The identity provider's app tokens carry TeamsAppInstallation.ReadWriteSelfForUser.All
 * and AppCatalog.Read.All; `control.withholdAppRoles` makes a tenant behave as if its admin had not
 * consented some of them. (Graph also limits the "Self" permission to the app the token was issued to;
 * the sandbox does not check which app is installed.)
 *
 * The chat: installing creates the user's 1:1 chat with the app's bot, and its id is the conversation id
 * a bot sends to. By default the sandbox makes Teams-shaped ids (`19:{botId}_{userId}@unq.gbl.spaces`)
 * that no Bot Connector knows. For a chat a bot can really send to, the sandbox asks a ChatFactory
 * (`control.chatsFrom`): tests and the dev host pass `playgroundChats(...)`, which opens the chat on the
 * Agents Playground's Bot Connector (`/_connector`, which accepts conversations.create for its mock users)
 * and answers with the Playground's conversation id. The chat is made at install time, as in Teams.
 */

export type UserAppInstallation = { id: string; teamsAppId: string; chatId: string; installedAt: string };

export type SandboxChatRequest = {
  tenantId: string;
  user: { id: string; displayName: string; userPrincipalName: string; /** the Agents Playground's id for the user (user-id-N), when it has one */ playgroundId?: string };
  app: CatalogApp;
};

/** Opens the 1:1 chat between a user and an app's bot; undefined keeps the sandbox's own id. */
export type ChatFactory = (request: SandboxChatRequest) => Promise<string | undefined> | string | undefined;

const permissions = {
  readCatalog: {
    app: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'],
    delegated: ['AppCatalog.Submit', 'AppCatalog.Read.All', 'AppCatalog.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
  readUserApps: {
    app: ['TeamsAppInstallation.ReadForUser.All', 'TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All',
      'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All', 'TeamsAppInstallation.ReadWriteAndConsentForUser.All', 'TeamsAppInstallation.Read.All'],
    delegated: ['TeamsAppInstallation.ReadForUser', 'TeamsAppInstallation.ReadWriteSelfForUser', 'TeamsAppInstallation.ReadWriteForUser'],
  },
  writeUserApps: {
    app: ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All',
      'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All', 'TeamsAppInstallation.ReadWriteAndConsentForUser.All'],
    delegated: ['TeamsAppInstallation.ReadWriteSelfForUser', 'TeamsAppInstallation.ReadWriteForUser'],
  },
} as const;

function requirePermission(ctx: Ctx, need: { app: readonly string[]; delegated: readonly string[] }): void {
  const p = ctx.principal;
  if (p.kind === 'app') {
    const withheld = ctx.sandbox.withheldAppRoles.get(p.tenantId);
    const roles = p.roles.filter((r) => !withheld?.has(r));
    if (roles.some((r) => need.app.includes(r))) return;
    throw new GraphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${need.app.join(', ')}'. Roles on the request '${roles.join(', ')}'.`);
  }
  if (p.scopes.some((s) => need.delegated.includes(s))) return;
  throw new GraphError(403, 'Forbidden', `Missing scope permissions on the request. API requires one of '${need.delegated.join(', ')}'. Scopes on the request '${p.scopes.join(', ')}'.`);
}

/** Graph's installation ids are base64 of "{user id}##{app id}"; '/' and '+' are swapped out so an id is always one path segment. */
const installationId = (userId: string, teamsAppId: string) => Buffer.from(`${userId}##${teamsAppId}`).toString('base64').replace(/\//g, '_').replace(/\+/g, '-');

function catalogApp(tenant: TenantState, id: string): CatalogApp | undefined {
  return tenant.catalog.find((a) => a.id === id);
}

function installationJson(tenant: TenantState, i: UserAppInstallation): Record<string, unknown> {
  const app = catalogApp(tenant, i.teamsAppId)!;
  return {
    '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation',
    id: i.id,
    consentedPermissionSet: null,
    teamsApp: catalogAppJson(app),
    teamsAppDefinition: appDefinitionJson(app),
  };
}

function requireInstallation(tenant: TenantState, user: GraphUser, id: string): UserAppInstallation {
  const found = (tenant.userApps.get(user.id) ?? []).find((i) => i.id === id);
  if (!found) throw new GraphError(404, 'NotFound', `No app installation ${id} found for user ${user.id}.`);
  return found;
}

/** `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}` (any host, as Graph only reads the path) → the id. */
function boundAppId(body: Record<string, unknown>): string {
  const bind = body['teamsApp@odata.bind'];
  const m = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?#]+)\/?$/.exec(bind) : null;
  if (!m) throw badRequest("The request body needs 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}'.");
  return decodeURIComponent(m[1]!);
}

async function chatIdFor(ctx: Ctx, user: GraphUser, app: CatalogApp): Promise<string> {
  const seedUser = ctx.tenant.seed.users.find((u) => u.id === user.id);
  const fromFactory = await ctx.sandbox.chatFactory?.({
    tenantId: ctx.tenant.id,
    user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, playgroundId: seedUser?.playgroundId },
    app,
  });
  return fromFactory ?? `19:${app.botId ?? app.id}_${user.id}@unq.gbl.spaces`;
}

async function install(ctx: Ctx, userId: string) {
  requirePermission(ctx, permissions.writeUserApps);
  const user = requireUser(ctx.tenant, userId);
  const appId = boundAppId(jsonBody(ctx.req));
  const app = catalogApp(ctx.tenant, appId);
  if (!app) throw new GraphError(404, 'NotFound', `App with id '${appId}' was not found in the app catalog.`);
  const installed = ctx.tenant.userApps.get(user.id) ?? [];
  if (installed.some((i) => i.teamsAppId === app.id)) throw new GraphError(409, 'Conflict', `App '${app.id}' is already installed for user '${user.id}'.`);
  const chatId = await chatIdFor(ctx, user, app);
  // checked again: another install of the same app may have finished while the chat was being made
  const now = ctx.tenant.userApps.get(user.id) ?? [];
  if (now.some((i) => i.teamsAppId === app.id)) throw new GraphError(409, 'Conflict', `App '${app.id}' is already installed for user '${user.id}'.`);
  ctx.tenant.userApps.set(user.id, [...now, { id: installationId(user.id, app.id), teamsAppId: app.id, chatId, installedAt: new Date().toISOString() }]);
  return noContent(201);
}

export function registerInstalledApps(router: Router): void {
  router
    .add('GET', /^\/appCatalogs\/teamsApps$/, (ctx) => {
      requirePermission(ctx, permissions.readCatalog);
      const apps = ctx.tenant.catalog.map((a) => ({ ...catalogAppJson(a), appDefinitions: [appDefinitionJson(a)] }));
      return collection(ctx, apps, { context: 'appCatalogs/teamsApps', expandable: ['appDefinitions'] });
    })
    .add('GET', /^\/appCatalogs\/teamsApps\/([^/]+)$/, (ctx, [id]) => {
      requirePermission(ctx, permissions.readCatalog);
      const app = catalogApp(ctx.tenant, id!);
      if (!app) throw new GraphError(404, 'NotFound', `App with id '${id}' was not found in the app catalog.`);
      return entity(ctx, { ...catalogAppJson(app), appDefinitions: [appDefinitionJson(app)] }, 'appCatalogs/teamsApps', ['appDefinitions']);
    })
    .add('GET', /^\/users\/([^/]+)\/teamwork\/installedApps$/, (ctx, [userId]) => {
      requirePermission(ctx, permissions.readUserApps);
      const user = requireUser(ctx.tenant, userId!);
      const items = (ctx.tenant.userApps.get(user.id) ?? []).map((i) => installationJson(ctx.tenant, i));
      return collection(ctx, items, { context: `users('${user.id}')/teamwork/installedApps`, expandable: ['teamsApp', 'teamsAppDefinition'] });
    })
    .add('POST', /^\/users\/([^/]+)\/teamwork\/installedApps$/, (ctx, [userId]) => install(ctx, userId!))
    .add('GET', /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)$/, (ctx, [userId, id]) => {
      requirePermission(ctx, permissions.readUserApps);
      const user = requireUser(ctx.tenant, userId!);
      return entity(ctx, installationJson(ctx.tenant, requireInstallation(ctx.tenant, user, id!)), `users('${user.id}')/teamwork/installedApps`, ['teamsApp', 'teamsAppDefinition']);
    })
    .add('DELETE', /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)$/, (ctx, [userId, id]) => {
      requirePermission(ctx, permissions.writeUserApps);
      const user = requireUser(ctx.tenant, userId!);
      const installation = requireInstallation(ctx.tenant, user, id!);
      ctx.tenant.userApps.set(user.id, (ctx.tenant.userApps.get(user.id) ?? []).filter((i) => i !== installation));
      return noContent();
    })
    .add('GET', /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/, (ctx, [userId, id]) => {
      requirePermission(ctx, permissions.readUserApps);
      const user = requireUser(ctx.tenant, userId!);
      const installation = requireInstallation(ctx.tenant, user, id!);
      return entity(ctx, {
        id: installation.chatId,
        topic: null,
        createdDateTime: installation.installedAt,
        lastUpdatedDateTime: installation.installedAt,
        chatType: 'oneOnOne',
        webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(installation.chatId)}/0?tenantId=${ctx.tenant.id}`,
        tenantId: ctx.tenant.id,
        onlineMeetingInfo: null,
      }, 'chats');
    });
}
