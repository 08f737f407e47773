import { resourceNotFound } from './errors.js';
import { findUserIn, groupJson, userJson, type GroupState, type TenantState } from './state.js';

/** A directory object (user or group) of the tenant as Graph returns it in member listings. */
export function directoryObject(tenant: TenantState, id: string): Record<string, unknown> | undefined {
  const user = tenant.users.get(id);
  if (user) return userJson(user);
  const group = tenant.groups.get(id);
  return group ? groupJson(group) : undefined;
}

export function requireGroup(tenant: TenantState, id: string): GroupState {
  const group = tenant.groups.get(id);
  if (!group) throw resourceNotFound(id);
  return group;
}

export function requireUser(tenant: TenantState, idOrUpn: string) {
  const user = findUserIn(tenant, idOrUpn);
  if (!user) throw resourceNotFound(idOrUpn);
  return user;
}

/** Every member reached through nested groups, each once, in depth-first order; nested groups are listed too, as in Graph. */
export function transitiveMemberIds(tenant: TenantState, groupId: string): string[] {
  const seen = new Set<string>();
  const visitedGroups = new Set<string>([groupId]);
  const walk = (id: string) => {
    for (const member of tenant.groups.get(id)?.members ?? []) {
      if (!seen.has(member)) seen.add(member);
      if (tenant.groups.has(member) && !visitedGroups.has(member)) {
        visitedGroups.add(member);
        walk(member);
      }
    }
  };
  walk(groupId);
  return [...seen];
}

/** Groups the object is a direct member of. */
export function memberOfIds(tenant: TenantState, id: string): string[] {
  return [...tenant.groups.values()].filter((g) => g.members.includes(id)).map((g) => g.id);
}

/** Groups the object belongs to directly or through nesting. */
export function transitiveMemberOfIds(tenant: TenantState, id: string): string[] {
  const result = new Set<string>();
  const queue = memberOfIds(tenant, id);
  while (queue.length > 0) {
    const g = queue.shift()!;
    if (result.has(g)) continue;
    result.add(g);
    queue.push(...memberOfIds(tenant, g));
  }
  return [...result];
}
