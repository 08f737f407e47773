import { requireUser } from './directory.js';
import { badRequest, forbidden } from './errors.js';
import { metadata } from './paging.js';
import type { Router } from './router.js';
import type { TenantState } from './state.js';
import { json, jsonBody, noContent, type Ctx } from './types.js';

export type PreferredPresence = { availability: string; activity: string; expiresAt?: number };

export const maxPresenceIds = 650;

/** The pairs Graph accepts in setUserPreferredPresence. */
const preferredPairs: Record<string, string> = {
  Available: 'Available', Busy: 'Busy', DoNotDisturb: 'DoNotDisturb', BeRightBack: 'BeRightBack', Away: 'Away', Offline: 'OffWork',
};

const staffCycle: Array<[string, string]> = [['Available', 'Available'], ['Away', 'Away'], ['Busy', 'InACall'], ['Offline', 'Offline']];

/** What Teams would report without a preferred presence: named people are online; generated staff vary, deterministically. */
function basePresence(tenant: TenantState, userId: string): [string, string] {
  const index = tenant.seed.users.findIndex((u) => u.id === userId);
  const user = tenant.seed.users[index]!;
  if (!user.userPrincipalName.startsWith('staff')) return ['Available', 'Available'];
  return staffCycle[index % staffCycle.length]!;
}

function currentPresence(tenant: TenantState, userId: string): [string, string] {
  const preferred = tenant.preferredPresence.get(userId);
  if (preferred && (preferred.expiresAt === undefined || preferred.expiresAt > Date.now())) return [preferred.availability, preferred.activity];
  return basePresence(tenant, userId);
}

function presenceJson(tenant: TenantState, userId: string): Record<string, unknown> {
  const [availability, activity] = tenant.users.has(userId) ? currentPresence(tenant, userId) : ['PresenceUnknown', 'PresenceUnknown'];
  return { id: userId, availability, activity, statusMessage: null, outOfOfficeSettings: { message: null, isOutOfOffice: false } };
}

/** ISO 8601 durations such as PT1H30M or P1D. */
function durationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) throw badRequest(`Invalid expirationDuration '${iso}'.`);
  const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

/** A signed-in user may change only their own presence; an app may change anyone's in its tenant. */
function requireSelfOrApp(ctx: Ctx, userId: string): void {
  if (ctx.principal.kind === 'user' && ctx.principal.oid !== userId) throw forbidden('A delegated token can only change the presence of the signed-in user.');
}

function setPreferred(ctx: Ctx, id: string) {
  const user = requireUser(ctx.tenant, id);
  requireSelfOrApp(ctx, user.id);
  const body = jsonBody<{ availability?: unknown; activity?: unknown; expirationDuration?: unknown }>(ctx.req);
  const { availability, activity } = body;
  if (typeof availability !== 'string' || typeof activity !== 'string' || preferredPairs[availability] !== activity) {
    throw badRequest(`Invalid availability/activity pair '${String(availability)}'/'${String(activity)}'. Allowed: ${Object.entries(preferredPairs).map(([a, b]) => `${a}/${b}`).join(', ')}.`);
  }
  const expiresAt = typeof body.expirationDuration === 'string' ? Date.now() + durationMs(body.expirationDuration) : undefined;
  ctx.tenant.preferredPresence.set(user.id, { availability, activity, expiresAt });
  return noContent(200);
}

export function registerPresence(router: Router): void {
  router
    .add('GET', /^\/users\/([^/]+)\/presence$/, (ctx, [id]) => {
      const user = requireUser(ctx.tenant, id!);
      return json(200, { '@odata.context': metadata(ctx, `users('${user.id}')/presence/$entity`), ...presenceJson(ctx.tenant, user.id) });
    })
    .add('POST', /^\/communications\/getPresencesByUserId$/, (ctx) => {
      const { ids } = jsonBody<{ ids?: unknown }>(ctx.req);
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw badRequest("The request body must contain 'ids', an array of user object ids.");
      if (ids.length > maxPresenceIds) throw badRequest(`The number of ids (${ids.length}) exceeds the maximum of ${maxPresenceIds}.`);
      const unique = [...new Set(ids as string[])];
      return json(200, { '@odata.context': metadata(ctx, 'Collection(microsoft.graph.presence)'), value: unique.map((id) => presenceJson(ctx.tenant, id)) });
    })
    .add('POST', /^\/users\/([^/]+)\/presence\/setUserPreferredPresence$/, (ctx, [id]) => setPreferred(ctx, id!))
    .add('POST', /^\/users\/([^/]+)\/presence\/clearUserPreferredPresence$/, (ctx, [id]) => {
      const user = requireUser(ctx.tenant, id!);
      requireSelfOrApp(ctx, user.id);
      ctx.tenant.preferredPresence.delete(user.id);
      return noContent(200);
    });
}
