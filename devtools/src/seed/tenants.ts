/**
 * Sample tenants shared by the identity provider, the Graph sandbox and the tests.
 * Tenant A is the Microsoft 365 Agents Playground's mock tenant, so ids line up with bot tests;
 * tenant B exists so tests can prove isolation.
 */
export type SampleUser = {
  /** Azure AD object id (oid) */
  id: string;
  /** Playground channel account id (user-id-N), where the user exists in the Playground */
  playgroundId?: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string;
  department: string;
  preferredLanguage: string;
  /** app roles the identity provider puts in tokens: TenantAdmin, Author */
  roles: string[];
};

export type SampleGroup = {
  id: string;
  displayName: string;
  description: string;
  mail: string;
  groupTypes: string[];
  securityEnabled: boolean;
  /** direct members: user ids or group ids (nested groups make transitive membership meaningful) */
  members: string[];
};

export type SampleChannel = { id: string; displayName: string; membershipType: 'standard' | 'private' | 'shared' };

export type SampleTeam = {
  /** the team's group id (aadGroupId) */
  id: string;
  /** the Bot Framework team id (General channel conversation id) */
  botTeamId: string;
  displayName: string;
  description: string;
  channels: SampleChannel[];
  members: string[];
  owners: string[];
};

export type SampleTenant = {
  id: string;
  displayName: string;
  domain: string;
  users: SampleUser[];
  groups: SampleGroup[];
  teams: SampleTeam[];
};

function user(id: string, playgroundId: string | undefined, given: string, surname: string, upn: string, jobTitle: string, department: string, lang: string, roles: string[] = []): SampleUser {
  return { id, playgroundId, displayName: `${given} ${surname}`, givenName: given, surname, userPrincipalName: upn, mail: upn, jobTitle, department, preferredLanguage: lang, roles };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** 240 generated staff so that group and member listings need several pages. */
function generatedStaff(tenantPrefix: string, domain: string, count: number): SampleUser[] {
  const departments = ['Sales', 'Operations', 'Engineering', 'Finance', 'Marketing'];
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return user(`${tenantPrefix}-${pad(n, 12)}`, undefined, `Staff${pad(n, 3)}`, 'Member', `staff${pad(n, 3)}@${domain}`,
      'Associate', departments[i % departments.length]!, i % 3 === 0 ? 'fr-FR' : 'en-US');
  });
}

const tenantAUsers: SampleUser[] = [
  user('00000000-0000-0000-0000-0000000000020', 'user-id-0', 'Alex', 'Wilber', 'alexw@example.com', 'IT Administrator', 'IT', 'en-US', ['TenantAdmin', 'Author']),
  user('00000000-0000-0000-0000-0000000000021', 'user-id-1', 'Megan', 'Bowen', 'meganb@example.com', 'Communications Lead', 'Communications', 'en-US', ['Author']),
  user('00000000-0000-0000-0000-0000000000022', 'user-id-2', 'Adele', 'Vance', 'adelev@example.com', 'Retail Manager', 'Retail', 'fr-FR'),
  user('00000000-0000-0000-0000-0000000000023', 'user-id-3', 'Isaiah', 'Langer', 'isaiah@example.com', 'Sales Rep', 'Sales', 'en-US'),
  user('00000000-0000-0000-0000-0000000000024', 'user-id-4', 'Patti', 'Fernandez', 'pattif@example.com', 'President', 'Executive', 'fr-FR'),
  user('00000000-0000-0000-0000-0000000000025', 'user-id-5', 'Lynne', 'Robbins', 'lynner@example.com', 'Planner', 'Retail', 'en-US'),
];
const tenantAStaff = generatedStaff('a0000000-0000-0000-0000', 'example.com', 240);

export const tenantA: SampleTenant = {
  id: '00000000-0000-0000-0000-0000000000001',
  displayName: 'Contoso (Agents Playground mock tenant)',
  domain: 'example.com',
  users: [...tenantAUsers, ...tenantAStaff],
  groups: [
    { id: 'a1000000-0000-0000-0000-000000000001', displayName: 'Retail', description: 'Retail staff', mail: 'retail@example.com', groupTypes: ['Unified'], securityEnabled: false,
      members: ['00000000-0000-0000-0000-0000000000022', '00000000-0000-0000-0000-0000000000025'] },
    { id: 'a1000000-0000-0000-0000-000000000002', displayName: 'Leadership', description: 'Security group of leaders; nests Retail', mail: 'leadership@example.com', groupTypes: [], securityEnabled: true,
      members: ['00000000-0000-0000-0000-0000000000024', '00000000-0000-0000-0000-0000000000022', 'a1000000-0000-0000-0000-000000000001'] },
    { id: 'a1000000-0000-0000-0000-000000000003', displayName: 'All Staff', description: 'Everyone, including generated staff (for paging)', mail: 'allstaff@example.com', groupTypes: ['Unified'], securityEnabled: true,
      members: [...tenantAUsers.map((u) => u.id), ...tenantAStaff.map((u) => u.id), 'a1000000-0000-0000-0000-000000000002'] },
  ],
  teams: [
    { id: '00000000-0000-0000-0000-000000000031', botTeamId: 'team-id', displayName: 'My Team', description: 'The Agents Playground mock team',
      channels: [
        { id: 'team-id', displayName: 'General', membershipType: 'standard' },
        { id: 'channel-announcements-id', displayName: 'Announcements', membershipType: 'standard' },
      ],
      members: tenantAUsers.slice(1).map((u) => u.id), owners: ['00000000-0000-0000-0000-0000000000021'] },
  ],
};

const tenantBUsers: SampleUser[] = [
  user('b0000000-0000-0000-0000-000000000010', undefined, 'Bianca', 'Pisani', 'biancap@fabrikam.example', 'IT Administrator', 'IT', 'fr-FR', ['TenantAdmin', 'Author']),
  user('b0000000-0000-0000-0000-000000000011', undefined, 'Diego', 'Siciliani', 'diegos@fabrikam.example', 'Engineer', 'Engineering', 'en-US'),
];

export const tenantB: SampleTenant = {
  id: '11111111-1111-1111-1111-111111111111',
  displayName: 'Fabrikam (second tenant, for isolation tests)',
  domain: 'fabrikam.example',
  users: tenantBUsers,
  groups: [
    { id: 'b1000000-0000-0000-0000-000000000001', displayName: 'Fabrikam Everyone', description: 'All of Fabrikam', mail: 'everyone@fabrikam.example', groupTypes: ['Unified'], securityEnabled: true,
      members: tenantBUsers.map((u) => u.id) },
  ],
  teams: [
    { id: 'b2000000-0000-0000-0000-000000000001', botTeamId: 'fabrikam-team-id', displayName: 'Fabrikam Team', description: 'Second tenant team',
      channels: [{ id: 'fabrikam-team-id', displayName: 'General', membershipType: 'standard' }],
      members: tenantBUsers.map((u) => u.id), owners: [tenantBUsers[0]!.id] },
  ],
};

export const sampleTenants: SampleTenant[] = [tenantA, tenantB];

export function findUser(userId: string): { tenant: SampleTenant; user: SampleUser } | undefined {
  for (const tenant of sampleTenants) {
    const found = tenant.users.find((u) => u.id === userId || u.userPrincipalName === userId);
    if (found) return { tenant, user: found };
  }
  return undefined;
}

/** The users the identity provider's sign-in page lists: the named people of both tenants, not generated staff. */
export function signInUsers(): Array<{ tenant: SampleTenant; user: SampleUser }> {
  return sampleTenants.flatMap((tenant) =>
    tenant.users.filter((u) => !u.userPrincipalName.startsWith('staff')).map((user) => ({ tenant, user })));
}
