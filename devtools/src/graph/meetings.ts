import { randomUUID } from 'node:crypto';
import { requireUser } from './directory.js';
import { badRequest, forbidden, GraphError } from './errors.js';
import { entity } from './paging.js';
import type { Router } from './router.js';
import { json, jsonBody, noContent, type Ctx } from './types.js';

export type OnlineMeeting = Record<string, unknown> & { id: string; organizerId: string };

function dateTime(value: unknown, fallback: Date, name: string): string {
  if (value === undefined) return fallback.toISOString();
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw badRequest(`Invalid ${name} '${String(value)}'.`);
  return new Date(value).toISOString();
}

/** Delegated callers act for themselves only; apps may act for any user (an application access policy in real tenants). */
function organizer(ctx: Ctx, userId: string) {
  const user = requireUser(ctx.tenant, userId);
  if (ctx.principal.kind === 'user' && ctx.principal.oid !== user.id) throw forbidden('A delegated token can only manage the signed-in user\'s online meetings.');
  return user;
}

function requireMeeting(ctx: Ctx, organizerId: string, meetingId: string): OnlineMeeting {
  const meeting = ctx.tenant.meetings.get(meetingId);
  if (!meeting || meeting.organizerId !== organizerId) throw new GraphError(404, 'NotFound', `Online meeting ${meetingId} not found.`);
  return meeting;
}

function publicJson({ organizerId: _organizer, ...meeting }: OnlineMeeting): Record<string, unknown> {
  return meeting;
}

function createMeeting(ctx: Ctx, userId: string) {
  const user = organizer(ctx, userId);
  const body = jsonBody<{ subject?: unknown; startDateTime?: unknown; endDateTime?: unknown }>(ctx.req);
  const start = dateTime(body.startDateTime, new Date(), 'startDateTime');
  const end = dateTime(body.endDateTime, new Date(Date.parse(start) + 3600_000), 'endDateTime');
  if (Date.parse(end) < Date.parse(start)) throw badRequest('endDateTime must not be before startDateTime.');
  const threadId = `19:meeting_${Buffer.from(randomUUID()).toString('base64url').slice(0, 40)}@thread.v2`;
  const context = encodeURIComponent(JSON.stringify({ Tid: ctx.tenant.id, Oid: user.id }));
  const joinWebUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/0?context=${context}`;
  const id = Buffer.from(`1*${user.id}*0**${threadId}`).toString('base64url');
  const meeting: OnlineMeeting = {
    id,
    organizerId: user.id,
    creationDateTime: new Date().toISOString(),
    startDateTime: start,
    endDateTime: end,
    subject: typeof body.subject === 'string' ? body.subject : null,
    joinWebUrl,
    joinUrl: joinWebUrl,
    videoTeleconferenceId: String(Math.floor(Math.random() * 1e10)).padStart(10, '0'),
    chatInfo: { threadId, messageId: '0', replyChainMessageId: null },
    joinMeetingIdSettings: { joinMeetingId: String(Math.floor(Math.random() * 1e12)).padStart(12, '0'), isPasscodeRequired: false },
    participants: {
      organizer: { upn: user.userPrincipalName, role: 'presenter', identity: { user: { id: user.id, displayName: user.displayName, tenantId: ctx.tenant.id } } },
      attendees: [],
    },
    allowedPresenters: 'everyone',
    lobbyBypassSettings: { scope: 'organization', isDialInBypassEnabled: false },
  };
  ctx.tenant.meetings.set(id, meeting);
  return json(201, { '@odata.context': `${ctx.origin}/v1.0/$metadata#users('${user.id}')/onlineMeetings/$entity`, ...publicJson(meeting) });
}

export function registerMeetings(router: Router): void {
  router
    .add('POST', /^\/users\/([^/]+)\/onlineMeetings$/, (ctx, [userId]) => createMeeting(ctx, userId!))
    .add('GET', /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/, (ctx, [userId, meetingId]) => {
      const user = organizer(ctx, userId!);
      return entity(ctx, publicJson(requireMeeting(ctx, user.id, meetingId!)), `users('${user.id}')/onlineMeetings`);
    })
    .add('DELETE', /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/, (ctx, [userId, meetingId]) => {
      const user = organizer(ctx, userId!);
      ctx.tenant.meetings.delete(requireMeeting(ctx, user.id, meetingId!).id);
      return noContent();
    });
}
