// A queue-worker process for scaling sends out (`tsx communicator/src/worker.ts`, one or more beside the
// app): the same app with its workers on, listening on loopback only (port WORKER_PORT, default any
// free one) so it can answer /healthz. Run the web app with IN_PROCESS_WORKERS=false to leave all
// sending to these. The per-tenant Bot Connector rate is shared between every process.
import { loadConfig, startAppServer } from '@teamspro/core';
import { createCommunicatorApp } from './app.js';
import { optionsFromEnv } from './options.js';

const config = loadConfig(process.env);
const server = await startAppServer(createCommunicatorApp(optionsFromEnv()), { config: { ...config, host: '127.0.0.1', port: Number(process.env.WORKER_PORT ?? 0), inProcessWorkers: true } });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void server.stop().then(() => process.exit(0)); });
}
