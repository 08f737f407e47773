import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Attaches the bearer token to requests for the configured Graph origin, and only to those
 * (never to pre-authenticated upload or download URLs). It replaces the SDK's AuthenticationHandler,
 * which only attaches tokens to https URLs: the local Graph sandbox is plain http. It also undoes
 * the SDK gluing the base URL in front of absolute non-https URLs (nextLink, uploadUrl).
 */
export class GraphAuthHandler implements Middleware {
  private next?: Middleware;
  private readonly versionPrefix: string;
  private readonly apiPrefixes: string[];

  constructor(origin: string, private readonly getAccessToken: () => Promise<string>, version = 'v1.0') {
    this.versionPrefix = `${origin}/${version}/`;
    this.apiPrefixes = [`${origin}/v1.0/`, `${origin}/beta/`];
  }

  async execute(context: Context): Promise<void> {
    let url = typeof context.request === 'string' ? context.request : context.request.url;
    const joined = url.startsWith(this.versionPrefix) ? url.slice(this.versionPrefix.length) : '';
    if (/^https?:\/\//.test(joined)) url = joined;
    context.request = typeof context.request === 'string' ? url : new Request(url, context.request);
    if (this.apiPrefixes.some((prefix) => url.startsWith(prefix))) {
      const token = await this.getAccessToken();
      context.options ??= {};
      const headers = context.options.headers;
      if (headers instanceof Headers) headers.set('Authorization', `Bearer ${token}`);
      else context.options.headers = { ...(headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
