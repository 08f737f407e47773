import {
  Client, HTTPMessageHandler, RedirectHandler, RedirectHandlerOptions, RetryHandler, RetryHandlerOptions, TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { GraphAuthHandler } from '@teamspro/core/graph/auth-handler';

/** A Graph client for the sandbox: core's auth handler (works on plain http) in front of the stock retry, redirect, telemetry and fetch handlers. */
export function sandboxGraphClient({ url, getAccessToken, retry = new RetryHandlerOptions() }: { url: string; getAccessToken: () => Promise<string>; retry?: RetryHandlerOptions }): Client {
  return Client.initWithMiddleware({
    baseUrl: url,
    defaultVersion: 'v1.0',
    middleware: [
      new GraphAuthHandler(url, getAccessToken),
      new RetryHandler(retry),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}
