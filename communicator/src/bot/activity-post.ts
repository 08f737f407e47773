import http from 'node:http';
import https from 'node:https';

/** The bot token as the Teams SDK's HTTP client holds it: a value, or a function giving one. */
export type BotToken = string | { toString(): string } | ((config: object) => unknown);

/** The error shape classifyConnectorError reads (the same as the Teams SDK's HTTP client throws). */
export class ConnectorHttpError extends Error {
  constructor(readonly response: { status: number; headers: Record<string, unknown>; data: unknown }) {
    super(`Bot Connector answered ${response.status}`);
  }
}

const transports = {
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) },
  'https:': { request: https.request, agent: new https.Agent({ keepAlive: true, maxSockets: 256 }) },
};
const timeoutMs = 30_000;

/**
 * Runs once the request holds a connected socket, just before its first byte is written. Throwing from it
 * abandons the request with nothing written (the call rejects with what it threw). What it resolves with, if
 * a function, is called right after the request is written (a limiter's Written).
 */
export type BeforeWrite = () => Promise<(() => void) | void>;

/**
 * POSTs one JSON body to the Bot Connector with the bot's token, straight over Node's HTTP client and a
 * keep-alive agent. The broadcast hot path uses it: the Teams SDK's client spends more CPU per request
 * (axios and its redirect wrapper) than the request itself, and a send runs thousands of them a second.
 * A failure throws what the SDK's client would (an answer's status, headers and body, or the socket's
 * error code), so one classifier reads both.
 *
 * `beforeWrite` is where a rate limiter lets the call go: a call that must open a new connection first
 * would otherwise leave when allowed but arrive only once connected, together with the calls allowed
 * after it, and a burst of new connections (a send starting, or more calls in flight) would bunch a
 * whole window's calls into Teams' one-second count.
 */
export async function postActivityJson(url: string, token: BotToken | undefined, body: unknown, beforeWrite?: BeforeWrite): Promise<unknown> {
  const target = new URL(url);
  const transport = transports[target.protocol as keyof typeof transports];
  if (!transport) throw new Error(`unsupported service URL protocol ${target.protocol}`);
  const bearer = await resolveToken(token);
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = transport.request(target, {
      method: 'POST', agent: transport.agent, timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json', authorization: `Bearer ${bearer}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        try { data = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text */ }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(data);
        else reject(new ConnectorHttpError({ status, headers: res.headers, data }));
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('the Bot Connector did not answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    if (!beforeWrite) {
      req.end(payload);
      return;
    }
    // nothing is written before end(): the headers wait with the body until the hook lets the call go
    req.once('socket', (socket) => {
      const go = () => beforeWrite().then((written) => { req.end(payload); written?.(); }, (err: unknown) => req.destroy(err instanceof Error ? err : new Error(String(err))));
      if (socket.connecting) socket.once('connect', go);
      else void go();
    });
  });
}

/**
 * The header's value as the SDK's client makes it. Without bot credentials (outside production only: the
 * config refuses it there) the SDK's token function gives nothing and it sends "Bearer undefined", which the
 * Agents Playground and the simulator accept as any bearer; this does the same so both paths behave alike.
 */
async function resolveToken(token: BotToken | undefined): Promise<string> {
  const value = typeof token === 'function' ? await token({}) : token;
  return String(value);
}
