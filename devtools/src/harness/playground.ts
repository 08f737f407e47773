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
