import { forbidden, identityOf, Roles, type Identity } from '@teamspro/core';
import type { RequestHandler } from 'express';
import type { Role, RolesView, Settings } from './contract.js';

/** Admin: the TenantAdmin app role. Author: the Author app role, or listed (UPN or object id) in the tenant's settings. */
export function rolesOf(identity: Identity, settings: Settings): RolesView {
  const isAdmin = identity.roles.includes(Roles.TenantAdmin);
  const listed = settings.authors.some((a) => a.toLowerCase() === identity.upn.toLowerCase() || a.toLowerCase() === identity.userId.toLowerCase());
  const isAuthor = identity.roles.includes(Roles.Author) || listed;
  const roles: Role[] = [...(isAdmin ? ['TenantAdmin' as const] : []), ...(isAuthor ? ['Author' as const] : [])];
  return { roles, isAuthor, isAdmin };
}

export function accessControl(settingsOf: (tenantId: string) => Promise<Settings>) {
  const view = async (identity: Identity) => rolesOf(identity, await settingsOf(identity.tenantId));
  const gate = (allowed: (v: RolesView) => boolean, message: string): RequestHandler => async (_req, res, next) => {
    try {
      next(allowed(await view(identityOf(res))) ? undefined : forbidden(message));
    } catch (err) {
      next(err);
    }
  };
  return {
    view,
    requireAuthor: gate((v) => v.isAuthor, 'Only authors can use Company Communicator\'s author features. Ask a tenant administrator to add you.'),
    requireAdmin: gate((v) => v.isAdmin, 'Only tenant administrators can change Company Communicator\'s settings.'),
  };
}
