import { JobRunner, type AppContext } from '@teamspro/core';
import type { Services } from '../services.js';
import { PipelineWorker } from './pipeline-job.js';
import { SendWorker, sendMaxAttempts } from './send-job.js';

/** The in-process queue workers: message-level steps, and per-recipient sends. */
export function communicatorWorkers(ctx: AppContext, s: Services) {
  const pipeline = new JobRunner({
    queue: s.queues.pipeline, handler: new PipelineWorker(s).handle, concurrency: 4, visibilityTimeoutSeconds: 60,
    pollIntervalMs: s.options.pollIntervalMs, logger: ctx.logger,
  });
  const send = new JobRunner({
    queue: s.queues.send, handler: new SendWorker(s).handle, concurrency: s.options.sendConcurrency, maxAttempts: sendMaxAttempts,
    visibilityTimeoutSeconds: 30, pollIntervalMs: s.options.pollIntervalMs, logger: ctx.logger,
  });
  return [pipeline, send].map((runner) => ({
    async start() {
      await s.ensureQueues();
      runner.start();
    },
    stop: () => runner.stop(),
  }));
}
