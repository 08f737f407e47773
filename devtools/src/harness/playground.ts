import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startChild, type ManagedChild } from './child.js';
import { freePort, waitForHttp } from './ports.js';

const require = createRequire(import.meta.url);

export type PlaygroundUser = { id: string; name: string; userPrincipleName: string; aadObjectId: string };
export type PlaygroundConfig = {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
  groupChats: Array<{ id: string; name: string; members: string[] }>;
  teams: Array<{ id: string; name: string; aadGroupId: string; channels: Array<{ id: string; name: string }>; members: string[] }>;
};

export type PlaygroundMessage = {
  conversationId: string;
  text?: string;
  attachments: Array<{ contentType: string; content: unknown }>;
  from: { id: string };
  raw: unknown;
};

/**
 * Microsoft 365 Agents Playground, started as its own process against a bot endpoint.
 * It plays Teams and the Bot Connector: messages go in over its conversation API,
 * the bot's replies come back on its conversation WebSocket.
 */
export class Playground {
  private socket?: WebSocket;
  private readonly received: PlaygroundMessage[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly url: string, readonly port: number, private readonly child: ManagedChild, readonly config: PlaygroundConfig) {}

  static async start(botEndpoint: string, opts: { port?: number; quiet?: boolean } = {}): Promise<Playground> {
    const port = opts.port ?? (await freePort());
    const entry = require.resolve('@microsoft/m365agentsplayground/cli.js');
    const logDir = mkdtempSync(path.join(tmpdir(), 'teamspro-playground-'));
    const child = startChild(`playground:${port}`, process.execPath, [entry, 'start', '-e', botEndpoint, '-c', 'msteams', '--dt', '-p', String(port)], {
      quiet: opts.quiet ?? true,
      cwd: logDir,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: path.join(logDir, 'playground.log') },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/_internal/v1/config`);
    const config = ((await (await fetch(`${url}/_internal/v1/config`)).json()) as { config: PlaygroundConfig }).config;
    const playground = new Playground(url, port, child, config);
    await playground.connect();
    return playground;
  }

  private async connect() {
    const socket = new WebSocket(`ws://127.0.0.1:${this.port}/_ws_conversation/v1/conversations/stream`);
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { action?: string; actionConversationId?: string; message?: Record<string, unknown> };
      if (!event.message || (event.action !== 'createMessage' && event.action !== 'updateMessage')) return;
      const m = event.message as { text?: string; attachments?: PlaygroundMessage['attachments']; from?: { id: string } };
      this.received.push({ conversationId: event.actionConversationId ?? '', text: m.text, attachments: m.attachments ?? [], from: m.from ?? { id: '' }, raw: event });
      this.waiters.splice(0).forEach((w) => w());
    });
    await new Promise<void>((resolve, reject) => { socket.once('open', () => resolve()); socket.once('error', reject); });
    this.socket = socket;
  }

  /** Everything the bot has sent so far. */
  get messages(): readonly PlaygroundMessage[] { return this.received; }

  /** Waits for a bot message matching the predicate, among those after `since` (an index into messages). */
  async waitForMessage(predicate: (m: PlaygroundMessage) => boolean, opts: { since?: number; timeoutMs?: number } = {}): Promise<PlaygroundMessage> {
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    for (;;) {
      const found = this.received.slice(opts.since ?? 0).find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching bot message; received: ${JSON.stringify(this.received.map((m) => m.text ?? m.attachments.map((a) => a.contentType)))}`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, left); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
  }

  /** A user types a message in a conversation (the personal chat unless another is given). */
  async sendText(text: string, opts: { fromUserId?: string; conversationId?: string } = {}): Promise<void> {
    const conversationId = opts.conversationId ?? this.config.personalChat.id;
    const res = await fetch(`${this.url}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: opts.fromUserId ?? this.config.currentUser.id }, text, textFormat: 'plain' }),
    });
    if (!res.ok) throw new Error(`playground refused the message: ${res.status} ${await res.text()}`);
  }

  /** Installs the app in a conversation: the bot receives installationUpdate and conversationUpdate. */
  async install(conversationId = this.config.personalChat.id): Promise<void> {
    const res = await fetch(`${this.url}/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    if (!res.ok) throw new Error(`playground refused the installation: ${res.status}`);
  }

  /** The Playground's Bot Connector, as bots see it in activities' serviceUrl. */
  get serviceUrl(): string { return `http://localhost:${this.port}/_connector`; }

  /**
   * Installs the app in another mock user's personal chat (the Playground's own UI only installs for
   * the current user): opens the 1:1 chat on the connector, then sends the bot the installationUpdate
   * Teams would. Returns the chat's conversation id. `serviceUrl` lets a test put a proxy in between.
   * The Playground's WebSocket only streams the current user's chats, so the bot's replies there are not seen.
   */
  async installFor(userId: string, opts: { locale?: string; serviceUrl?: string } = {}): Promise<string> {
    const user = [this.config.currentUser, ...this.config.users].find((u) => u.id === userId);
    if (!user) throw new Error(`no Playground user ${userId}`);
    const res = await fetch(`${this.url}/_connector/v3/conversations`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ isGroup: false, members: [{ id: user.id }], tenantId: this.config.tenantId, channelData: { tenant: { id: this.config.tenantId } } }),
    });
    if (!res.ok) throw new Error(`playground refused the conversation: ${res.status} ${await res.text()}`);
    const { id: conversationId } = (await res.json()) as { id: string };
    const locale = opts.locale ?? 'en-US';
    await this.sendActivity({
      type: 'installationUpdate', action: 'add', id: `install-${user.id}-${Date.now()}`, timestamp: new Date().toISOString(), channelId: 'msteams',
      serviceUrl: opts.serviceUrl ?? this.serviceUrl,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: this.config.bot.id, name: this.config.bot.name },
      conversation: { id: conversationId, conversationType: 'personal', tenantId: this.config.tenantId },
      channelData: { tenant: { id: this.config.tenantId }, source: { name: 'message' } },
      locale, entities: [{ type: 'clientInfo', locale }],
    });
    return conversationId;
  }

  /**
   * A user presses an Action.Execute button (or Teams refreshes a card) on the bot message `replyToId`:
   * the Playground sends the bot an `adaptiveCard/action` invoke, returns its invoke response and,
   * for a card response, replaces the card in the chat.
   */
  async invoke(opts: { conversationId: string; fromUserId: string; replyToId: string; verb: string; data: Record<string, unknown>; trigger?: 'manual' | 'automatic' }): Promise<{ status: number; body: { type?: string; value?: unknown } & Record<string, unknown> }> {
    const res = await fetch(`${this.url}/_conversation/v1/invoke`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'adaptiveCard/action', conversation: { id: opts.conversationId }, from: { id: opts.fromUserId }, replyToId: opts.replyToId,
        value: { action: { type: 'Action.Execute', verb: opts.verb, data: opts.data }, trigger: opts.trigger ?? 'manual' },
      }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  /** Sends any activity (invokes, Action.Execute, custom events) as the Playground would. */
  async sendActivity(activity: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.url}/_internal/v1/customActivities`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
    });
    if (!res.ok) throw new Error(`playground refused the activity: ${res.status} ${await res.text()}`);
  }

  async stop(): Promise<void> {
    this.socket?.close();
    await this.child.stop();
  }
}
