import { randomBytes } from 'node:crypto';
import { TableStorage } from '@teamspro/core';

/** Table storage on the suite's Azurite under a prefix of its own, so a test file sees only its own rows. */
export function freshStorage(tag: string): TableStorage {
  const connectionString = process.env.STORAGE_CONNECTION_STRING;
  if (!connectionString) throw new Error('STORAGE_CONNECTION_STRING is not set: run tests through npm test or npx mocha');
  return new TableStorage(connectionString, `${tag}${randomBytes(3).toString('hex')}`);
}
