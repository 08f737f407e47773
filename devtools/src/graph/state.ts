import { randomUUID } from 'node:crypto';
import { sampleTenants, type SampleTenant, type SampleUser } from '../seed/tenants.js';
import { seedCatalog, type CatalogApp } from './app-catalog.js';
import { seedDrives, type Drive } from './drive-store.js';
import type { OnlineMeeting } from './meetings.js';
import type { ChatFactory, UserAppInstallation } from './installed-apps.js';
import type { ActivityNotification } from './notifications.js';
import type { PreferredPresence } from './presence.js';
import { RequestLog } from './request-log.js';
import { Throttler } from './throttle.js';
import type { UploadSession } from './upload-sessions.js';

export type GraphUser = Record<string, unknown> & { id: string; displayName: string; userPrincipalName: string };

export type GroupState = {
  id: string;
  displayName: string;
  description: string;
  mail: string;
  groupTypes: string[];
  securityEnabled: boolean;
  isTeam: boolean;
  /** direct members: user or group ids */
  members: string[];
  owners: string[];
};

export type TeamState = {
  id: string;
  displayName: string;
  description: string;
  internalId: string;
  channels: Array<{ id: string; displayName: string; membershipType: string }>;
  members: string[];
  owners: string[];
};

export type TenantState = {
  id: string;
  seed: SampleTenant;
  users: Map<string, GraphUser>;
  groups: Map<string, GroupState>;
  teams: Map<string, TeamState>;
  preferredPresence: Map<string, PreferredPresence>;
  meetings: Map<string, OnlineMeeting>;
  drives: Map<string, Drive>;
  /** the tenant app catalog */
  catalog: CatalogApp[];
  /** apps installed in users' personal scope, by user id */
  userApps: Map<string, UserAppInstallation[]>;
};

export type SandboxState = {
  tenants: Map<string, TenantState>;
  notifications: ActivityNotification[];
  uploadSessions: Map<string, UploadSession>;
  log: RequestLog;
  throttler: Throttler;
  /** where installing an app for a user gets the 1:1 chat id (see installed-apps.ts); kept across resets */
  chatFactory?: ChatFactory;
  /** application permissions a tenant's admin has not consented, by tenant id (see installed-apps.ts) */
  withheldAppRoles: Map<string, Set<string>>;
};

const created = '2024-01-15T09:00:00Z';

function graphUser(u: SampleUser): GraphUser {
  return {
    id: u.id,
    displayName: u.displayName,
    givenName: u.givenName,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    mail: u.mail,
    jobTitle: u.jobTitle,
    department: u.department,
    preferredLanguage: u.preferredLanguage,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    accountEnabled: true,
    userType: 'Member',
  };
}

function tenantState(seed: SampleTenant): TenantState {
  const groups = new Map<string, GroupState>();
  for (const g of seed.groups) groups.set(g.id, { ...g, members: [...g.members], owners: [], isTeam: false });
  for (const t of seed.teams) {
    // Every team is backed by a Microsoft 365 group with the same id.
    groups.set(t.id, {
      id: t.id, displayName: t.displayName, description: t.description,
      mail: `${t.displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}@${seed.domain}`,
      groupTypes: ['Unified'], securityEnabled: false, isTeam: true,
      members: [...new Set([...t.owners, ...t.members])], owners: [...t.owners],
    });
  }
  const teams = new Map<string, TeamState>(seed.teams.map((t) => [t.id, {
    id: t.id, displayName: t.displayName, description: t.description, internalId: t.botTeamId,
    channels: t.channels.map((c) => ({ ...c })), members: [...new Set([...t.owners, ...t.members])], owners: [...t.owners],
  }]));
  return {
    id: seed.id,
    seed,
    users: new Map(seed.users.map((u) => [u.id, graphUser(u)])),
    groups,
    teams,
    preferredPresence: new Map(),
    meetings: new Map(),
    drives: seedDrives(seed, [...groups.values()]),
    catalog: seedCatalog(seed.id),
    userApps: new Map(),
  };
}

export function createState(): SandboxState {
  return {
    tenants: new Map(sampleTenants.map((t) => [t.id, tenantState(t)])),
    notifications: [],
    uploadSessions: new Map(),
    log: new RequestLog(),
    throttler: new Throttler(),
    withheldAppRoles: new Map(),
  };
}

/** Back to the seed: objects, presence, meetings, drives, app installs, notifications, throttles, withheld permissions and the request log. */
export function resetState(state: SandboxState): void {
  const fresh = createState();
  state.tenants = fresh.tenants;
  state.notifications.length = 0;
  state.uploadSessions.clear();
  state.log.clear();
  state.throttler.clear();
  state.withheldAppRoles.clear();
}

/** A security group of users new to the tenant, for SandboxControl.addGroup. */
export type NewGroup = { displayName: string; users: Array<{ id: string; displayName: string; userPrincipalName: string; preferredLanguage?: string }> };

/** Adds a NewGroup and its users to a tenant; returns the group's id. */
export function addGroup(state: SandboxState, tenantId: string, group: NewGroup): string {
  const tenant = state.tenants.get(tenantId);
  if (!tenant) throw new Error(`no tenant ${tenantId} in the sandbox`);
  for (const u of group.users) {
    if (tenant.users.has(u.id) || tenant.groups.has(u.id)) throw new Error(`${u.id} is already in tenant ${tenantId}`);
  }
  for (const u of group.users) {
    tenant.users.set(u.id, {
      id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.userPrincipalName, preferredLanguage: u.preferredLanguage ?? null,
      businessPhones: [], mobilePhone: null, officeLocation: null, accountEnabled: true, userType: 'Member',
    });
  }
  const id = randomUUID();
  const nick = group.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  tenant.groups.set(id, {
    id, displayName: group.displayName, description: '', mail: `${nick}@${tenant.seed.domain}`, groupTypes: [], securityEnabled: true, isTeam: false,
    members: group.users.map((u) => u.id), owners: [],
  });
  return id;
}

export function groupJson(g: GroupState): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    mail: g.mail,
    mailEnabled: g.groupTypes.includes('Unified'),
    mailNickname: g.mail.split('@')[0],
    groupTypes: g.groupTypes,
    securityEnabled: g.securityEnabled,
    visibility: g.groupTypes.includes('Unified') ? 'Private' : null,
    resourceProvisioningOptions: g.isTeam ? ['Team'] : [],
    createdDateTime: created,
    onPremisesSyncEnabled: null,
    proxyAddresses: [`SMTP:${g.mail}`],
  };
}

export function userJson(u: GraphUser): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.user', ...u };
}

/** A user by object id or UPN (case-insensitive), in this tenant only. */
export function findUserIn(tenant: TenantState, idOrUpn: string): GraphUser | undefined {
  const direct = tenant.users.get(idOrUpn);
  if (direct) return direct;
  const upn = idOrUpn.toLowerCase();
  for (const u of tenant.users.values()) if (u.userPrincipalName.toLowerCase() === upn) return u;
  return undefined;
}
