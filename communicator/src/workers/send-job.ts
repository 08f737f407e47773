import { randomUUID } from 'node:crypto';
import { RetryLater, type JobContext, type TenantScope } from '@teamspro/core';
import { cardSizeBytes, TEAMS_MAX_REFRESH_USER_IDS, TEAMS_MESSAGE_SIZE_LIMIT_BYTES } from '@teamspro/templates';
import { classifyConnectorError, type ConnectorFailure } from '../bot/connector.js';
import { cardFor } from '../domain/card.js';
import { reasons } from '../domain/audience/types.js';
import type { MessageRecord } from '../domain/message.js';
import type { Services } from '../services.js';
import { recordOf, type RecipientRow } from '../store/recipient-store.js';
import { countRecipient, finishRecipient } from './accounting.js';
import type { SendJob } from './jobs.js';

/** Tries within one delivery of the job before handing it back to the queue. */
const inProcessTries = 4;
const backoffMs = (attempt: number) => Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
export const sendMaxAttempts = 5;



/**
 * Delivers one message to one recipient, at most once:
 *  - the row is marked "sending" with an attempt id right before the Bot Connector call;
 *  - a redelivered job that finds a row still "sending" does not send again: the earlier attempt
 *    may have reached Teams, so it is recorded as sent-unconfirmed (a missed card is less harmful
 *    than a duplicate in everyone's chat, and the report says which ones are unconfirmed);
 *  - 429 pauses the tenant's Bot Connector bucket for Retry-After; 5xx and 412 retry with backoff;
 *    other 4xx fail for good with the reason; on the job's last attempt a retryable failure
 *    becomes a failure too, so no recipient is left queued or dropped silently.
 */
export class SendWorker {
  /** team rosters' Teams user ids for channel cards' refresh lists, per (tenant, message, team): read once per send */
  private readonly rosters = new Map<string, Promise<string[]>>();

  constructor(private readonly s: Services) {}

  readonly handle = async (job: SendJob, ctx: JobContext): Promise<void> => {
    const scope = { tenantId: job.tenantId };
    if (!(await this.stillSending(scope, job.messageId))) return;
    let row = await this.s.recipients.get(scope, job.messageId, job.recipientKey);
    if (!row) return;
    if (row.status === 'sent' || row.status === 'failed') {
      await countRecipient(this.s, scope, row);
      return;
    }
    if (row.status === 'sending') {
      // another worker may still be in the middle of this very call: give it time before judging
      const markedAt = row.updatedAt ? Date.parse(row.updatedAt) : 0;
      const graceMs = this.s.options.sendingGraceMs;
      if (Date.now() - markedAt < graceMs && ctx.attempt < sendMaxAttempts) throw new RetryLater(Math.ceil(graceMs / 1000), 'another attempt may be in flight');
      await finishRecipient(this.s, scope, row, { status: 'sent', unconfirmed: true, sentAt: new Date().toISOString() });
      return;
    }
    const message = await this.s.messageContent(scope, job.messageId);
    if (!message) return;

    for (let tries = 1; ; tries++) {
      const ready = await this.ensureConversation(scope, row, ctx.attempt);
      if (!ready) return;
      row = ready;
      const teamsUserId = row.kind === 'user' ? row.teamsUserId ?? (await this.lookUpTeamsUserId(scope, row)) : undefined;
      // a person's card refreshes for them; a channel post's for up to 60 members of the team (Teams' limit)
      let refreshUserIds = row.kind === 'user' ? [teamsUserId ?? row.aadId ?? row.rowKey] : row.refreshUserIds ?? (await this.teamMemberIds(scope, job.messageId, row));
      // the last wait before the call is for the send's own token; a cancel seen after it stops the send
      await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
      if (!(await this.stillSending(scope, job.messageId))) return;
      let rendered;
      try {
        for (;;) {
          rendered = cardFor({ ...message, id: job.messageId }, { key: row.rowKey, locale: row.locale, refreshUserIds },
            { publicUrl: this.s.publicUrl, signer: this.s.signer, tenantId: scope.tenantId });
          // a long refresh list must not push a card that fits over Teams' size limit: list fewer members instead
          if (row.kind === 'user' || refreshUserIds.length === 0 || cardSizeBytes(rendered.card) <= TEAMS_MESSAGE_SIZE_LIMIT_BYTES) break;
          refreshUserIds = refreshUserIds.slice(0, Math.floor((refreshUserIds.length * 3) / 4));
        }
      } catch (err) {
        await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: `the card could not be built: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
      row = await this.s.recipients.replace(scope, row, {
        ...recordOf(row), status: 'sending', attemptId: randomUUID(), locale: rendered.locale, ...(teamsUserId ? { teamsUserId } : {}),
        // kept so the card answered to a card action lists the same members
        ...(row.kind === 'channel' ? { refreshUserIds } : {}),
      });
      let failure: ConnectorFailure;
      try {
        const activityId = await this.s.connector.sendCard(row.serviceUrl!, row.conversationId!, rendered.card, summaryOf(message, rendered.locale));
        await finishRecipient(this.s, scope, row, { status: 'sent', activityId, sentAt: new Date().toISOString() });
        return;
      } catch (err) {
        failure = classifyConnectorError(err);
      }
      if (failure.kind === 'ambiguous') {
        await finishRecipient(this.s, scope, row, { status: 'sent', unconfirmed: true, sentAt: new Date().toISOString(), failureReason: failure.reason });
        return;
      }
      if (failure.kind === 'permanent') {
        await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: failure.reason });
        return;
      }
      // not delivered: back to queued, one more retry on the record
      row = await this.s.recipients.replace(scope, row, { ...recordOf(row), status: 'queued', attemptId: undefined, retries: row.retries + 1, failureReason: failure.reason });
      const waitMs = failure.kind === 'throttled' && failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : backoffMs(tries);
      if (failure.kind === 'throttled') this.s.limiter.pauseFor(scope.tenantId, 'bot-connector', waitMs);
      if (tries < inProcessTries) {
        // a throttle waits in the limiter (paused for everyone); other failures back off here
        if (failure.kind !== 'throttled') await sleep(waitMs);
        continue;
      }
      if (ctx.attempt >= sendMaxAttempts) {
        await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: `gave up after ${row.retries} retries: ${failure.reason}` });
        return;
      }
      throw new RetryLater(Math.ceil(waitMs / 1000) + 5, failure.reason);
    }
  };

  private async stillSending(scope: TenantScope, messageId: string): Promise<boolean> {
    const status = await this.s.statusCache.status(scope, messageId);
    return status === 'sending' || status === 'resolving';
  }

  /**
   * A user reached through a roster may have no chat with the bot yet: open one. Someone with no known Teams id
   * gets the app installed through Graph when the tenant allows it. Returns undefined when the row is finished.
   */
  private async ensureConversation(scope: TenantScope, row: RecipientRow, attempt: number): Promise<RecipientRow | undefined> {
    if (row.conversationId && row.serviceUrl) return row;
    if (row.kind === 'user' && !row.teamsUserId && row.aadId && row.serviceUrl) return this.installThroughGraph(scope, row, attempt);
    if (row.kind !== 'user' || !row.teamsUserId || !row.serviceUrl) {
      await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: reasons.notInstalled });
      return undefined;
    }
    await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
    let conversationId: string;
    try {
      conversationId = await this.s.connector.createPersonalConversation(row.serviceUrl, scope.tenantId, row.teamsUserId);
    } catch (err) {
      const failure = classifyConnectorError(err);
      if (failure.kind === 'throttled') {
        this.s.limiter.pauseFor(scope.tenantId, 'bot-connector', (failure.retryAfterSeconds ?? 5) * 1000);
        throw new RetryLater(failure.retryAfterSeconds ?? 5, failure.reason);
      }
      if (failure.kind === 'permanent') {
        await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: `could not open a chat with the person: ${failure.reason}` });
        return undefined;
      }
      // worth another try; should every try fail, this is the reason the report gives
      throw new Error(`could not open a chat with the person: ${failure.reason}`, { cause: err });
    }
    if (row.aadId) await this.s.people.remember(scope, [{ aadId: row.aadId, teamsUserId: row.teamsUserId, conversationId, serviceUrl: row.serviceUrl }]);
    return this.s.recipients.replace(scope, row, { ...recordOf(row), conversationId });
  }

  /**
   * Proactive install (tenant setting, off by default): installs the app in the person's personal scope
   * through Graph and sends to the chat that creates, at the tenant's service URL. The chat is remembered,
   * so later messages go straight there. Graph's 429 waits (the tenant's Graph bucket is paused by the
   * client for Retry-After, then the job comes back); 403 and the like fail the row with Graph's reason.
   */
  private async installThroughGraph(scope: TenantScope, row: RecipientRow, attempt: number): Promise<RecipientRow | undefined> {
    if (!(await this.s.settings.cached(scope)).proactiveInstall) {
      await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: reasons.notInstalled });
      return undefined;
    }
    const outcome = await this.s.installer.install(scope.tenantId, row.aadId!);
    if (outcome.kind === 'installed') {
      await this.s.people.remember(scope, [{ aadId: row.aadId!, conversationId: outcome.chatId, serviceUrl: row.serviceUrl }]);
      return this.s.recipients.replace(scope, row, { ...recordOf(row), conversationId: outcome.chatId });
    }
    if (outcome.kind === 'refused' || attempt >= sendMaxAttempts) {
      await finishRecipient(this.s, scope, row, { status: 'failed', failureReason: reasons.installFailed(outcome.reason) });
      return undefined;
    }
    if (outcome.kind === 'throttled') throw new RetryLater(outcome.retryAfterSeconds, outcome.reason);
    throw new Error(reasons.installFailed(outcome.reason));
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
        const roster = await this.s.connector.teamRoster(row.serviceUrl!, teamId);
        return roster.map((m) => m.teamsUserId).filter(Boolean).slice(0, TEAMS_MAX_REFRESH_USER_IDS);
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

function summaryOf(message: MessageRecord, locale: string): string {
  const variant = message.variants.find((v) => v.locale === locale) ?? message.variants[0];
  return (variant?.summary || variant?.title || '').slice(0, 200);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
