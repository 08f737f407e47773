import { directoryObject, memberOfIds, requireUser, transitiveMemberOfIds } from './directory.js';
import { collection, entity } from './paging.js';
import type { Router } from './router.js';
import { userJson } from './state.js';
import type { Ctx } from './types.js';

function objects(ctx: Ctx, ids: string[]) {
  return ids.map((id) => directoryObject(ctx.tenant, id)).filter((o): o is Record<string, unknown> => o !== undefined);
}

export function registerUsers(router: Router): void {
  router
    .add('GET', /^\/users$/, (ctx) => collection(ctx, [...ctx.tenant.users.values()].map(userJson), { context: 'users', directory: true }))
    .add('GET', /^\/users\/([^/]+)$/, (ctx, [id]) => entity(ctx, userJson(requireUser(ctx.tenant, id!)), 'users'))
    .add('GET', /^\/users\/([^/]+)\/memberOf$/, (ctx, [id]) => {
      const user = requireUser(ctx.tenant, id!);
      return collection(ctx, objects(ctx, memberOfIds(ctx.tenant, user.id)), { context: 'directoryObjects', directory: true });
    })
    .add('GET', /^\/users\/([^/]+)\/transitiveMemberOf$/, (ctx, [id]) => {
      const user = requireUser(ctx.tenant, id!);
      return collection(ctx, objects(ctx, transitiveMemberOfIds(ctx.tenant, user.id)), { context: 'directoryObjects', directory: true });
    });
}
