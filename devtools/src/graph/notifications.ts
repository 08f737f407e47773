import { requireUser } from './directory.js';
import { badRequest } from './errors.js';
import type { Router } from './router.js';
import { requireTeam } from './teams.js';
import { jsonBody, noContent, type Ctx } from './types.js';

export type ActivityNotification = {
  time: string;
  tenantId: string;
  /** where it was posted: a user's feed, or a team (with the recipient in the body) */
  target: { kind: 'user'; userId: string } | { kind: 'team'; teamId: string };
  /** object id of the caller (user or service principal) */
  senderId: string;
  topic: { source: string; value: string; webUrl?: string };
  activityType: string;
  previewText?: { content: string };
  templateParameters: Array<{ name: string; value: string }>;
  recipient?: Record<string, unknown>;
};

type Body = Partial<Pick<ActivityNotification, 'topic' | 'activityType' | 'previewText' | 'templateParameters' | 'recipient'>>;

function validated(ctx: Ctx, needsRecipient: boolean): Body & Pick<ActivityNotification, 'topic' | 'activityType'> {
  const body = jsonBody<Body>(ctx.req);
  if (!body.topic || typeof body.topic.source !== 'string' || typeof body.topic.value !== 'string') throw badRequest("'topic' with 'source' and 'value' is required.");
  if (body.topic.source === 'text' && !body.topic.webUrl) throw badRequest("A topic with source 'text' needs a 'webUrl'.");
  if (typeof body.activityType !== 'string' || !body.activityType) throw badRequest("'activityType' is required.");
  if (needsRecipient && (!body.recipient || typeof body.recipient['@odata.type'] !== 'string')) {
    throw badRequest("'recipient' with an '@odata.type' (aadUserNotificationRecipient, teamMembersNotificationRecipient or channelMembersNotificationRecipient) is required.");
  }
  return body as Body & Pick<ActivityNotification, 'topic' | 'activityType'>;
}

function record(ctx: Ctx, target: ActivityNotification['target'], body: ReturnType<typeof validated>) {
  ctx.sandbox.notifications.push({
    time: new Date().toISOString(),
    tenantId: ctx.tenant.id,
    target,
    senderId: ctx.principal.oid,
    topic: body.topic,
    activityType: body.activityType,
    previewText: body.previewText,
    templateParameters: body.templateParameters ?? [],
    ...(body.recipient ? { recipient: body.recipient } : {}),
  });
  return noContent();
}

export function registerNotifications(router: Router): void {
  router
    .add('POST', /^\/users\/([^/]+)\/teamwork\/sendActivityNotification$/, (ctx, [userId]) => {
      const user = requireUser(ctx.tenant, userId!);
      return record(ctx, { kind: 'user', userId: user.id }, validated(ctx, false));
    })
    .add('POST', /^\/teams\/([^/]+)\/sendActivityNotification$/, (ctx, [teamId]) => {
      const team = requireTeam(ctx.tenant, teamId!);
      const body = validated(ctx, true);
      const recipientUser = body.recipient?.userId;
      if (typeof recipientUser === 'string' && !team.members.includes(recipientUser)) throw badRequest(`Recipient ${recipientUser} is not a member of team ${team.id}.`);
      return record(ctx, { kind: 'team', teamId: team.id }, body);
    });
}
