import { randomBytes } from 'node:crypto';
import { startAppServer, silentLogger, loadConfig, type AppDefinition, type RunningAppServer } from '@teamspro/core';

/**
 * Starts an app server in this process on a free loopback port, against the suite's test Azurite,
 * with its own table/queue prefix so tests never see each other's rows.
 */
export async function startAppForTest(definition: AppDefinition, env: Record<string, string | undefined> = {}): Promise<RunningAppServer> {
  const connectionString = process.env.STORAGE_CONNECTION_STRING;
  if (!connectionString) throw new Error('STORAGE_CONNECTION_STRING is not set: run tests through npm test');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE_CONNECTION_STRING: connectionString,
    STORAGE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    AUTH_AUDIENCE: `api://localhost/${definition.id}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startAppServer(definition, { config, logger: silentLogger });
}
