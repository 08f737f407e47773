import { stableUuid } from '../packaging/env.js';
import { suiteApps } from '../suite.js';

/** An app in a tenant's Teams app catalog (Graph `teamsApp`). */
export type CatalogApp = {
  /** the catalog id Graph generates for organization apps (the manifest id for store apps) */
  id: string;
  /** the manifest id */
  externalId: string;
  displayName: string;
  distributionMethod: 'organization' | 'store' | 'sideloaded';
  version: string;
  shortDescription: string;
  /** the bot the app package declares, if any */
  botId?: string;
};

/**
 * The catalog of a seed tenant: the suite's five apps as organization apps, with the manifest and bot
 * ids `npm run package` gives `local` packages (devtools/src/packaging/env.ts), so an app started with
 * TEAMS_APP_ID from its local package finds itself; plus a few store apps, so that filters have
 * something to leave out. Organization apps get a catalog id of their own per tenant, as in Teams.
 */
export function seedCatalog(tenantId: string): CatalogApp[] {
  const organization: CatalogApp[] = suiteApps.map((app) => ({
    id: sandboxCatalogId(tenantId, app.id),
    externalId: stableUuid(app.id, 'TEAMS_APP_ID'),
    displayName: app.displayName,
    distributionMethod: 'organization',
    version: '1.0.0',
    shortDescription: `${app.displayName} (TeamsPro suite)`,
    botId: app.hasBot ? stableUuid(app.id, 'BOT_ID') : undefined,
  }));
  const store: CatalogApp[] = ['Approvals', 'Lists', 'Shifts'].map((name) => {
    const id = stableUuid('store', name);
    return { id, externalId: id, displayName: name, distributionMethod: 'store', version: '1.0.0', shortDescription: `${name} (store app)` };
  });
  return [...organization, ...store];
}

/** The catalog id a suite app has in a seed tenant of the sandbox (what TEAMS_APP_CATALOG_ID would be set to). */
export function sandboxCatalogId(tenantId: string, appId: string): string {
  return stableUuid(tenantId, appId, 'TEAMS_APP_CATALOG_ID');
}

/** The manifest id of a suite app's local package (what TEAMS_APP_ID is locally). */
export function sandboxManifestId(appId: string): string {
  return stableUuid(appId, 'TEAMS_APP_ID');
}

export function catalogAppJson(app: CatalogApp): Record<string, unknown> {
  return { id: app.id, externalId: app.externalId, displayName: app.displayName, distributionMethod: app.distributionMethod };
}

export function appDefinitionJson(app: CatalogApp): Record<string, unknown> {
  return {
    id: Buffer.from(`${app.id}##${app.version}`).toString('base64'),
    teamsAppId: app.id,
    displayName: app.displayName,
    version: app.version,
    publishingState: 'published',
    shortDescription: app.shortDescription,
    description: app.shortDescription,
    lastModifiedDateTime: null,
    createdBy: null,
  };
}
