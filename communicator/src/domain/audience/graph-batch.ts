import { setTimeout as sleep } from 'node:timers/promises';
import type { Client as GraphClient } from '@microsoft/microsoft-graph-client';
import { parseRetryAfter } from '@teamspro/core';
import { chunks } from '../parallel.js';

export type BatchAnswer<T> = { status: number; body?: T };

type StepResponse<T> = { id: string; status: number; headers?: Record<string, string>; body?: T };

/** What Graph answers one request inside a batch when that request may be asked again later. */
const askAgain = new Set([429, 503, 504]);
/** Graph's limit of requests in one $batch. */
const perBatch = 20;
/** Rounds after the first for lookups Graph keeps refusing, and the longest wait before one. */
const retries = 3;
const maxWaitSeconds = 60;

/**
 * GET requests through Graph's `$batch`, 20 per batch, answers in the order of `urls`. Graph throttles
 * each request inside a batch on its own (the batch itself answers 200): those answered 429, 503 or
 * 504 are asked again, in fresh batches, once the longest Retry-After among them has passed, up to
 * 3 more times. What is still refused after that comes back as Graph answered it.
 */
export async function batchGet<T>(graph: GraphClient, urls: readonly string[]): Promise<Array<BatchAnswer<T>>> {
  const answers: Array<BatchAnswer<T>> = new Array(urls.length);
  let pending = urls.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const again: number[] = [];
    let waitSeconds = 0;
    for (const batch of chunks(pending, perBatch)) {
      const body = { requests: batch.map((i) => ({ id: String(i), method: 'GET', url: urls[i] })) };
      const answer = (await graph.api('/$batch').post(body)) as { responses: Array<StepResponse<T>> };
      for (const r of answer.responses) {
        const i = Number(r.id);
        answers[i] = r.body === undefined ? { status: r.status } : { status: r.status, body: r.body };
        if (askAgain.has(r.status) && round < retries) {
          again.push(i);
          // no Retry-After: back off anyway, a second longer each round
          waitSeconds = Math.max(waitSeconds, retryAfterOf(r.headers) ?? round + 1);
        }
      }
    }
    pending = again;
    if (pending.length > 0) await sleep(Math.min(waitSeconds, maxWaitSeconds) * 1000);
  }
  return answers;
}

function retryAfterOf(headers: Record<string, string> | undefined): number | undefined {
  const name = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === 'retry-after');
  return name ? parseRetryAfter(headers![name]) : undefined;
}
