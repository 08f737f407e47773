import type { Client as GraphClient } from '@microsoft/microsoft-graph-client';
import type { Installation, InstallationStore, RateLimiter, TenantScope } from '@teamspro/core';
import type { Audience } from '../../api/contract.js';
import type { RecipientRecord } from '../../store/recipient-store.js';
import { classifyConnectorError, type BotConnector, type RosterMember } from '../../bot/connector.js';
import type { ListStore } from '../../store/list-store.js';
import type { PeopleStore, Person } from '../../store/people-store.js';
import { recipientKeys } from '../keys.js';
import { chunks, mapLimit } from '../parallel.js';
import { dedupe } from './dedupe.js';
import { reasons, userRecord, type Candidate, type GraphUser, type ResolvedAudience } from './types.js';
import type { PagingCheckpoint } from '../../store/resolve-checkpoint-store.js';
import { batchGet } from './graph-batch.js';
import { readPaged } from './paged-source.js';

export type ResolverDeps = {
  installations: InstallationStore;
  people: PeopleStore;
  lists: ListStore;
  connector: BotConnector;
  limiter: RateLimiter<'bot-connector'>;
  graphForApp: (tenantId: string) => GraphClient;
  graphPageSize: number;
  /** members per Bot Connector roster page (Teams allows 50–500) */
  rosterPageSize: number;
  /** the tenant's settings (whether the app may be installed through Graph for people without it) */
  settings: { cached(scope: TenantScope): Promise<{ proactiveInstall: boolean }> };
};


/** What resolution knows up front: personal installs and people seen on rosters, by AAD object id. */
type Directory = {
  installs: Map<string, Installation>; teamInstalls: Installation[]; people: Map<string, Person>;
  /** install the app through Graph for people the bot cannot reach otherwise (the tenant setting) */
  proactiveInstall: boolean;
  /** the tenant's Bot Connector address, from any install: where a chat made by a Graph install is reached */
  serviceUrl?: string;
};

/**
 * Turns a message's audience into recipients. Every source yields candidates keyed by AAD object
 * id (channels by team and channel), then they are de-duplicated across sources.
 */
export class AudienceResolver {
  constructor(private readonly deps: ResolverDeps) {}

  private async directory(scope: TenantScope): Promise<Directory> {
    const [personal, teamInstalls, people, settings] = await Promise.all([
      this.deps.installations.list(scope, 'personal'),
      this.deps.installations.list(scope, 'channel'),
      this.deps.people.all(scope),
      this.deps.settings.cached(scope),
    ]);
    return {
      installs: new Map(personal.filter((i) => i.userId).map((i) => [i.userId!.toLowerCase(), i])), teamInstalls, people,
      proactiveInstall: settings.proactiveInstall,
      serviceUrl: teamInstalls[0]?.serviceUrl ?? personal[0]?.serviceUrl,
    };
  }

  /** `checkpoint`: where Graph pages read so far are kept (a send's resolve job), so a redelivery resumes after them. */
  async resolve(scope: TenantScope, audience: Audience[], checkpoint?: PagingCheckpoint): Promise<ResolvedAudience> {
    const dir = await this.directory(scope);
    const candidates: Candidate[] = [];
    const sources: string[] = [];
    for (const entry of audience) {
      const found = await this.entry(scope, entry, dir, checkpoint);
      for (const f of found) {
        if (!sources.includes(f.source)) sources.push(f.source);
        candidates.push(f);
      }
    }
    return this.withNames(scope, dedupe(candidates, sources));
  }

  /**
   * People no source named (an install stored without the user's name, from before installs looked it
   * up): their names come from the directory, 20 per $batch, and are remembered. Names only label the
   * report, so a failed lookup leaves them empty rather than failing the send.
   */
  private async withNames(scope: TenantScope, resolved: ResolvedAudience): Promise<ResolvedAudience> {
    const nameless = resolved.recipients.filter((r) => r.record.kind === 'user' && !r.record.name && r.record.aadId);
    const graph = nameless.length ? this.deps.graphForApp(scope.tenantId) : undefined;
    for (const batch of chunks(nameless, 20)) {
      try {
        const answers = await batchGet<GraphUser>(graph!, batch.map((r) => `/users/${encodeURIComponent(r.record.aadId!)}?$select=id,displayName,userPrincipalName`));
        for (const [i, res] of answers.entries()) {
          const r = batch[i]!;
          if (res.status !== 200 || !res.body?.displayName) continue;
          r.record.name = res.body.displayName;
          r.record.upn ??= res.body.userPrincipalName;
        }
        await this.deps.people.remember(scope, batch.filter((r) => r.record.name).map((r) => ({ aadId: r.record.aadId!, name: r.record.name, upn: r.record.upn })));
      } catch {
        // unnamed in the report; delivery does not depend on it
      }
    }
    return resolved;
  }

  private async entry(scope: TenantScope, entry: Audience, dir: Directory, checkpoint?: PagingCheckpoint): Promise<Candidate[]> {
    switch (entry.kind) {
      case 'allUsers': return this.allUsers(dir);
      case 'channels': return this.channels(scope, entry.channels, dir);
      case 'teamMembers': return (await Promise.all(entry.teamIds.map((id) => this.teamMembers(scope, id, dir, checkpoint)))).flat();
      case 'groups': return (await mapLimit(entry.groupIds, 4, (id) => this.group(scope, id, dir, checkpoint))).flat();
      case 'list': return (await mapLimit(entry.listIds, 4, (id) => this.list(scope, id, dir, checkpoint))).flat();
    }
  }

  private allUsers(dir: Directory): Candidate[] {
    return [...dir.installs.values()].map((i) => ({
      key: recipientKeys.user(i.userId!),
      source: 'allUsers',
      // the install carries the Teams user id (core keeps from.id); a roster may have told us it too
      record: userRecord({ aadId: i.userId!.toLowerCase(), name: i.userName || dir.people.get(i.userId!.toLowerCase())?.name || '', ...(i.userPrincipalName ? { upn: i.userPrincipalName } : {}), locale: i.locale, conversationId: i.conversationId, serviceUrl: i.serviceUrl, ...(i.teamsUserId ? { teamsUserId: i.teamsUserId } : {}), ...this.known(dir, i.userId!) }),
    }));
  }

  /**
   * Recipients of an earlier send, to be sent again: their delivery details are reused, and people
   * who could not be reached then are looked up again (they may have installed the app since).
   */
  async refresh(scope: TenantScope, rows: Array<{ key: string; record: RecipientRecord }>): Promise<Array<{ key: string; record: RecipientRecord }>> {
    const dir = await this.directory(scope);
    return rows.map(({ key, record }) => {
      const base = { name: record.name, upn: record.upn, locale: record.locale, sources: record.sources };
      if (record.kind === 'channel') {
        const deliverable = record.conversationId && record.serviceUrl;
        return { key, record: deliverable
          ? { ...base, kind: 'channel', teamId: record.teamId, channelId: record.channelId, conversationId: record.conversationId, serviceUrl: record.serviceUrl, status: 'queued', retries: 0 }
          : { ...base, kind: 'channel', teamId: record.teamId, channelId: record.channelId, status: 'failed', retries: 0, failureReason: reasons.notInTeam, resolveFailed: true, counted: true } };
      }
      if (!record.aadId) return { key, record: userRecord(base, record.failureReason ?? reasons.unknownUser) };
      const fresh = this.person(dir, { aadId: record.aadId, name: record.name, upn: record.upn, locale: record.locale }, 'resend').record;
      if (fresh.status === 'failed' && record.conversationId && record.serviceUrl) {
        return { key, record: userRecord({ ...base, aadId: record.aadId, teamsUserId: record.teamsUserId, conversationId: record.conversationId, serviceUrl: record.serviceUrl }) };
      }
      return { key, record: { ...fresh, sources: record.sources } };
    });
  }

  /**
   * A person as a recipient: their personal install, else a chat the bot can open from a known Teams id,
   * else (when the tenant allows it) an install through Graph at send time, else failed.
   */
  private person(dir: Directory, user: { aadId: string; name?: string; upn?: string; locale?: string }, source: string): Candidate {
    const aadId = user.aadId.toLowerCase();
    const install = dir.installs.get(aadId);
    const known = dir.people.get(aadId);
    const base = { aadId, name: user.name || install?.userName || known?.name || '', upn: user.upn ?? known?.upn ?? install?.userPrincipalName, locale: install?.locale ?? user.locale ?? known?.locale, teamsUserId: known?.teamsUserId ?? install?.teamsUserId };
    const key = recipientKeys.user(aadId);
    if (install) return { key, source, record: userRecord({ ...base, conversationId: install.conversationId, serviceUrl: install.serviceUrl }) };
    if (known?.conversationId && known.serviceUrl) return { key, source, record: userRecord({ ...base, conversationId: known.conversationId, serviceUrl: known.serviceUrl }) };
    const serviceUrl = known?.serviceUrl ?? dir.teamInstalls[0]?.serviceUrl;
    if (known?.teamsUserId && serviceUrl) return { key, source, record: userRecord({ ...base, serviceUrl }) };
    // queued without a conversation or Teams id: the send worker installs the app through Graph first
    if (dir.proactiveInstall) return { key, source, record: dir.serviceUrl ? userRecord({ ...base, serviceUrl: dir.serviceUrl }) : userRecord(base, reasons.noServiceUrl) };
    return { key, source, record: userRecord(base, reasons.notInstalled) };
  }

  private known(dir: Directory, aadId: string): { teamsUserId?: string; upn?: string } {
    const p = dir.people.get(aadId.toLowerCase());
    return { ...(p?.teamsUserId ? { teamsUserId: p.teamsUserId } : {}), ...(p?.upn ? { upn: p.upn } : {}) };
  }

  private teamInstall(dir: Directory, teamId: string): Installation | undefined {
    return dir.teamInstalls.find((i) => i.teamId === teamId || i.conversationId === teamId);
  }

  private async channels(scope: TenantScope, channels: Array<{ teamId: string; channelId: string }>, dir: Directory): Promise<Candidate[]> {
    const names = new Map<string, Map<string, string>>();
    const out: Candidate[] = [];
    for (const { teamId, channelId } of channels) {
      const install = this.teamInstall(dir, teamId);
      const key = recipientKeys.channel(teamId, channelId);
      if (!install) {
        out.push({ key, source: `channel:${teamId}`, record: { kind: 'channel', name: channelId, teamId, channelId, status: 'failed', retries: 0, failureReason: reasons.notInTeam, resolveFailed: true, counted: true } });
        continue;
      }
      if (!names.has(teamId)) {
        await this.deps.limiter.acquire(scope.tenantId, 'bot-connector');
        const list = await this.deps.connector.teamChannels(install.serviceUrl, teamId).catch(() => []);
        names.set(teamId, new Map(list.map((c) => [c.id, c.name])));
      }
      const teamName = install.teamName ?? teamId;
      const name = `${teamName} › ${names.get(teamId)?.get(channelId) ?? channelId}`;
      out.push({ key, source: `channel:${name}`, record: { kind: 'channel', name, teamId, channelId, conversationId: channelId, serviceUrl: install.serviceUrl, status: 'queued', retries: 0 } });
    }
    return out;
  }

  private async teamMembers(scope: TenantScope, teamId: string, dir: Directory, checkpoint?: PagingCheckpoint): Promise<Candidate[]> {
    const install = this.teamInstall(dir, teamId);
    if (!install) throw new AudienceError(`The app is not installed in team ${teamId}.`);
    let roster: RosterMember[];
    try {
      roster = await readPaged<RosterMember>(checkpoint, `team-${teamId}`, async (next) => {
        await this.deps.limiter.acquire(scope.tenantId, 'bot-connector');
        return this.deps.connector.teamRosterPage(install.serviceUrl, teamId, this.deps.rosterPageSize, next);
      });
    } catch (err) {
      const failure = classifyConnectorError(err);
      const message = `The members of ${install.teamName ?? teamId} could not be read: ${failure.reason}`;
      if (failure.kind === 'permanent') throw new AudienceError(message); // the bot was removed from the team, say: no use retrying
      throw new Error(message, { cause: err });
    }
    const members = roster.filter((m) => m.aadId);
    // remember who is who: later group and list sends can open 1:1 chats with these people
    await this.deps.people.remember(scope, members.map((m) => ({ aadId: m.aadId!.toLowerCase(), teamsUserId: m.teamsUserId, name: m.name, upn: m.upn, serviceUrl: install.serviceUrl })));
    for (const m of members) {
      const aadId = m.aadId!.toLowerCase();
      dir.people.set(aadId, { ...dir.people.get(aadId), aadId, teamsUserId: m.teamsUserId, name: m.name, upn: m.upn, serviceUrl: dir.people.get(aadId)?.serviceUrl ?? install.serviceUrl });
    }
    const source = `team:${install.teamName ?? teamId}`;
    return members.map((m) => this.person(dir, { aadId: m.aadId!, name: m.name, upn: m.upn }, source));
  }

  private async group(scope: TenantScope, groupId: string, dir: Directory, checkpoint?: PagingCheckpoint): Promise<Candidate[]> {
    const graph = this.deps.graphForApp(scope.tenantId);
    let name = groupId;
    try {
      const group = (await graph.api(`/groups/${encodeURIComponent(groupId)}`).select('id,displayName').get()) as { displayName?: string };
      name = group.displayName ?? groupId;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) throw new AudienceError(`Group ${groupId} was not found.`);
      throw err;
    }
    type Page = { value: GraphUser[]; '@odata.nextLink'?: string };
    const users = await readPaged<GraphUser>(checkpoint, `group-${groupId}`, async (next) => {
      const page = (await (next
        ? graph.api(next)
        : graph.api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`).select('id,displayName,userPrincipalName,preferredLanguage').top(this.deps.graphPageSize)
      ).get()) as Page;
      return { items: page.value, ...(page['@odata.nextLink'] ? { next: page['@odata.nextLink'] } : {}) };
    });
    const source = `group:${name}`;
    return users.map((u) => this.person(dir, { aadId: u.id, name: u.displayName, upn: u.userPrincipalName, locale: u.preferredLanguage || undefined }, source));
  }

  /**
   * A list's people, looked up in the directory by UPN through $batch, `graphPageSize` UPNs to a
   * checkpointed page (lists do not change once uploaded, so a page is known by where it starts).
   */
  private async list(scope: TenantScope, listId: string, dir: Directory, checkpoint?: PagingCheckpoint): Promise<Candidate[]> {
    const list = await this.deps.lists.get(scope, listId);
    if (!list) throw new AudienceError(`List ${listId} was not found.`);
    const upns = await this.deps.lists.members(scope, listId);
    if (upns.length === 0) return [];
    const graph = this.deps.graphForApp(scope.tenantId);
    const pageSize = this.deps.graphPageSize;
    const lookups = await readPaged<ListLookup>(checkpoint, `list-${listId}`, async (next) => {
      const start = next === undefined ? 0 : Number(next);
      const page = upns.slice(start, start + pageSize);
      const answers = await batchGet<GraphUser>(graph, page.map((upn) => `/users/${encodeURIComponent(upn)}?$select=id,displayName,userPrincipalName,preferredLanguage`));
      const items = page.map((upn, i): ListLookup => {
        const a = answers[i]!;
        if (a.status === 200 && a.body?.id) return { upn, user: a.body };
        if (a.status === 404) return { upn };
        throw new Error(`directory lookup of ${upn} failed with ${a.status}`);
      });
      return { items, ...(start + pageSize < upns.length ? { next: String(start + pageSize) } : {}) };
    });
    const source = `list:${list.name}`;
    return lookups.map(({ upn, user }) => user
      ? this.person(dir, { aadId: user.id, name: user.displayName, upn: user.userPrincipalName ?? upn, locale: user.preferredLanguage || undefined }, source)
      : { key: recipientKeys.unknownUpn(upn), source, record: userRecord({ name: upn, upn }, reasons.unknownUser) });
  }
}

/** A list entry looked up in the directory: the user found, or none (no such UPN). */
type ListLookup = { upn: string; user?: GraphUser };

/** The audience cannot be resolved as given (a team without the app, a group or list that does not exist). */
export class AudienceError extends Error {}
