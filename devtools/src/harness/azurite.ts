import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startChild, type ManagedChild } from './child.js';
import { freePort, waitForPort } from './ports.js';

const require = createRequire(import.meta.url);

/** Azurite's published development account: not a secret, the same for every installation. */
export const devStorageAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }, host = '127.0.0.1'): string {
  const { name, key } = devStorageAccount;
  return `DefaultEndpointsProtocol=http;AccountName=${name};AccountKey=${key};` +
    `BlobEndpoint=http://${host}:${ports.blob}/${name};QueueEndpoint=http://${host}:${ports.queue}/${name};TableEndpoint=http://${host}:${ports.table}/${name};`;
}

export type RunningAzurite = {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  location: string;
  /** Stops Azurite; with keepData the workspace stays so a restart finds the same data. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Stops and starts Azurite again on the same ports and data, as a crash-and-recover would. */
  restart(): Promise<void>;
};

export async function startAzurite(opts: { ports?: { blob: number; queue: number; table: number }; location?: string; quiet?: boolean } = {}): Promise<RunningAzurite> {
  const ports = opts.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const ownsLocation = !opts.location;
  const location = opts.location ?? mkdtempSync(path.join(tmpdir(), 'teamspro-azurite-'));
  mkdirSync(location, { recursive: true });
  const entry = require.resolve('azurite/dist/src/azurite.js');
  let child: ManagedChild;
  const launch = async () => {
    child = startChild('azurite', process.execPath, [entry, '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--location', location, '--blobPort', String(ports.blob), '--queuePort', String(ports.queue), '--tablePort', String(ports.table)],
    { quiet: opts.quiet ?? true });
    await Promise.all([waitForPort(ports.blob), waitForPort(ports.queue), waitForPort(ports.table)]);
  };
  await launch();
  return {
    connectionString: azuriteConnectionString(ports),
    ports,
    location,
    async stop({ keepData } = {}) {
      await child.stop();
      if (ownsLocation && !keepData) rmSync(location, { recursive: true, force: true });
    },
    async restart() {
      await child.stop();
      await launch();
    },
  };
}
