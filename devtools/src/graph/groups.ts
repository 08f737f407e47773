import { directoryObject, requireGroup, transitiveMemberIds } from './directory.js';
import { collection, entity } from './paging.js';
import type { Router } from './router.js';
import { groupJson } from './state.js';
import type { Ctx } from './types.js';

function objects(ctx: Ctx, ids: string[], onlyUsers: boolean) {
  return ids
    .filter((id) => !onlyUsers || ctx.tenant.users.has(id))
    .map((id) => directoryObject(ctx.tenant, id))
    .filter((o): o is Record<string, unknown> => o !== undefined);
}

/** `/members`, `/transitiveMembers`, `/owners`, each also cast to users with `/microsoft.graph.user`. */
function memberListing(ctx: Ctx, groupId: string, kind: string, cast: string) {
  const group = requireGroup(ctx.tenant, groupId);
  const ids = kind === 'transitiveMembers' ? transitiveMemberIds(ctx.tenant, group.id) : kind === 'owners' ? group.owners : group.members;
  const onlyUsers = cast === 'microsoft.graph.user';
  return collection(ctx, objects(ctx, ids, onlyUsers), { context: onlyUsers ? 'users' : 'directoryObjects', directory: true });
}

export function registerGroups(router: Router): void {
  router
    .add('GET', /^\/groups$/, (ctx) => collection(ctx, [...ctx.tenant.groups.values()].map((g) => groupJson(g)), { context: 'groups', directory: true }))
    .add('GET', /^\/groups\/([^/]+)$/, (ctx, [id]) => entity(ctx, groupJson(requireGroup(ctx.tenant, id!)), 'groups'))
    .add('GET', /^\/groups\/([^/]+)\/(members|transitiveMembers|owners)(?:\/(microsoft\.graph\.user))?$/, (ctx, [id, kind, cast]) => memberListing(ctx, id!, kind!, cast!));
}
