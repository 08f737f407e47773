import type { Handler } from './types.js';

type Route = { method: string; pattern: RegExp; handler: Handler };

/** Regex routes over the path below /v1.0; capture groups become the handler's params (URI-decoded). */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: string[] } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method === method) return { handler: route.handler, params: m.slice(1).map((p) => p ?? '') };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
