import {
  Client, HTTPMessageHandler, RedirectHandler, RetryHandler, RetryHandlerOptions, TelemetryHandler, type Context, type Middleware,
} from '@microsoft/microsoft-graph-client';
import { GraphAuthHandler } from './auth-handler.js';
import type { Identity } from '../identity/identity.js';
import type { GraphTokenSource } from './token-sources.js';

/** The part of a rate limiter the Graph client needs: wait for a slot, and pause a key after a 429. */
export interface RateGate {
  acquire(tenantId: string, api: string): Promise<void>;
  pauseFor(tenantId: string, api: string, ms: number): void;
}

/** Waits for the tenant's Graph budget before each request and pauses it when Graph answers 429. */
class RateGateHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly gate: RateGate, private readonly tenantId: string, private readonly api: string) {}
  setNext(next: Middleware) { this.next = next; }
  async execute(context: Context): Promise<void> {
    await this.gate.acquire(this.tenantId, this.api);
    await this.next!.execute(context);
    const response = context.response;
    if (response && (response.status === 429 || response.status === 503)) {
      const retryAfter = Number(response.headers.get('Retry-After'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) this.gate.pauseFor(this.tenantId, this.api, retryAfter * 1000);
    }
  }
}

export type GraphClientFactory = {
  /** Acts as the signed-in user (on-behalf-of): Graph enforces the user's own permissions. */
  forUser(identity: Identity): Client;
  /** Acts as the app in the tenant (application permissions). */
  forApp(tenantId: string): Client;
};

export function createGraphClientFactory(opts: { baseUrl: string; tokens: GraphTokenSource; gate?: RateGate; maxRetries?: number }): GraphClientFactory {
  const origin = new URL(opts.baseUrl).origin;
  const build = (tenantId: string, getToken: () => Promise<string>) => {
    const chain: Middleware[] = [
      new GraphAuthHandler(origin, getToken),
      new RetryHandler(new RetryHandlerOptions(1, opts.maxRetries ?? 5)),
      ...(opts.gate ? [new RateGateHandler(opts.gate, tenantId, 'graph')] : []),
      new RedirectHandler(),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ];
    return Client.initWithMiddleware({ baseUrl: origin, defaultVersion: 'v1.0', middleware: chain });
  };
  return {
    forUser: (identity) => build(identity.tenantId, () => opts.tokens.userToken(identity)),
    forApp: (tenantId) => build(tenantId, () => opts.tokens.appToken(tenantId)),
  };
}
