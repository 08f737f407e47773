export type RecordedRequest = {
  /** ISO time the request arrived */
  time: string;
  /** tenant of the caller's token; null when the token was missing or invalid */
  tenant: string | null;
  method: string;
  /** path as called, e.g. `/v1.0/groups/{id}/members` (upload and download URLs keep their own paths) */
  path: string;
  /** query string without the leading `?`, empty when none */
  query: string;
  status: number;
  requestId: string;
  /** id of the enclosing $batch request's request-id, for requests that ran inside a batch */
  batchRequestId?: string;
};

/** Every request the sandbox answered, in arrival order, so tests can check how a client behaved. */
export class RequestLog {
  private readonly entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
  }

  list(): RecordedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
