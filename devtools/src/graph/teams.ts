import { requireUser } from './directory.js';
import { GraphError } from './errors.js';
import { collection, entity } from './paging.js';
import type { Router } from './router.js';
import type { TeamState, TenantState } from './state.js';
import type { Ctx } from './types.js';

const created = '2024-01-15T09:00:00Z';

export function requireTeam(tenant: TenantState, id: string): TeamState {
  const team = tenant.teams.get(id);
  if (!team) throw new GraphError(404, 'NotFound', `No team found with Group Id ${id}`);
  return team;
}

function teamJson(tenant: TenantState, t: TeamState): Record<string, unknown> {
  return {
    id: t.id,
    createdDateTime: created,
    displayName: t.displayName,
    description: t.description,
    internalId: t.internalId,
    classification: null,
    specialization: 'none',
    visibility: 'private',
    webUrl: `https://teams.microsoft.com/l/team/${encodeURIComponent(t.internalId)}/conversations?groupId=${t.id}&tenantId=${tenant.id}`,
    isArchived: false,
    tenantId: tenant.id,
    isMembershipLimitedToOwners: false,
  };
}

function channelJson(tenant: TenantState, t: TeamState, c: TeamState['channels'][number]): Record<string, unknown> {
  return {
    id: c.id,
    createdDateTime: created,
    displayName: c.displayName,
    description: null,
    isFavoriteByDefault: null,
    email: '',
    tenantId: tenant.id,
    webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(c.id)}/${encodeURIComponent(c.displayName)}?groupId=${t.id}&tenantId=${tenant.id}`,
    membershipType: c.membershipType,
  };
}

function memberJson(tenant: TenantState, t: TeamState, userId: string): Record<string, unknown> | undefined {
  const user = tenant.users.get(userId);
  if (!user) return undefined;
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: Buffer.from(`0#${t.id}#${userId}`).toString('base64'),
    roles: t.owners.includes(userId) ? ['owner'] : [],
    displayName: user.displayName,
    visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    userId,
    email: user.mail,
    tenantId: tenant.id,
  };
}

function requireChannel(t: TeamState, channelId: string) {
  const channel = t.channels.find((c) => c.id === channelId);
  if (!channel) throw new GraphError(404, 'NotFound', `Channel ${channelId} not found in team ${t.id}`);
  return channel;
}

function joinedTeams(ctx: Ctx, userId: string) {
  const user = requireUser(ctx.tenant, userId);
  const teams = [...ctx.tenant.teams.values()].filter((t) => t.members.includes(user.id));
  return collection(ctx, teams.map((t) => {
    const { id, displayName, description, isArchived, tenantId } = teamJson(ctx.tenant, t);
    return { id, displayName, description, isArchived, tenantId };
  }), { context: 'teams' });
}

export function registerTeams(router: Router): void {
  router
    .add('GET', /^\/users\/([^/]+)\/joinedTeams$/, (ctx, [userId]) => joinedTeams(ctx, userId!))
    .add('GET', /^\/teams\/([^/]+)$/, (ctx, [id]) => entity(ctx, teamJson(ctx.tenant, requireTeam(ctx.tenant, id!)), 'teams'))
    .add('GET', /^\/teams\/([^/]+)\/channels$/, (ctx, [id]) => {
      const team = requireTeam(ctx.tenant, id!);
      return collection(ctx, team.channels.map((c) => channelJson(ctx.tenant, team, c)), { context: `teams('${team.id}')/channels` });
    })
    .add('GET', /^\/teams\/([^/]+)\/primaryChannel$/, (ctx, [id]) => {
      const team = requireTeam(ctx.tenant, id!);
      return entity(ctx, channelJson(ctx.tenant, team, team.channels[0]!), `teams('${team.id}')/primaryChannel`);
    })
    .add('GET', /^\/teams\/([^/]+)\/channels\/([^/]+)$/, (ctx, [id, channelId]) => {
      const team = requireTeam(ctx.tenant, id!);
      return entity(ctx, channelJson(ctx.tenant, team, requireChannel(team, channelId!)), `teams('${team.id}')/channels`);
    })
    .add('GET', /^\/teams\/([^/]+)\/members$/, (ctx, [id]) => {
      const team = requireTeam(ctx.tenant, id!);
      const members = team.members.map((m) => memberJson(ctx.tenant, team, m)).filter((m): m is Record<string, unknown> => m !== undefined);
      return collection(ctx, members, { context: `teams('${team.id}')/members` });
    });
}
