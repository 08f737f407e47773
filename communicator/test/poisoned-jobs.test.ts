// Jobs that fail for good are never silent: a recipient who cannot be reached ends failed with the reason
// (counted, so the message finishes); a send job that goes to the poison queue fails its waiting recipients
// and the report lists it; a pipeline job that keeps failing
// ends the message failed instead of leaving it queued or sending forever. The failures are real ones: a
// Bot Connector that answers 503 to everything, reached through a person's or a team's service URL.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InstallationStore } from '@teamspro/core';
import { recipientKeys } from '../src/domain/keys.js';
import { servicesFor } from '../src/services.js';
import { onPipelinePoisoned, onSendPoisoned } from '../src/workers/poisoned.js';
import { resources } from '../tab/i18n.js';
import { draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';
import { buildTabs, noSeriousAxe, shoot, TabBrowser, text } from './helpers/tab-browser.js';

const en = resources.en;

/** A Bot Connector region that is down: 503 to every call, each one recorded. */
async function startDownConnector() {
  const calls: Array<{ method: string; path: string }> = [];
  const server = http.createServer((req, res) => {
    calls.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]! });
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'the region is down' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

describe('Company Communicator: jobs that fail for good are reported, never silent', function () {
  let h: Harness;
  let down: Awaited<ReturnType<typeof startDownConnector>>;
  let topicId: string;
  let sentWithProblem: string;

  before(async function () {
    // failed jobs retry after 1 s, 2 s, 4 s, 8 s (not 5 s doubling): the poison queue is reached within a test
    h = await startHarness({ playground: true, options: { jobRetryBaseSeconds: 1, finalizeIntervalSeconds: 1 } });
    down = await startDownConnector();
    topicId = (await h.as(users.megan).post('/topics', { name: 'Operations' })).body.id;
    await h.playground!.installFor(mock.adele.id, { locale: 'fr-FR' });
    await waitForInstalls(h, 1);
  });

  after(async function () {
    await h?.stop();
    await down?.stop();
  });

  it('fails a recipient who cannot be reached after every retry, with the reason, without holding up the others', async function () {
    this.timeout(180_000);
    const s = servicesFor(h.server.ctx, {});
    const megan = h.as(users.megan);
    // Lynne was seen on a roster served by the region that is now down: the bot has to open a chat with her there
    await s.people.remember(scope, [{ aadId: mock.lynne.aad, teamsUserId: mock.lynne.id, name: 'Lynne Robbins', upn: 'lynner@example.com', serviceUrl: down.url }]);
    const list = await megan.post('/audiences/lists?name=Planners', 'upn\nadelev@example.com\nlynner@example.com\n', { 'content-type': 'text/csv' });
    assert.equal(list.status, 201);
    const id = (await megan.post('/drafts', draftInput(topicId, { audience: [{ kind: 'list', listIds: [list.body.id] }] }))).body.id;
    assert.equal((await megan.post(`/messages/${id}/send`, {})).status, 200);

    const done = await waitForStatus(h, id, 'sent', 150_000);
    assert.deepEqual([done.counts.recipients, done.counts.sent, done.counts.failed, done.counts.queued], [2, 1, 1, 0]);
    const lynne = (await recipientRow(h, id, mock.lynne.aad))!;
    assert.equal(lynne.status, 'failed');
    assert.match(lynne.failureReason!, /^gave up after \d+ retries: could not open a chat with the person: Bot Connector answered 503 \(ServiceUnavailable: the region is down\)$/);
    assert.equal(lynne.counted, true);
    assert.equal((await recipientRow(h, id, mock.adele.aad))!.status, 'sent');
    // every delivery of the job tried to open her chat again before giving up
    assert.ok(down.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations').length >= 5);
    const failedRows = (await megan.get(`/messages/${id}/recipients?status=failed`)).body.items;
    assert.deepEqual(failedRows.map((r: any) => [r.name, r.failureReason]), [['Lynne Robbins', lynne.failureReason]]);
    // a recipient's own failure is on their row; problems are for jobs that failed as a whole
    assert.deepEqual((await megan.get(`/messages/${id}/report`)).body.problems, []);
    assert.equal((await s.queues.send.poisoned()).filter((p) => p.job?.messageId === id).length, 0);
  });

  it('fails the waiting recipients of a send job that goes to the poison queue, and the report lists the job', async function () {
    const s = servicesFor(h.server.ctx, {});
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId))).body.id;
    await s.messages.transition(scope, id, ['draft'], 'sending', { sendAt: new Date().toISOString() });
    const base = { kind: 'user' as const, retries: 0, serviceUrl: down.url, locale: 'en-US' };
    await s.recipients.createMissing(scope, id, [
      { key: recipientKeys.user(mock.adele.aad), data: { ...base, aadId: mock.adele.aad, name: 'Adele Vance', conversationId: 'a', status: 'sent', sentAt: new Date().toISOString(), counted: true } },
      { key: recipientKeys.user(mock.lynne.aad), data: { ...base, aadId: mock.lynne.aad, name: 'Lynne Robbins', conversationId: 'l', status: 'queued' } },
    ]);
    await s.counters.setMeta(scope, id, { recipients: 2, preFailed: 0 });
    await s.counters.add(scope, id, recipientKeys.user(mock.adele.aad), { sent: 1 });

    // what the send runner calls once the job went to the poison queue; twice, as a redelivery would
    const hook = onSendPoisoned(s);
    const job = { tenantId: scope.tenantId, messageId: id, keys: [recipientKeys.user(mock.adele.aad), recipientKeys.user(mock.lynne.aad)] };
    await hook(job, { error: 'Table storage unavailable', attempts: 5, messageId: 'queue-message-2' });
    await hook(job, { error: 'Table storage unavailable', attempts: 6, messageId: 'queue-message-2' });
    await s.messages.transition(scope, id, ['sending'], 'sent');

    const message = (await megan.get(`/messages/${id}`)).body;
    assert.deepEqual([message.counts.recipients, message.counts.sent, message.counts.failed, message.counts.queued], [2, 1, 1, 0]);
    const lynne = (await recipientRow(h, id, mock.lynne.aad))!;
    assert.deepEqual([lynne.status, lynne.failureReason], ['failed', 'delivery job failed repeatedly: Table storage unavailable']);
    assert.equal((await recipientRow(h, id, mock.adele.aad))!.status, 'sent', 'a delivered recipient stays delivered');
    const report = (await megan.get(`/messages/${id}/report`)).body;
    assert.deepEqual(report.problems.map((p: any) => [p.what, p.reason]), [['Delivery to Lynne Robbins', lynne.failureReason]], 'listed once');
    assert.ok(!Number.isNaN(Date.parse(report.problems[0].at)));
    // the counters only count recipients: the problem record beside them adds nothing
    assert.deepEqual([report.counts.recipients, report.counts.sent, report.counts.failed], [2, 1, 1]);
    sentWithProblem = id;
  });

  it('fails the message when its resolve job gives up, listing the problem, instead of leaving it resolving', async function () {
    this.timeout(180_000);
    const megan = h.as(users.megan);
    // a team whose service URL is in the region that is down: its roster cannot be read
    await new InstallationStore(h.server.ctx.storage).save(scope, {
      conversationId: 'night-shift', conversationType: 'channel', serviceUrl: down.url, teamId: 'night-shift', teamName: 'Night Shift', installedAt: new Date().toISOString(),
    });
    const id = (await megan.post('/drafts', draftInput(topicId, { audience: [{ kind: 'teamMembers', teamIds: ['night-shift'] }] }))).body.id;
    assert.equal((await megan.post(`/messages/${id}/send`, {})).status, 200);

    const failed = await waitForStatus(h, id, 'failed', 150_000);
    assert.equal(failed.counts.queued, 0);
    assert.equal(down.calls.filter((c) => c.method === 'GET' && /^\/v3\/conversations\/night-shift\/pagedmembers$/i.test(c.path)).length, 5, 'five attempts, then it gave up');
    const report = (await megan.get(`/messages/${id}/report`)).body;
    assert.equal(report.message.status, 'failed');
    assert.equal(report.problems.length, 1);
    assert.equal(report.problems[0].what, 'Finding the recipients');
    assert.equal(report.problems[0].reason, 'the job finding the recipients failed repeatedly: The members of Night Shift could not be read: Bot Connector answered 503 (ServiceUnavailable: the region is down)');
    const poisoned = await servicesFor(h.server.ctx, {}).queues.pipeline.poisoned();
    assert.ok(poisoned.some((p) => p.job?.kind === 'resolve' && p.job.messageId === id));
  });

  it('fails a sending message whose finalize job gives up, with the recipients still waiting, so the counts add up', async function () {
    const s = servicesFor(h.server.ctx, {});
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId))).body.id;
    await s.messages.transition(scope, id, ['draft'], 'sending', { sendAt: new Date().toISOString() });
    const base = { kind: 'user' as const, retries: 0, serviceUrl: down.url, locale: 'en-US' };
    // Adele was delivered and counted; Isaiah and Patti wait on send jobs that will never come (the queue lost them)
    await s.recipients.createMissing(scope, id, [
      { key: recipientKeys.user(mock.adele.aad), data: { ...base, aadId: mock.adele.aad, name: 'Adele Vance', conversationId: 'a', status: 'sent', sentAt: new Date().toISOString(), counted: true } },
      { key: recipientKeys.user(mock.isaiah.aad), data: { ...base, aadId: mock.isaiah.aad, name: 'Isaiah Langer', conversationId: 'i', status: 'queued' } },
      { key: recipientKeys.user(mock.patti.aad), data: { ...base, aadId: mock.patti.aad, name: 'Patti Fernandez', conversationId: 'p', status: 'sending', attemptId: 'x' } },
    ]);
    await s.counters.setMeta(scope, id, { recipients: 3, preFailed: 0 });
    await s.counters.add(scope, id, recipientKeys.user(mock.adele.aad), { sent: 1 });

    // what the pipeline runner calls once the finalize job went to the poison queue; twice, as a redelivery would
    const hook = onPipelinePoisoned(s);
    const job = { kind: 'finalize' as const, tenantId: scope.tenantId, messageId: id, idleChecks: 3, lastDone: 1 };
    await hook(job, { error: 'Table storage unavailable', attempts: 5, messageId: 'queue-message-1' });
    await hook(job, { error: 'Table storage unavailable', attempts: 6, messageId: 'queue-message-1' });

    const message = (await megan.get(`/messages/${id}`)).body;
    assert.equal(message.status, 'failed');
    assert.deepEqual([message.counts.recipients, message.counts.sent, message.counts.failed, message.counts.queued], [3, 1, 2, 0]);
    const rows = (await megan.get(`/messages/${id}/recipients`)).body.items;
    const byName = Object.fromEntries(rows.map((r: any) => [r.name, r]));
    assert.equal(byName['Adele Vance'].status, 'sent', 'a delivered recipient stays delivered');
    for (const name of ['Isaiah Langer', 'Patti Fernandez']) {
      assert.equal(byName[name].status, 'failed', name);
      assert.equal(byName[name].failureReason, 'not sent: the job following the delivery failed repeatedly: Table storage unavailable');
    }
    const report = (await megan.get(`/messages/${id}/report`)).body;
    assert.deepEqual(report.problems.map((p: any) => [p.what, p.reason]), [['Following the delivery', 'the job following the delivery failed repeatedly: Table storage unavailable']], 'listed once');
  });

  it('shows the problems on the report screen, in English and French', async function () {
    this.timeout(600_000);
    assert.ok(sentWithProblem, 'needs the message of the first test');
    buildTabs();
    const tabs = await TabBrowser.launch(h.server.url);
    try {
      const { page, pageErrors } = await tabs.open(users.megan, `#/messages/${sentWithProblem}/report`);
      const problems = page.getByRole('region', { name: en.report.problems.label_one.replace('{{count}}', '1') });
      await problems.waitFor();
      const items = problems.getByTestId('problem');
      assert.equal(await items.count(), 1);
      assert.match(await text(items.first()), /^Delivery to Lynne Robbins\s*delivery job failed repeatedly: Table storage unavailable \(on .+\)$/);
      assert.match(await text(problems), /Resend to failed/);
      await page.getByTestId('recipient-table').locator('tbody tr').filter({ hasText: 'Lynne Robbins' }).getByText(/delivery job failed repeatedly/).waitFor();
      await eventually(async () => ((await page.getByTestId('resend-failed').isEnabled()) ? true : undefined), 'resend to failed to be offered');
      await noSeriousAxe(page, 'report with a problem');
      await shoot(page, 'author-report-problems-light');
      assert.deepEqual(pageErrors, []);

      const french = await tabs.open(users.megan, `#/messages/${sentWithProblem}/report`, { lang: 'fr' });
      await french.page.getByRole('region', { name: resources.fr.report.problems.label_one.replace('{{count}}', '1') }).waitFor();
      assert.match(await text(french.page.getByTestId('problems')), /Renvoyer aux échecs/);
    } finally {
      await tabs.close();
    }
  });
});
