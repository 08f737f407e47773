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
  /** where its data lives; undefined when it keeps everything in memory */
  location: string | undefined;
  /** Stops Azurite; with keepData the workspace stays so a restart finds the same data. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** Stops and starts Azurite again on the same ports and data (on disk only), as a crash-and-recover would. */
  restart(): Promise<void>;
};

/**
 * Azurite on free (or given) loopback ports. Data is kept on disk, in a temporary folder unless `location` is
 * given; with `inMemory` nothing is written to disk at all: Azurite's table store otherwise saves its whole
 * database every 5 s, a pause of 100–200 ms once it holds tens of thousands of rows, which a benchmark of
 * the app would count against the app (Azure Table Storage has no such pause). A restart then loses the data.
 */
export async function startAzurite(opts: { ports?: { blob: number; queue: number; table: number }; location?: string; quiet?: boolean; inMemory?: boolean } = {}): Promise<RunningAzurite> {
  if (opts.inMemory && opts.location) throw new Error('Azurite keeps data either in memory or at a location, not both');
  const ports = opts.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const ownsLocation = !opts.location;
  const location = opts.inMemory ? undefined : opts.location ?? mkdtempSync(path.join(tmpdir(), 'teamspro-azurite-'));
  if (location) mkdirSync(location, { recursive: true });
  const entry = require.resolve('azurite/dist/src/azurite.js');
  let child: ManagedChild;
  const launch = async () => {
    child = startChild('azurite', process.execPath, [entry, '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      ...(location ? ['--location', location] : ['--inMemoryPersistence']), '--blobPort', String(ports.blob), '--queuePort', String(ports.queue), '--tablePort', String(ports.table)],
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
      if (location && ownsLocation && !keepData) rmSync(location, { recursive: true, force: true });
    },
    async restart() {
      await child.stop();
      await launch();
    },
  };
}
