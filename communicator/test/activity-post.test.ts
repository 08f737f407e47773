import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postActivityJson } from '../src/bot/activity-post.js';
import { classifyConnectorError } from '../src/bot/connector.js';

type Seen = { method?: string; url?: string; authorization?: string; contentType?: string; body: string };

/** A one-route HTTP server on 127.0.0.1 answering as `answer` says, recording each request. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** What a call threw, as the send pipeline classifies it. */
async function failureOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (err) {
    return classifyConnectorError(err);
  }
  assert.fail('the call did not fail');
}

describe('Bot Connector activity POST (the broadcast hot path)', function () {
  const servers: Server[] = [];
  afterEach(async function () {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
  });

  it('posts the activity as JSON with the bot token from the token function, and returns the answer', async function () {
    const s = await serve((_req, res) => { res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'activity-1' })); });
    servers.push(s.server);
    const answer = await postActivityJson(`${s.url}/v3/conversations/a:1/activities`, async () => ({ toString: () => 'token-xyz' }), { type: 'message', summary: 'Hé' });
    assert.deepEqual(answer, { id: 'activity-1' });
    assert.equal(s.seen.length, 1);
    assert.equal(s.seen[0]!.method, 'POST');
    assert.equal(s.seen[0]!.url, '/v3/conversations/a:1/activities');
    assert.equal(s.seen[0]!.authorization, 'Bearer token-xyz');
    assert.equal(s.seen[0]!.contentType, 'application/json');
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { type: 'message', summary: 'Hé' });
  });

  it('a 429 is read as a throttle with its Retry-After, a 403 as permanent with the service\'s reason, a 503 as worth retrying', async function () {
    const answers: Array<[number, Record<string, string>, string]> = [
      [429, { 'retry-after': '3' }, ''],
      [403, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'BotDisabledByAdmin', message: 'The bot is blocked' } })],
      [503, {}, 'busy'],
    ];
    const s = await serve((_req, res) => { const [status, headers, body] = answers.shift()!; res.writeHead(status, headers).end(body); });
    servers.push(s.server);
    const post = () => postActivityJson(`${s.url}/v3/conversations/a:1/activities`, 'token', { type: 'message' });
    const throttled = await failureOf(post());
    assert.equal(throttled.kind, 'throttled');
    assert.equal(throttled.kind === 'throttled' && throttled.retryAfterSeconds, 3);
    const blocked = await failureOf(post());
    assert.equal(blocked.kind, 'permanent');
    assert.match(blocked.reason, /403.*BotDisabledByAdmin: The bot is blocked/);
    const busy = await failureOf(post());
    assert.equal(busy.kind, 'transient');
  });

  it('writes nothing until beforeWrite lets the call go, on a connected socket; a beforeWrite that throws abandons the call unsent', async function () {
    const s = await serve((_req, res) => { res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'activity-2' })); });
    servers.push(s.server);
    const arrived: number[] = [];
    s.server.on('request', () => arrived.push(Date.now()));
    const started = Date.now();
    let letGoAt = 0;
    const writtenAt: number[] = [];
    const answer = await postActivityJson(`${s.url}/v3/conversations/a:1/activities`, 'token', { type: 'message' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      letGoAt = Date.now();
      return () => { writtenAt.push(Date.now()); };
    });
    assert.deepEqual(answer, { id: 'activity-2' });
    assert.ok(letGoAt - started >= 190, 'the hook ran and waited');
    assert.equal(writtenAt.length, 1, 'what the hook resolved with was called once the request was written');
    assert.ok(writtenAt[0]! >= letGoAt);
    assert.equal(arrived.length, 1);
    assert.ok(arrived[0]! >= letGoAt, `the request arrived ${letGoAt - arrived[0]!} ms before the hook let it go`);

    const held = new Error('held back');
    await assert.rejects(postActivityJson(`${s.url}/v3/conversations/a:1/activities`, 'token', { type: 'message' }, async () => { throw held; }), (err) => err === held);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(s.seen.length, 1, 'the abandoned call never reached the service');
    assert.equal(arrived.length, 1);
  });

  it('a connection dropped after the request was sent is ambiguous (never resent); a refused one is worth retrying', async function () {
    const s = await serve((req) => { req.socket.destroy(); });
    servers.push(s.server);
    const dropped = await failureOf(postActivityJson(`${s.url}/v3/conversations/a:1/activities`, 'token', { type: 'message' }));
    assert.equal(dropped.kind, 'ambiguous');
    assert.equal(s.seen.length, 1, 'the request reached the service before the drop');

    const closed = await serve(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    const refused = await failureOf(postActivityJson(`${closed.url}/v3/conversations/a:1/activities`, 'token', { type: 'message' }));
    assert.equal(refused.kind, 'transient');
  });
});
