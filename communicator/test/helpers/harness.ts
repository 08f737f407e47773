import type { RunningAppServer } from '@teamspro/core';
import { startAppForTest } from '../../../devtools/src/harness/app-under-test.js';
import { Playground } from '../../../devtools/src/harness/playground.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../../../devtools/src/graph/index.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../../devtools/src/identity/index.js';
import { createCommunicatorApp } from '../../src/app.js';
import type { CommunicatorOptions } from '../../src/options.js';

export const audience = 'api://localhost/communicator';
/** Links in cards point here (PUBLIC_URL); tests follow them against the server's real address. */
export const publicUrl = 'https://communicator.example.test';

export type Reply = { status: number; body: any; headers: Headers; raw: ArrayBuffer };

export type Harness = {
  server: RunningAppServer;
  idp: RunningIdentityProvider;
  graph: RunningGraphSandbox;
  playground?: Playground;
  /** calls the tab API as a seed user (UPN), with a token from the dev identity provider */
  as(user: string): ApiClient;
  stop(): Promise<void>;
};

export type ApiClient = {
  get(path: string): Promise<Reply>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  put(path: string, body?: unknown): Promise<Reply>;
  delete(path: string): Promise<Reply>;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
};

/** `env`: more configuration for the server (e.g. TEAMS_APP_ID). */
export async function startHarness(opts: { options?: CommunicatorOptions; playground?: boolean; env?: Record<string, string> } = {}): Promise<Harness> {
  const idp = await startIdentityProvider();
  const graph = await startGraphSandbox({ identityUrl: idp.url });
  const server = await startAppForTest(createCommunicatorApp(opts.options), {
    DEV_IDENTITY_URL: idp.url, AUTH_AUDIENCE: audience, GRAPH_BASE_URL: graph.url, PUBLIC_URL: publicUrl, ...opts.env,
  });
  const playground = opts.playground ? await Playground.start(`${server.url}/api/messages`) : undefined;
  const tokens = new Map<string, string>();
  const tokenFor = async (user: string) => {
    let token = tokens.get(user);
    if (!token) {
      token = await idp.idp.issueUserToken({ userId: user, audience });
      tokens.set(user, token);
    }
    return token;
  };
  const as = (user: string): ApiClient => {
    const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
      const h: Record<string, string> = { authorization: `Bearer ${await tokenFor(user)}`, ...headers };
      let payload: BodyInit | undefined;
      if (body instanceof Uint8Array || typeof body === 'string' || body instanceof FormData) payload = body as BodyInit;
      else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
      const res = await fetch(`${server.url}/api${path}`, { method, headers: h, body: payload });
      const raw = await res.arrayBuffer();
      const text = new TextDecoder().decode(raw);
      const parsed = res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
      return { status: res.status, body: parsed, headers: res.headers, raw };
    };
    return {
      request,
      get: (p) => request('GET', p),
      post: (p, b, h) => request('POST', p, b, h),
      put: (p, b) => request('PUT', p, b),
      delete: (p) => request('DELETE', p),
    };
  };
  return {
    server, idp, graph, playground, as,
    async stop() {
      await playground?.stop();
      await server.stop();
      await graph.stop();
      await idp.stop();
    },
  };
}

export const users = {
  alex: 'alexw@example.com',
  megan: 'meganb@example.com',
  adele: 'adelev@example.com',
  isaiah: 'isaiah@example.com',
  patti: 'pattif@example.com',
  lynne: 'lynner@example.com',
  bianca: 'biancap@fabrikam.example',
} as const;

/** Polls until the check returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A valid draft body for a topic. */
export function draftInput(topicId: string, overrides: Record<string, unknown> = {}) {
  return {
    topicId,
    author: 'Megan Bowen, Communications',
    layout: 'standard',
    variants: [
      { locale: 'en-US', title: 'New hybrid work policy', summary: 'What changes on 1 October', body: 'From **1 October** the new policy applies.', links: [{ title: 'Read the policy', url: 'https://intranet.example.com/policy' }, { title: 'FAQ', url: 'https://intranet.example.com/faq' }] },
      { locale: 'fr-FR', title: 'Nouvelle politique de travail hybride', summary: 'Ce qui change le 1er octobre', body: 'À partir du **1er octobre** la nouvelle politique s’applique.', links: [{ title: 'Lire la politique', url: 'https://intranet.example.com/fr/policy' }, { title: 'FAQ', url: 'https://intranet.example.com/fr/faq' }] },
    ],
    feedback: { reactions: true, acknowledge: true, rating: true, comment: true },
    audience: [{ kind: 'allUsers' }],
    ...overrides,
  };
}
