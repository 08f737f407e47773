// The author tab's "after sending" controls and the settings' danger zone, in headless Chromium against the
// real app server: edit the sent message in a dialog, recall it, follow both to the end; delete all data with a
// typed confirmation. The Bot Connector is a local stand-in that accepts every edit and delete (the Agents
// Playground path is covered by after-send.test.ts). axe on each state; English.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import type { RunningAppServer } from '@teamspro/core';
import { createCommunicatorApp } from '../src/app.js';
import { servicesFor } from '../src/services.js';
import { resources } from '../tab/i18n.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../../devtools/src/graph/index.js';
import { startAppForTest } from '../../devtools/src/harness/app-under-test.js';
import { draftInput, eventually } from './helpers/harness.js';
import { buildTabs, noSeriousAxe, TabBrowser, text } from './helpers/tab-browser.js';

const en = resources.en;
const audience = 'api://localhost/communicator';
const tenant = { tenantId: '00000000-0000-0000-0000-0000000000001' };

describe('Company Communicator Pro: editing, recalling and offboarding from the author tab', function () {
  let idp: RunningIdentityProvider;
  let graph: RunningGraphSandbox;
  let server: RunningAppServer;
  let tabs: TabBrowser;
  let connector: http.Server;
  const calls: Array<{ method: string; path: string; body: string }> = [];
  let messageId: string;

  before(async function () {
    this.timeout(600_000);
    buildTabs();
    connector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        calls.push({ method: req.method ?? '', path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'ok' }));
      });
    });
    await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', () => resolve()));
    const connectorUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
    idp = await startIdentityProvider({ port: 0 });
    graph = await startGraphSandbox({ identityUrl: idp.url });
    server = await startAppForTest(createCommunicatorApp(), { DEV_IDENTITY_URL: idp.url, GRAPH_BASE_URL: graph.url, AUTH_AUDIENCE: audience });
    // a message delivered to two people, as the send pipeline leaves it
    const s = servicesFor(server.ctx, {});
    const topic = await s.topics.create(tenant, { name: 'HR' });
    const now = new Date().toISOString();
    const sent = await s.messages.create(tenant, { ...draftInput(topic.id), layout: 'standard', status: 'sent', createdBy: 'meganb@example.com', createdAt: now, editedAt: now, sendAt: now } as never);
    messageId = sent.rowKey;
    await s.recipients.createMissing(tenant, messageId, ['en-US', 'fr-FR'].map((locale, i) => ({
      key: `u${i}`, data: { kind: 'user' as const, aadId: `u${i}`, name: `Person ${i}`, locale, status: 'sent' as const, retries: 0, counted: true, activityId: `activity-${i}`, conversationId: `chat-${i}`, serviceUrl: connectorUrl, sentAt: now },
    })));
    await s.counters.setMeta(tenant, messageId, { recipients: 2, preFailed: 0 });
    await s.counters.add(tenant, messageId, 'u0', { sent: 2 });
    tabs = await TabBrowser.launch(server.url);
  });

  after(async function () {
    this.timeout(60_000);
    await tabs?.close();
    await server?.stop();
    await graph?.stop();
    await idp?.stop();
    await new Promise<void>((resolve) => { connector?.close(() => resolve()); connector?.closeAllConnections(); });
  });

  it('edits the sent message in a dialog and follows the update to the end', async function () {
    const { page, pageErrors } = await tabs.open('meganb@example.com', `#/messages/${messageId}/report`);
    const panel = page.getByTestId('after-send');
    await panel.waitFor();
    await page.getByRole('button', { name: en.afterSend.edit }).click();
    const dialog = page.getByRole('alertdialog', { name: en.afterSend.editTitle });
    await dialog.waitFor();
    await noSeriousAxe(page, 'edit sent message dialog');
    await dialog.getByTestId('variant-title').fill('Hybrid work: corrected date');
    await dialog.getByRole('tab', { name: /French|français/i }).click();
    await dialog.getByTestId('variant-title').fill('Travail hybride : date corrigée');
    await dialog.getByRole('button', { name: 'Update 2 cards' }).click();
    await dialog.waitFor({ state: 'detached' });
    const progress = page.getByTestId('after-send-progress');
    await eventually(async () => (/2 updated, 0 failed/.test(await text(progress)) ? true : undefined), 'the edit to finish');
    const puts = calls.filter((c) => c.method === 'PUT');
    assert.deepEqual(puts.map((c) => c.path).sort(), ['/v3/conversations/chat-0/activities/activity-0', '/v3/conversations/chat-1/activities/activity-1']);
    assert.match(puts.find((c) => c.path.includes('chat-0'))!.body, /Hybrid work: corrected date/);
    assert.match(puts.find((c) => c.path.includes('chat-1'))!.body, /Travail hybride : date corrigée/);
    await noSeriousAxe(page, 'report after an edit');
    assert.deepEqual(pageErrors, []);
  });

  it('recalls after confirming, then shows the message as recalled with nothing left to edit', async function () {
    const { page, pageErrors } = await tabs.open('meganb@example.com', `#/messages/${messageId}/report`);
    await page.getByTestId('after-send').waitFor();
    await page.getByRole('button', { name: en.afterSend.recall, exact: true }).click();
    const dialog = page.getByRole('alertdialog', { name: en.afterSend.recallTitle });
    await dialog.waitFor();
    assert.match(await text(dialog), /2 chats it reached/);
    await noSeriousAxe(page, 'recall confirmation');
    await dialog.getByRole('button', { name: en.afterSend.recall, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('recalled-badge').waitFor();
    await eventually(async () => (/2 cards removed, 0 failed/.test(await text(page.getByTestId('after-send-progress'))) ? true : undefined), 'the recall to finish');
    assert.deepEqual(calls.filter((c) => c.method === 'DELETE').map((c) => c.path).sort(), ['/v3/conversations/chat-0/activities/activity-0', '/v3/conversations/chat-1/activities/activity-1']);
    assert.equal(await page.getByTestId('edit-sent').isDisabled(), true);
    assert.equal(await page.getByTestId('recall').isDisabled(), true);
    await noSeriousAxe(page, 'recalled report');
    assert.deepEqual(pageErrors, []);
  });

  it('deletes all of the tenant\'s data from Settings only after the tenant id is typed', async function () {
    const { page, pageErrors } = await tabs.open('alexw@example.com', '#/settings');
    const zone = page.getByTestId('danger-zone');
    await zone.waitFor();
    const button = page.getByTestId('offboard');
    assert.equal(await button.isDisabled(), true, 'nothing typed yet');
    await page.getByTestId('offboard-confirm').fill('11111111-1111-1111-1111-111111111111');
    assert.match(await text(zone), new RegExp(en.settings.danger.mismatch));
    assert.equal(await button.isDisabled(), true, 'another tenant id');
    await page.getByTestId('offboard-confirm').fill(tenant.tenantId);
    await button.click();
    const dialog = page.getByRole('alertdialog', { name: en.settings.danger.dialogTitle });
    await dialog.waitFor();
    await noSeriousAxe(page, 'offboarding confirmation');
    await dialog.getByRole('button', { name: en.settings.danger.button }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('offboard-done').waitFor();
    const s = servicesFor(server.ctx, {});
    assert.equal(await s.messages.get(tenant, messageId), undefined, 'the message is gone');
    assert.deepEqual(await s.topics.list(tenant), []);
    await noSeriousAxe(page, 'settings after offboarding');
    assert.deepEqual(pageErrors, []);
  });
});
