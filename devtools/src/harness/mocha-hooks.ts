import { startAzurite, type RunningAzurite } from './azurite.js';
import { stopAllChildren } from './child.js';

/**
 * Root hooks for the suite's mocha run: one Azurite for every test file, reachable as
 * process.env.STORAGE_CONNECTION_STRING (tests that restart storage start their own).
 */
let azurite: RunningAzurite | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    azurite = await startAzurite();
    process.env.STORAGE_CONNECTION_STRING = azurite.connectionString;
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await azurite?.stop();
    await stopAllChildren();
  },
};

export function sharedAzurite(): RunningAzurite {
  if (!azurite) throw new Error('Azurite is not started: run tests through npm test');
  return azurite;
}
