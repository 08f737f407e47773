/** A Graph error response: thrown by handlers, turned into Graph's error body by the dispatcher. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, requestId: string, clientRequestId: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId } } };
}

export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);

/** Directory objects (users, groups) missing or in another tenant: Graph does not say which. */
export const resourceNotFound = (id: string) =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const forbidden = (message = 'Insufficient privileges to complete the operation.') => new GraphError(403, 'Forbidden', message);

/** Any thrown error as Graph's error response; unexpected ones become 500 generalException. */
export function errorResponse(err: unknown, requestId: string, clientRequestId: string): { status: number; headers: Record<string, string>; body: unknown } {
  const e = err instanceof GraphError ? err
    : err instanceof SyntaxError ? new GraphError(400, 'BadRequest', `Unable to read JSON request payload: ${err.message}`)
    : new GraphError(500, 'generalException', (err as Error)?.message ?? String(err));
  return { status: e.status, headers: { 'content-type': 'application/json', ...e.headers }, body: errorBody(e.code, e.message, requestId, clientRequestId) };
}
