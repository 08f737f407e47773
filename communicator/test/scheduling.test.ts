import assert from 'node:assert/strict';
import { RecipientStore } from '../src/store/recipient-store.js';
import { ConnectorSpy, cardOf } from './helpers/connector-spy.js';
import { draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';

/** The wall-clock time of an instant in a zone, as the author's form would send it ("YYYY-MM-DDTHH:mm:ss"). */
function wallClock(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Company Communicator: scheduling and canceling', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;

  before(async function () {
    // one Bot Connector call a second for the tenant, so a send of six takes long enough to cancel midway
    h = await startHarness({ playground: true, options: { botConnectorRate: { ratePerSecond: 1, burst: 1 } } });
    spy = await ConnectorSpy.start(h.playground!.serviceUrl);
    topicId = (await h.as(users.megan).post('/topics', { name: 'Reminders' })).body.id;
    await h.playground!.install();
    await waitForInstalls(h, 1);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  it('delivers a message scheduled 20 s ahead after its time and not before; a canceled schedule never arrives', async function () {
    this.timeout(60_000);
    const megan = h.as(users.megan);
    const pg = h.playground!;
    const due = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    const title = `Reminder for ${due.toISOString()}`;
    const scheduledId = (await megan.post('/drafts', draftInput(topicId, { variants: [{ locale: 'en-US', title, body: 'Stand-up in 5 minutes.', links: [] }] }))).body.id;
    const scheduled = await megan.post(`/messages/${scheduledId}/send`, { sendAt: wallClock(due, 'Europe/Paris'), timeZone: 'Europe/Paris' });
    assert.equal(scheduled.status, 200, JSON.stringify(scheduled.body));
    assert.equal(scheduled.body.status, 'scheduled');
    assert.equal(scheduled.body.sendAt, due.toISOString(), 'Paris wall-clock time → the right instant');
    assert.equal(scheduled.body.timeZone, 'Europe/Paris');
    assert.ok((await megan.get('/messages?status=scheduled')).body.some((m: { id: string }) => m.id === scheduledId));

    // another one, scheduled sooner and canceled at once
    const canceledTitle = `Canceled ${due.toISOString()}`;
    const canceledId = (await megan.post('/drafts', draftInput(topicId, { variants: [{ locale: 'en-US', title: canceledTitle, body: 'x', links: [] }] }))).body.id;
    await megan.post(`/messages/${canceledId}/send`, { sendAt: new Date(Date.now() + 10_000).toISOString() });
    const canceled = await megan.post(`/messages/${canceledId}/cancel`);
    assert.equal(canceled.body.status, 'canceled');
    assert.equal((await megan.post(`/messages/${canceledId}/cancel`)).status, 409, 'already canceled');

    const arrived = (title: string) => pg.messages.some((m) => m.attachments.some((a) => JSON.stringify(a.content).includes(title)));
    await sleep(due.getTime() - Date.now() - 2500);
    assert.equal(arrived(title), false, 'not before its time');
    assert.equal((await megan.get(`/messages/${scheduledId}`)).body.status, 'scheduled');

    const message = await pg.waitForMessage((m) => m.attachments.some((a) => JSON.stringify(a.content).includes(title)), { timeoutMs: 20_000 });
    const receivedAt = Date.now();
    assert.ok(message);
    assert.ok(receivedAt >= due.getTime(), 'received after its time');
    const row = await eventually(async () => {
      const r = await recipientRow(h, scheduledId, mock.alex.aad);
      return r?.sentAt ? r : undefined;
    }, 'the delivery to be recorded');
    assert.ok(Date.parse(row.sentAt!) >= due.getTime(), `sent after its time: sentAt ${row.sentAt}, due ${due.toISOString()}, received ${new Date(receivedAt).toISOString()}`);
    await waitForStatus(h, scheduledId, 'sent');

    assert.equal(arrived(canceledTitle), false, 'the canceled message never arrived, though its time has passed');
    assert.equal((await megan.get(`/messages/${canceledId}`)).body.status, 'canceled');
    assert.equal((await new RecipientStore(h.server.ctx.storage).listAll(scope, canceledId)).length, 0);
  });

  it('stops a running send within seconds of a cancel', async function () {
    this.timeout(60_000);
    const pg = h.playground!;
    for (const user of [mock.megan, mock.adele, mock.isaiah, mock.patti, mock.lynne]) await pg.installFor(user.id, { locale: user.locale, serviceUrl: spy.url });
    await waitForInstalls(h, 6);
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId))).body.id;
    // cards of this message, in either language (Adele and Patti get the French title)
    const delivered = () => spy.calls.filter((c) => c.method === 'POST' && c.status < 300 && cardOf(c.body) && JSON.stringify(cardOf(c.body)).includes(id)).length
      + pg.messages.filter((m) => m.attachments.some((a) => JSON.stringify(a.content).includes(id))).length;
    await megan.post(`/messages/${id}/send`, {});
    await eventually(async () => (delivered() >= 1 ? true : undefined), 'the first delivery', 30_000, 50);
    const canceled = await megan.post(`/messages/${id}/cancel`);
    assert.equal(canceled.status, 200);
    assert.equal(canceled.body.status, 'canceled');
    await sleep(4000); // the workers' status cache lives 2 s
    const afterStop = delivered();
    await sleep(3000);
    assert.equal(delivered(), afterStop, 'nothing more is sent once the workers saw the cancel');
    assert.ok(afterStop < 6, `only ${afterStop} of 6 were delivered`);
    const message = (await megan.get(`/messages/${id}`)).body;
    assert.equal(message.status, 'canceled');
    assert.equal(message.counts.sent, afterStop);
    assert.equal(message.counts.queued, 6 - afterStop, 'the rest stay queued, never sent');
  });
});
