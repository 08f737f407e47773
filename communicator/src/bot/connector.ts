import { Client as ApiClient, type IMessageActivityInput } from '@microsoft/teams.api';
import { parseRetryAfter } from '@teamspro/core';
import type { AdaptiveCardJson } from '@teamspro/templates';
import { postActivityJson, type BeforeWrite, type BotToken } from './activity-post.js';

type HttpClient = ConstructorParameters<typeof ApiClient>[1];

export type RosterMember = { teamsUserId: string; aadId?: string; name: string; upn?: string };

/** Members per roster page the Bot Connector accepts (GET …/pagedmembers?pageSize=). */
export const rosterPageSizes = { min: 50, max: 500 } as const;

/**
 * The Bot Connector calls this app makes, each to the service URL of the conversation's install
 * (Teams has regional service URLs; the Agents Playground has its own `/_connector`). One Teams SDK
 * ApiClient per service URL, sharing the app's authenticated HTTP client.
 */
export class BotConnector {
  private readonly clients = new Map<string, ApiClient>();

  constructor(private readonly http: HttpClient, private readonly botId: () => string | undefined) {}

  private client(serviceUrl: string): ApiClient {
    const base = serviceUrl.replace(/\/+$/, '');
    let client = this.clients.get(base);
    if (!client) {
      client = new ApiClient(base, this.http);
      this.clients.set(base, client);
    }
    return client;
  }

  /** `beforeWrite`: see postActivityJson (the rate limiter's last word, once the call holds a connection). */
  async sendCard(serviceUrl: string, conversationId: string, card: AdaptiveCardJson, summary: string, beforeWrite?: BeforeWrite): Promise<string> {
    // `summary` is what the Teams notification shows instead of "Sent a card"
    const activity = { type: 'message', summary, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    // the same request the SDK's conversations.activities(id).create makes, without its HTTP client's per-request cost
    const url = `${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${conversationId}/activities`;
    const sent = await postActivityJson(url, (this.http as { token?: BotToken }).token, activity, beforeWrite);
    return (sent as { id?: string } | undefined)?.id ?? '';
  }

  /** Replaces a card already sent (PUT …/activities/{activityId}): the message stays where it was, with new content. */
  async updateCard(serviceUrl: string, conversationId: string, activityId: string, card: AdaptiveCardJson, summary: string): Promise<void> {
    const activity = { type: 'message', id: activityId, summary, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] } as unknown as IMessageActivityInput;
    await this.client(serviceUrl).conversations.activities(conversationId).update(activityId, activity);
  }

  /** Deletes a message the bot sent (DELETE …/activities/{activityId}). */
  async deleteActivity(serviceUrl: string, conversationId: string, activityId: string): Promise<void> {
    await this.client(serviceUrl).conversations.activities(conversationId).delete(activityId);
  }

  /** Opens (or finds) the bot's 1:1 chat with a Teams user. */
  async createPersonalConversation(serviceUrl: string, tenantId: string, teamsUserId: string): Promise<string> {
    const botId = this.botId();
    const created = await this.client(serviceUrl).conversations.create({
      isGroup: false,
      ...(botId ? { bot: { id: botId } } : {}),
      members: [{ id: teamsUserId, role: 'user', name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    });
    return created.id;
  }

  /** One page of a team's roster (`pageSize` kept within 50–500), and the continuation token of the next page (none after the last). */
  async teamRosterPage(serviceUrl: string, teamId: string, pageSize: number, continuationToken?: string): Promise<{ items: RosterMember[]; next?: string }> {
    const size = Math.min(rosterPageSizes.max, Math.max(rosterPageSizes.min, pageSize));
    const page = await this.client(serviceUrl).conversations.getPagedMembers(teamId, size, continuationToken);
    const items = (page.members ?? []).map((m) => ({ teamsUserId: m.id, aadId: m.aadObjectId, name: m.name ?? '', upn: m.userPrincipalName ?? m.email }));
    return page.continuationToken ? { items, next: page.continuationToken } : { items };
  }

  async conversationMembers(serviceUrl: string, conversationId: string): Promise<RosterMember[]> {
    const members = await this.client(serviceUrl).conversations.getMembers(conversationId);
    return members.map((m) => ({ teamsUserId: m.id, aadId: m.aadObjectId ?? (m as { objectId?: string }).objectId, name: m.name ?? '', upn: m.userPrincipalName ?? m.email }));
  }

  async teamChannels(serviceUrl: string, teamId: string): Promise<Array<{ id: string; name: string }>> {
    const channels = await this.client(serviceUrl).teams.getConversations(teamId);
    return channels.map((c) => ({ id: c.id, name: c.name ?? 'General' }));
  }
}

export type ConnectorFailure =
  | { kind: 'throttled'; retryAfterSeconds?: number; reason: string }
  /** not delivered, worth another try (5xx, 412, connection refused) */
  | { kind: 'transient'; reason: string; status?: number }
  /** the request may have reached Teams (timeout or reset after sending): do not send again */
  | { kind: 'ambiguous'; reason: string }
  /** will not work on retry (403 bot blocked, 404 conversation gone, 400, 413 too big) */
  | { kind: 'permanent'; reason: string; status?: number };

type AxiosLike = { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }; code?: string; message?: string };

function errorText(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data ? data.slice(0, 300) : undefined;
  const error = (data as { error?: { code?: string; message?: string } }).error;
  if (error) return [error.code, error.message].filter(Boolean).join(': ');
  const message = (data as { message?: string }).message;
  return typeof message === 'string' ? message : undefined;
}

export function classifyConnectorError(err: unknown): ConnectorFailure {
  const e = (err ?? {}) as AxiosLike;
  const status = e.response?.status;
  if (status !== undefined) {
    const detail = errorText(e.response?.data);
    const reason = `Bot Connector answered ${status}${detail ? ` (${detail})` : ''}`;
    if (status === 429) {
      const header = e.response?.headers?.['retry-after'];
      return { kind: 'throttled', retryAfterSeconds: parseRetryAfter(typeof header === 'string' ? header : header === undefined ? undefined : String(header)), reason };
    }
    // 501 Not Implemented will not work on retry (the Agents Playground answers it to DELETE)
    if ((status >= 500 && status !== 501) || status === 412 || status === 408) return { kind: 'transient', reason, status };
    return { kind: 'permanent', reason, status };
  }
  const code = e.code ?? '';
  const reason = `Bot Connector unreachable: ${code || e.message || String(err)}`;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return { kind: 'transient', reason };
  return { kind: 'ambiguous', reason };
}
