import { tenantOfActivity, type TenantScope } from '@teamspro/core';
import { BROADCAST_VERBS, CardDataError, parseFeedbackSubmission } from '@teamspro/templates';
import type { App } from '@microsoft/teams.apps';
import type { AdaptiveCardActionResponse } from '@microsoft/teams.api';
import { cardFor, withdrawnCard } from '../domain/card.js';
import { answerOf, Interactions } from '../domain/interactions.js';
import { recipientKeys } from '../domain/keys.js';
import type { Services } from '../services.js';
import type { FeedbackRecord } from '../store/feedback-store.js';
import type { RecipientRow } from '../store/recipient-store.js';


const failure = (statusCode: 400 | 404 | 500, message: string) =>
  ({ statusCode, type: 'application/vnd.microsoft.error', value: { code: statusCode === 500 ? 'InternalError' : 'BadRequest', message } }) as unknown as AdaptiveCardActionResponse;

/** A channel post's conversation id carries the thread (";messageid=…"). */
const baseConversation = (id: string) => id.split(';')[0]!;

/**
 * Universal Actions on a broadcast card (`adaptiveCard/action` invokes):
 *  - verb "read": the card's refresh, run by Teams when the recipient views it → marked read; in a
 *    channel, run for each listed team member who views the post → that viewer is recorded (once per
 *    person) and the channel counts as read from the first;
 *  - verb "feedback": a reaction, acknowledgement, rating or comment → stored.
 * Both answer with the recipient's card (with their answer), which Teams shows in place; on a
 * recalled message, with a one-line "This message was withdrawn" card, and nothing is recorded.
 */
export function registerCardActions(app: App, s: Services) {
  const interactions = new Interactions(s);

  /** The row the card was delivered through: the person's own chat, else the channel the action came from. */
  async function recipientOf(scope: TenantScope, messageId: string, aadId: string, conversationId: string): Promise<RecipientRow | undefined> {
    const own = await s.recipients.get(scope, messageId, recipientKeys.user(aadId));
    // someone who got the card both in their chat and in a channel: an action in the channel is on the channel's card
    if (own && (!own.conversationId || baseConversation(own.conversationId) === baseConversation(conversationId))) return own;
    const channels = await s.recipients.listAll(scope, messageId, "kind eq 'channel'");
    return channels.find((c) => c.conversationId && baseConversation(c.conversationId) === baseConversation(conversationId)) ?? own;
  }

  app.on('card.action', async ({ activity, log }) => {
    try {
      const tenantId = tenantOfActivity(activity);
      const aadId = activity.from.aadObjectId?.toLowerCase();
      const { verb, data } = activity.value.action;
      const messageId = (data as { messageId?: unknown } | undefined)?.messageId;
      if (!tenantId || !aadId || typeof messageId !== 'string') return failure(400, 'This card action is missing its tenant, user or message.');
      if (verb !== BROADCAST_VERBS.read && verb !== BROADCAST_VERBS.feedback) return failure(400, `Unknown action "${verb}".`);
      const scope = { tenantId };
      // read fresh, not from the send's content cache: a sent message can be edited or recalled
      const message = await s.messages.get(scope, messageId);
      if (!message) return failure(404, 'This message no longer exists.');
      const row = await recipientOf(scope, messageId, aadId, activity.conversation.id);
      if (!row) return failure(404, 'This message was not sent to you.');
      // recalled: nothing is recorded any more; the card (if Teams still shows it) says so
      if (message.recalled) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: withdrawnCard(row.locale ?? activity.locale) } as unknown as AdaptiveCardActionResponse;

      const userKey = recipientKeys.user(aadId);
      let feedback: FeedbackRecord | undefined = await s.feedback.get(scope, messageId, userKey);
      if (verb === BROADCAST_VERBS.feedback) {
        let submission;
        try {
          submission = parseFeedbackSubmission(data);
        } catch (err) {
          if (err instanceof CardDataError) return failure(400, `The answer is not valid: ${err.message}`);
          throw err;
        }
        feedback = await interactions.feedback(scope, messageId, { key: userKey, name: activity.from.name ?? row.name }, row.rowKey, submission);
      }
      if (row.kind === 'user') await interactions.markRead(scope, row);
      else await interactions.channelView(scope, row, { aadId, name: activity.from.name ?? '' });

      const { card } = cardFor({ ...message, id: messageId },
        { key: row.rowKey, locale: row.locale, refreshUserIds: row.kind === 'user' ? [row.teamsUserId ?? row.aadId ?? aadId] : row.refreshUserIds ?? [] },
        { publicUrl: s.publicUrl, signer: s.signer, tenantId }, answerOf(feedback));
      return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } as unknown as AdaptiveCardActionResponse;
    } catch (err) {
      log.error('card action failed', err);
      return failure(500, 'Something went wrong while recording your answer. Try again.');
    }
  });
}
