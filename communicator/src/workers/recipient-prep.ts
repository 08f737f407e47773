import { RetryLater, type TenantScope } from '@teamspro/core';
import { cardSizeBytes, TEAMS_MAX_REFRESH_USER_IDS, TEAMS_MESSAGE_SIZE_LIMIT_BYTES, type AdaptiveCardJson } from '@teamspro/templates';
import { classifyConnectorError, rosterPageSizes } from '../bot/connector.js';
import { cardFor } from '../domain/card.js';
import { reasons } from '../domain/audience/types.js';
import type { MessageRecord } from '../domain/message.js';
import type { Services } from '../services.js';
import { recordOf, type RecipientRow } from '../store/recipient-store.js';

/** A recipient ready to send to: where (the row), what (the card in their language), and the refresh list. */
export type Prepared =
  | { kind: 'ready'; row: RecipientRow; card: AdaptiveCardJson; locale: string; teamsUserId?: string; refreshUserIds: string[] }
  /** will not work: the row ends failed with this reason */
  | { kind: 'failed'; row: RecipientRow; reason: string }
  /** worth another try later (a throttle says how long to wait) */
  | { kind: 'retry'; row: RecipientRow; reason: string; retryAfterMs?: number };

/**
 * Everything a recipient needs before the send itself: a chat (opened through the Bot Connector, or
 * the app installed through Graph when the tenant allows it), the Teams user id for the card's
 * refresh list (a channel post's: up to 60 members of the team), and the card in their language.
 * Failures stay with the recipient: one person who cannot be reached never holds up the others.
 */
export class RecipientPreparer {
  /** team rosters' Teams user ids for channel cards' refresh lists, per (tenant, message, team): read once per send */
  private readonly rosters = new Map<string, Promise<string[]>>();

  constructor(private readonly s: Services) {}

  async prepare(scope: TenantScope, messageId: string, message: MessageRecord, candidate: RecipientRow): Promise<Prepared> {
    let row = candidate;
    try {
      const ready = await this.ensureConversation(scope, row);
      if (ready.kind !== 'ok') return ready;
      row = ready.row;
      const teamsUserId = row.kind === 'user' ? row.teamsUserId ?? (await this.lookUpTeamsUserId(scope, row)) : undefined;
      // a person's card refreshes for them; a channel post's for up to 60 members of the team (Teams' limit)
      let refreshUserIds = row.kind === 'user' ? [teamsUserId ?? row.aadId ?? row.rowKey] : row.refreshUserIds ?? (await this.teamMemberIds(scope, messageId, row));
      try {
        for (;;) {
          const rendered = cardFor({ ...message, id: messageId }, { key: row.rowKey, locale: row.locale, refreshUserIds }, { publicUrl: this.s.publicUrl, signer: this.s.signer, tenantId: scope.tenantId });
          // a long refresh list must not push a card that fits over Teams' size limit: list fewer members instead
          if (row.kind === 'user' || refreshUserIds.length === 0 || cardSizeBytes(rendered.card) <= TEAMS_MESSAGE_SIZE_LIMIT_BYTES) {
            return { kind: 'ready', row, card: rendered.card, locale: rendered.locale, ...(teamsUserId ? { teamsUserId } : {}), refreshUserIds };
          }
          refreshUserIds = refreshUserIds.slice(0, Math.floor((refreshUserIds.length * 3) / 4));
        }
      } catch (err) {
        return { kind: 'failed', row, reason: `the card could not be built: ${err instanceof Error ? err.message : String(err)}` };
      }
    } catch (err) {
      if (err instanceof RetryLater) return { kind: 'retry', row, reason: err.message, retryAfterMs: err.seconds * 1000 };
      return { kind: 'retry', row, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * A user reached through a roster may have no chat with the bot yet: open one. Someone with no known Teams id
   * gets the app installed through Graph when the tenant allows it.
   */
  private async ensureConversation(scope: TenantScope, row: RecipientRow): Promise<{ kind: 'ok'; row: RecipientRow } | Exclude<Prepared, { kind: 'ready' }>> {
    if (row.conversationId && row.serviceUrl) return { kind: 'ok', row };
    if (row.kind === 'user' && !row.teamsUserId && row.aadId && row.serviceUrl) return this.installThroughGraph(scope, row);
    if (row.kind !== 'user' || !row.teamsUserId || !row.serviceUrl) return { kind: 'failed', row, reason: reasons.notInstalled };
    await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
    let conversationId: string;
    try {
      conversationId = await this.s.connector.createPersonalConversation(row.serviceUrl, scope.tenantId, row.teamsUserId);
    } catch (err) {
      const failure = classifyConnectorError(err);
      if (failure.kind === 'throttled') {
        const ms = (failure.retryAfterSeconds ?? 5) * 1000;
        this.s.limiter.pauseFor(scope.tenantId, 'bot-connector', ms);
        return { kind: 'retry', row, reason: failure.reason, retryAfterMs: ms };
      }
      if (failure.kind === 'permanent') return { kind: 'failed', row, reason: `could not open a chat with the person: ${failure.reason}` };
      return { kind: 'retry', row, reason: `could not open a chat with the person: ${failure.reason}` };
    }
    if (row.aadId) await this.s.people.remember(scope, [{ aadId: row.aadId, teamsUserId: row.teamsUserId, conversationId, serviceUrl: row.serviceUrl }]);
    return { kind: 'ok', row: await this.s.recipients.replace(scope, row, { ...recordOf(row), conversationId }) };
  }

  /**
   * Proactive install (tenant setting, off by default): installs the app in the person's personal scope
   * through Graph and sends to the chat that creates, at the tenant's service URL. The chat is remembered,
   * so later messages go straight there. Graph's 429 waits; 403 and the like fail the row with Graph's reason.
   */
  private async installThroughGraph(scope: TenantScope, row: RecipientRow): Promise<{ kind: 'ok'; row: RecipientRow } | Exclude<Prepared, { kind: 'ready' }>> {
    if (!(await this.s.settings.cached(scope)).proactiveInstall) return { kind: 'failed', row, reason: reasons.notInstalled };
    const outcome = await this.s.installer.install(scope.tenantId, row.aadId!);
    if (outcome.kind === 'installed') {
      await this.s.people.remember(scope, [{ aadId: row.aadId!, conversationId: outcome.chatId, serviceUrl: row.serviceUrl }]);
      return { kind: 'ok', row: await this.s.recipients.replace(scope, row, { ...recordOf(row), conversationId: outcome.chatId }) };
    }
    if (outcome.kind === 'refused') return { kind: 'failed', row, reason: reasons.installFailed(outcome.reason) };
    if (outcome.kind === 'throttled') return { kind: 'retry', row, reason: reasons.installFailed(outcome.reason), retryAfterMs: outcome.retryAfterSeconds * 1000 };
    return { kind: 'retry', row, reason: reasons.installFailed(outcome.reason) };
  }

  /** Up to 60 members of the channel's team, by Teams user id (the roster is read once per team and send). */
  private async teamMemberIds(scope: TenantScope, messageId: string, row: RecipientRow): Promise<string[]> {
    const teamId = row.teamId;
    if (!teamId || !row.serviceUrl) return [];
    const key = `${scope.tenantId}|${messageId}|${teamId}`;
    let ids = this.rosters.get(key);
    if (!ids) {
      if (this.rosters.size >= 200) this.rosters.delete(this.rosters.keys().next().value!);
      ids = (async () => {
        await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
        // the first page has more members than the card may name: the rest of the roster is not read
        const roster = await this.s.connector.teamRosterPage(row.serviceUrl!, teamId, rosterPageSizes.max);
        return roster.items.map((m) => m.teamsUserId).filter(Boolean).slice(0, TEAMS_MAX_REFRESH_USER_IDS);
      })();
      this.rosters.set(key, ids);
    }
    try {
      return await ids;
    } catch (err) {
      // the post still goes out; its members then count only when they refresh it themselves
      this.rosters.delete(key);
      this.s.ctx.logger.warn({ err, tenantId: scope.tenantId, teamId }, 'team roster unavailable: the channel card lists no members to refresh for');
      return [];
    }
  }

  /** The Teams user id of a personal chat's member, for the card's refresh list; remembered for next time. */
  private async lookUpTeamsUserId(scope: TenantScope, row: RecipientRow): Promise<string | undefined> {
    if (!row.aadId || !row.conversationId || !row.serviceUrl) return undefined;
    const known = await this.s.people.get(scope, row.aadId);
    if (known?.teamsUserId) return known.teamsUserId;
    try {
      await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
      const members = await this.s.connector.conversationMembers(row.serviceUrl, row.conversationId);
      const me = members.find((m) => m.aadId?.toLowerCase() === row.aadId) ?? (members.length === 1 ? members[0] : undefined);
      if (!me) return undefined;
      await this.s.people.remember(scope, [{ aadId: row.aadId, teamsUserId: me.teamsUserId, name: me.name, upn: me.upn }]);
      return me.teamsUserId;
    } catch {
      return undefined; // the refresh then lists the AAD object id; a 1:1 chat refreshes for its member anyway
    }
  }
}
