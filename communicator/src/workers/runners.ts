import { exponentialBackoff, JobRunner, type AppContext } from '@teamspro/core';
import type { Services } from '../services.js';
import { AfterSendWorker, afterSendMaxAttempts, onAfterSendPoisoned } from './after-send-job.js';
import { PipelineWorker, pipelineMaxAttempts } from './pipeline-job.js';
import { onPipelinePoisoned, onSendPoisoned } from './poisoned.js';
import { retentionTimer } from './retention.js';
import { SendWorker, sendMaxAttempts } from './send-job.js';

/**
 * The in-process queue workers: message-level steps, and per-recipient sends. A job that gives up
 * is never silent: its recipient (send) or message (pipeline) ends failed and the report lists it.
 */
export function communicatorWorkers(ctx: AppContext, s: Services) {
  const backoff = exponentialBackoff({ baseSeconds: s.options.jobRetryBaseSeconds });
  const pipeline = new JobRunner({
    queue: s.queues.pipeline, handler: new PipelineWorker(s).handle, concurrency: 4, maxAttempts: pipelineMaxAttempts, visibilityTimeoutSeconds: s.options.pipelineVisibilitySeconds,
    pollIntervalMs: s.options.pollIntervalMs, logger: ctx.logger, backoff, onPoisoned: onPipelinePoisoned(s),
  });
  const send = new JobRunner({
    queue: s.queues.send, handler: new SendWorker(s).handle, concurrency: s.options.sendConcurrency, maxAttempts: sendMaxAttempts,
    visibilityTimeoutSeconds: s.options.sendVisibilitySeconds, pollIntervalMs: s.options.pollIntervalMs, logger: ctx.logger, backoff, onPoisoned: onSendPoisoned(s),
    // each tenant's sends wait on its own rate: one tenant's jobs must not hold every slot while another's queue up
    fairBy: { key: (job) => job.tenantId },
  });
  // edits and recalls of sent cards: one job per operation, each working through its recipients
  const afterSend = new JobRunner({
    queue: s.queues.afterSend, handler: new AfterSendWorker(s).handle, concurrency: 2, maxAttempts: afterSendMaxAttempts,
    visibilityTimeoutSeconds: 60, pollIntervalMs: s.options.pollIntervalMs, logger: ctx.logger, backoff, onPoisoned: onAfterSendPoisoned(s),
  });
  return [
    ...[pipeline, send, afterSend].map((runner) => ({
      async start() {
        await s.ensureQueues();
        runner.start();
      },
      stop: () => runner.stop(),
    })),
    retentionTimer(s, ctx.logger),
  ];
}
