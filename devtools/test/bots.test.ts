import assert from 'node:assert/strict';
import { InstallationStore, type RunningAppServer } from '@teamspro/core';
import { definition as communicator } from '@teamspro/communicator/app';
import { definition as contact } from '@teamspro/contact/app';
import { definition as calendar } from '@teamspro/calendar/app';
import { definition as image } from '@teamspro/image/app';
import { definition as metaoffice } from '@teamspro/metaoffice/app';
import { Playground } from '../src/harness/playground.js';
import { startAppForTest } from '../src/harness/app-under-test.js';

for (const definition of [communicator, contact, calendar, image, metaoffice]) {
  describe(`${definition.displayName} bot, through the Microsoft 365 Agents Playground`, function () {
    let server: RunningAppServer;
    let playground: Playground;

    before(async function () {
      server = await startAppForTest(definition);
      playground = await Playground.start(`${server.url}/api/messages`);
    });

    after(async function () {
      await playground?.stop();
      await server?.stop();
    });

    it('welcomes the user on install and remembers the personal install', async function () {
      const since = playground.messages.length;
      await playground.install();
      const welcome = await playground.waitForMessage((m) => m.text === definition.botTexts.welcome.en, { since });
      assert.equal(welcome.from.id, playground.config.bot.id);
      const store = new InstallationStore(server.ctx.storage);
      const installs = await store.list({ tenantId: playground.config.tenantId }, 'personal');
      assert.equal(installs.length, 1);
      assert.equal(installs[0]!.userId, playground.config.currentUser.aadObjectId);
      assert.match(installs[0]!.serviceUrl, /^http:\/\/(127\.0\.0\.1|localhost):\d+/);
    });

    it('answers hi with its welcome and help with its help text', async function () {
      let since = playground.messages.length;
      await playground.sendText('hi');
      await playground.waitForMessage((m) => m.text === definition.botTexts.welcome.en, { since });
      since = playground.messages.length;
      await playground.sendText('help');
      const help = await playground.waitForMessage((m) => m.text === definition.botTexts.help.en, { since });
      assert.match(help.text ?? '', new RegExp(definition.displayName));
    });

    it('never leaves a message unanswered', async function () {
      const since = playground.messages.length;
      await playground.sendText('what is the weather like on the moon');
      const reply = await playground.waitForMessage(() => true, { since });
      assert.equal(reply.text, definition.botTexts.fallback.en);
    });

    it('keeps the install in the Playground tenant only', async function () {
      const store = new InstallationStore(server.ctx.storage);
      const otherTenant = await store.list({ tenantId: '11111111-1111-1111-1111-111111111111' }, 'personal');
      assert.deepEqual(otherTenant, []);
    });
  });
}
