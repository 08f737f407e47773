/**
 * A bare load generator for the connector simulator: for each recipient, create the 1:1 conversation
 * and post one activity carrying a broadcast-like card, over keep-alive node:http with `concurrency`
 * requests in flight. It measures the simulator, not a sender: no retries, no SDK overhead.
 *
 *   tsx devtools/src/connector/load.ts --url http://127.0.0.1:4400 [--recipients 10000] [--concurrency 64]
 *                                      [--tenants 1] [--message-id load-1] [--card-bytes 2000]
 *
 * Prints one JSON line: { requests, seconds, requestsPerSecond, statuses }.
 */
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type LoadResult = { requests: number; seconds: number; requestsPerSecond: number; statuses: Record<string, number> };

export type LoadOptions = { url: string; recipients: number; concurrency: number; tenants: number; messageId: string; cardBytes: number; token?: string };

/** Tenant ids and recipient ids the load uses, so a caller can build `report({ expected })`. */
export function loadRecipients(opts: Pick<LoadOptions, 'recipients' | 'tenants'>): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  for (let i = 0; i < opts.recipients; i++) (expected[loadTenantId(i % opts.tenants)] ??= []).push(`29:load-${i}`);
  return expected;
}

export function loadTenantId(k: number): string {
  return `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const auth = `Bearer ${opts.token ?? 'load-token'}`;
  const statuses: Record<string, number> = {};
  const call = (method: string, path: string, body: string) => new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request({
      agent, host: target.hostname, port: target.port, method, path,
      headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        statuses[status] = (statuses[status] ?? 0) + 1;
        resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  const card = JSON.stringify({
    type: 'AdaptiveCard', version: '1.5',
    body: [{ type: 'TextBlock', text: 'x'.repeat(Math.max(0, opts.cardBytes - 200)), wrap: true }],
    actions: [{ type: 'Action.Execute', verb: 'feedback', data: { messageId: opts.messageId, kind: 'acknowledge' } }],
  });
  const activity = `{"type":"message","summary":"load","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":${card}}]}`;
  let next = 0;
  let requests = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < opts.recipients) {
      const i = next++;
      const tenantId = loadTenantId(i % opts.tenants);
      const created = await call('POST', '/v3/conversations', JSON.stringify({ isGroup: false, members: [{ id: `29:load-${i}` }], tenantId, channelData: { tenant: { id: tenantId } } }));
      requests += 1;
      if (created.status !== 201) continue;
      const { id } = JSON.parse(created.text) as { id: string };
      await call('POST', `/v3/conversations/${encodeURIComponent(id)}/activities`, activity);
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests, seconds, requestsPerSecond: requests / seconds, statuses };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' }, recipients: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '64' },
      tenants: { type: 'string', default: '1' }, 'message-id': { type: 'string', default: 'load-1' }, 'card-bytes': { type: 'string', default: '2000' },
    },
  });
  if (!values.url) {
    console.error('usage: tsx devtools/src/connector/load.ts --url <simulator url> [--recipients N] [--concurrency C] [--tenants T]');
    process.exit(2);
  }
  const result = await runLoad({
    url: values.url, recipients: Number(values.recipients), concurrency: Number(values.concurrency), tenants: Number(values.tenants),
    messageId: values['message-id']!, cardBytes: Number(values['card-bytes']),
  });
  console.log(JSON.stringify(result));
}
