import { startAppServer } from '@teamspro/core';
import { definition } from './app.js';

const server = await startAppServer(definition);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void server.stop().then(() => process.exit(0)); });
}
