/** Who is calling, taken only from a validated token (tab API) or a verified bot activity. */
export type Identity = {
  tenantId: string;
  userId: string;
  name: string;
  upn: string;
  roles: string[];
  scopes: string[];
  /** the raw bearer token, kept for on-behalf-of exchanges */
  token: string;
};

/** The least a tenant-scoped store needs: a tenant id from a trusted source. */
export type TenantScope = { readonly tenantId: string };

export const Roles = { TenantAdmin: 'TenantAdmin', Author: 'Author' } as const;

export function hasRole(identity: Identity, role: string): boolean {
  return identity.roles.includes(role);
}
