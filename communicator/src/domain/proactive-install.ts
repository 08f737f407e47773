import type { Client as GraphClient } from '@microsoft/microsoft-graph-client';
import { parseRetryAfter } from '@teamspro/core';

/** What installing the app for one person through Graph came to. */
export type InstallOutcome =
  /** the app is installed for the person (now, or it already was): the 1:1 chat id is the conversation id to send to */
  | { kind: 'installed'; chatId: string; alreadyInstalled: boolean }
  /** will not work on retry (403 permission not consented or app blocked, app not in the catalog, no app id configured) */
  | { kind: 'refused'; reason: string }
  /** Graph answered 429 (or 503) even after the client's own retries */
  | { kind: 'throttled'; retryAfterSeconds: number; reason: string }
  /** worth another try (5xx, network, an install Graph does not list yet) */
  | { kind: 'transient'; reason: string };

export type InstallerDeps = {
  /** app-only Graph client of a tenant, behind the tenant's Graph rate limiter (429 Retry-After pauses it) */
  graph: (tenantId: string) => GraphClient;
  /** the app's manifest id (TEAMS_APP_ID): the catalog's externalId */
  manifestId?: string;
  /** the app's id in the tenant app catalog (TEAMS_APP_CATALOG_ID); looked up by manifest id when absent */
  catalogId?: string;
  now?: () => number;
};

type GraphFailure = { statusCode?: number; code?: string; message?: string; headers?: { get?(name: string): string | null } };

const consentHint = 'an administrator must grant the application permission TeamsAppInstallation.ReadWriteSelfForUser.All, and app permission policies must allow the app for the person';
/** A catalog lookup that found nothing is not repeated for every recipient of a send. */
const missingAppMemoryMs = 60_000;
const odataLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Installs the app in a person's personal scope through Microsoft Graph, as Microsoft's Company
 * Communicator does for recipients without a chat with the bot, and returns the chat to send to:
 *
 *   1. the catalog id: TEAMS_APP_CATALOG_ID, else GET /appCatalogs/teamsApps?$filter=externalId eq '{manifest id}'
 *      (remembered per tenant);
 *   2. POST /users/{id}/teamwork/installedApps { "teamsApp@odata.bind": ".../appCatalogs/teamsApps/{catalog id}" }
 *      (201 installed; 409 means it already was, which is fine);
 *   3. GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/externalId eq '{manifest id}'
 *      (or teamsApp/id eq '{catalog id}') → the installation id;
 *   4. GET /users/{id}/teamwork/installedApps/{installation id}/chat → the chat id, which is the bot's conversation id.
 *
 * Three Graph calls per new person; the caller remembers the chat, so later sends skip all of this.
 */
export class ProactiveInstaller {
  private readonly catalogIds = new Map<string, Promise<string>>();
  private readonly missing = new Map<string, { reason: string; until: number }>();
  private readonly now: () => number;

  constructor(private readonly deps: InstallerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async install(tenantId: string, aadId: string): Promise<InstallOutcome> {
    if (!this.deps.catalogId && !this.deps.manifestId) {
      return { kind: 'refused', reason: 'the app\'s Teams app id is not configured (set TEAMS_APP_ID, or TEAMS_APP_CATALOG_ID)' };
    }
    const graph = this.deps.graph(tenantId);
    let catalogId: string;
    try {
      const known = this.missing.get(tenantId);
      if (known && known.until > this.now()) return { kind: 'refused', reason: known.reason };
      catalogId = await this.catalogId(tenantId, graph);
    } catch (err) {
      if (err instanceof AppNotInCatalog) return { kind: 'refused', reason: err.message };
      return outcomeOf(err, 'look the app up in the tenant app catalog');
    }
    const user = `/users/${encodeURIComponent(aadId)}/teamwork/installedApps`;

    let alreadyInstalled = false;
    try {
      await graph.api(user).post({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}` });
    } catch (err) {
      const status = (err as GraphFailure).statusCode;
      if (status === 409) alreadyInstalled = true;
      else {
        // the app left the catalog (or never was in it under that id): look it up again next time
        if (status === 404 && !this.deps.catalogId) this.catalogIds.delete(tenantId);
        return outcomeOf(err, 'install the app');
      }
    }

    let installationId: string | undefined;
    try {
      const filter = this.deps.manifestId ? `teamsApp/externalId eq ${odataLiteral(this.deps.manifestId)}` : `teamsApp/id eq ${odataLiteral(catalogId)}`;
      const page = (await graph.api(user).expand('teamsApp').filter(filter).get()) as { value?: Array<{ id: string }> };
      installationId = page.value?.[0]?.id;
    } catch (err) {
      return outcomeOf(err, 'find the app\'s installation');
    }
    if (!installationId) return { kind: 'transient', reason: 'the app was installed, but Microsoft Graph does not list the installation yet' };

    try {
      const chat = (await graph.api(`${user}/${encodeURIComponent(installationId)}/chat`).get()) as { id?: string };
      if (!chat.id) return { kind: 'transient', reason: 'Microsoft Graph returned the app\'s chat without an id' };
      return { kind: 'installed', chatId: chat.id, alreadyInstalled };
    } catch (err) {
      return outcomeOf(err, 'get the chat with the app');
    }
  }

  private catalogId(tenantId: string, graph: GraphClient): Promise<string> {
    if (this.deps.catalogId) return Promise.resolve(this.deps.catalogId);
    let found = this.catalogIds.get(tenantId);
    if (!found) {
      found = this.lookUp(tenantId, graph);
      this.catalogIds.set(tenantId, found);
      found.catch(() => this.catalogIds.delete(tenantId));
    }
    return found;
  }

  private async lookUp(tenantId: string, graph: GraphClient): Promise<string> {
    const manifestId = this.deps.manifestId!;
    const page = (await graph.api('/appCatalogs/teamsApps').filter(`externalId eq ${odataLiteral(manifestId)}`).get()) as { value?: Array<{ id: string; distributionMethod?: string }> };
    const apps = page.value ?? [];
    // the organization's own upload first (a sideloaded or store copy of the same manifest may exist too)
    const app = apps.find((a) => a.distributionMethod === 'organization') ?? apps[0];
    if (!app) {
      const reason = `the app (manifest id ${manifestId}) is not in the tenant app catalog: upload it in the Teams admin center, or set TEAMS_APP_CATALOG_ID`;
      this.missing.set(tenantId, { reason, until: this.now() + missingAppMemoryMs });
      throw new AppNotInCatalog(reason);
    }
    return app.id;
  }
}

class AppNotInCatalog extends Error {}

/** A Graph error as an outcome: who to blame, and whether trying again can help. */
function outcomeOf(err: unknown, what: string): InstallOutcome {
  const e = (err ?? {}) as GraphFailure;
  const status = e.statusCode;
  const detail = [e.code, e.message].filter(Boolean).join(': ');
  if (status === undefined || status <= 0) return { kind: 'transient', reason: `Microsoft Graph unreachable while trying to ${what}: ${detail || String(err)}` };
  const reason = `Microsoft Graph answered ${status} to ${what}${detail ? ` (${detail})` : ''}`;
  if (status === 429 || status === 503) {
    return { kind: 'throttled', retryAfterSeconds: parseRetryAfter(e.headers?.get?.('retry-after')) ?? 30, reason };
  }
  if (status >= 500 || status === 408) return { kind: 'transient', reason };
  if (status === 403) return { kind: 'refused', reason: `${reason}: ${consentHint}` };
  return { kind: 'refused', reason };
}
