import type { SampleTenant } from '../seed/tenants.js';

/** A roster entry as the Bot Connector returns it (TeamsChannelAccount). */
export type SimulatedMember = {
  /** Teams user id (`29:…`) */
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
};

export type SimulatedTeam = {
  /** the Bot Framework team id, which is also the General channel's conversation id */
  id: string;
  name?: string;
  aadGroupId?: string;
  /** member ids (Teams or AAD); every user of the tenant when absent */
  memberIds?: string[];
  /** channels besides General */
  channels?: Array<{ id: string; name: string }>;
};

export type SimulatedTenant = {
  /** this tenant's cap, requests/s (0 = no limit); the simulator's capPerTenant when absent */
  capPerTenant?: number;
  users?: SimulatedMember[];
  teams?: SimulatedTeam[];
};

/** `count` users with stable ids: `29:sim-<n>` and a matching AAD object id, for large benchmarks. */
export function syntheticUsers(tenantId: string, count: number, prefix = 'sim'): SimulatedMember[] {
  const tenantPart = tenantId.replace(/[^0-9a-f]/gi, '').slice(0, 12).padStart(12, '0');
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(8, '0');
    const aad = `${n}-0000-4000-8000-${tenantPart}`;
    return { id: `29:${prefix}-${tenantPart}-${n}`, name: `User ${i}`, aadObjectId: aad, userPrincipalName: `user${i}@${tenantPart}.example`, email: `user${i}@${tenantPart}.example`, userRole: 'user' as const };
  });
}

/** A seed tenant (devtools/src/seed) as simulator roster: Playground ids where they exist, AAD ids otherwise. */
export function simulatedTenantFromSample(tenant: SampleTenant): SimulatedTenant {
  return {
    users: tenant.users.map((u) => ({
      id: u.playgroundId ?? `29:${u.id}`, name: u.displayName, aadObjectId: u.id, email: u.mail, userPrincipalName: u.userPrincipalName,
      givenName: u.givenName, surname: u.surname, userRole: 'user' as const,
    })),
    teams: tenant.teams.map((t) => ({
      id: t.botTeamId, name: t.displayName, aadGroupId: t.id, memberIds: t.members,
      channels: t.channels.filter((c) => c.id !== t.botTeamId).map((c) => ({ id: c.id, name: c.displayName })),
    })),
  };
}
