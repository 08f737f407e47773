import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SpiedCall = { at: number; method: string; path: string; conversationId?: string; body: any; status: number; response: any };

type Fault = { status: number; headers?: Record<string, string>; times: number; method: string };

/**
 * A transparent proxy in front of the Agents Playground's Bot Connector (`/_connector`): every call
 * goes through to the Playground and is recorded, and a test may make the next calls to one
 * conversation fail as Teams would (429 with Retry-After, 500, 403). Deleting an activity, which the
 * Playground does not implement, is answered here as Teams answers it (200). Installs whose serviceUrl points
 * here let tests see what other mock users received, which the Playground's WebSocket does not show.
 */
export class ConnectorSpy {
  readonly calls: SpiedCall[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(target: string): Promise<ConnectorSpy> {
    let spy!: ConnectorSpy;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => { void spy.handle(req, res, Buffer.concat(chunks), target.replace(/\/$/, '')); });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    spy = new ConnectorSpy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return spy;
  }

  /**
   * The next `times` calls to the conversation with `method` (POST: activity posts; PUT: card updates;
   * DELETE) answer `status` without reaching the Playground.
   */
  fail(conversationId: string, status: number, opts: { headers?: Record<string, string>; times?: number; method?: 'POST' | 'PUT' | 'DELETE' } = {}): void {
    const list = this.faults.get(conversationId) ?? [];
    list.push({ status, headers: opts.headers, times: opts.times ?? 1, method: opts.method ?? 'POST' });
    this.faults.set(conversationId, list);
  }

  /** Card updates (PUT …/activities/{id}) in a conversation, including failed attempts. */
  puts(conversationId: string): SpiedCall[] {
    return this.calls.filter((c) => c.method === 'PUT' && c.conversationId === conversationId && /\/activities\/[^/]+$/.test(c.path));
  }

  /** Deletes (DELETE …/activities/{id}) in a conversation, including failed attempts. */
  deletes(conversationId: string): SpiedCall[] {
    return this.calls.filter((c) => c.method === 'DELETE' && c.conversationId === conversationId && /\/activities\/[^/]+$/.test(c.path));
  }

  /** Activities posted to a conversation (including failed attempts). */
  posts(conversationId: string): SpiedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && /\/activities$/.test(c.path));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, target: string) {
    const path = (req.url ?? '').split('?')[0]!;
    const conversationId = /\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
    const decoded = conversationId ? decodeURIComponent(conversationId) : undefined;
    const json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    const faults = decoded ? this.faults.get(decoded) : undefined;
    const fault = faults?.find((f) => f.method === req.method);
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) faults!.splice(faults!.indexOf(fault), 1);
      const response = { error: { code: fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'BotDisabledByAdmin' : 'ServiceError', message: `injected ${fault.status}` } };
      this.calls.push({ at: Date.now(), method: req.method ?? '', path, conversationId: decoded, body: json, status: fault.status, response });
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(response));
      return;
    }
    if (req.method === 'DELETE' && /\/activities\/[^/]+$/.test(path)) {
      // the Playground does not implement deleting an activity (it answers 501): answer as Teams does
      this.calls.push({ at: Date.now(), method: 'DELETE', path, conversationId: decoded, body: json, status: 200, response: undefined });
      res.writeHead(200).end();
      return;
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method, headers: { 'content-type': 'application/json' }, body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : new Uint8Array(body),
    });
    const text = await upstream.text();
    this.calls.push({ at: Date.now(), method: req.method ?? '', path, conversationId: decoded, body: json, status: upstream.status, response: text ? JSON.parse(text) : undefined });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }
}

/** The title of a broadcast card (its first RichTextBlock's text). */
export function cardTitle(card: any): string | undefined {
  return card?.body?.[0]?.inlines?.[0]?.text;
}

/** The card of a posted activity. */
export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
