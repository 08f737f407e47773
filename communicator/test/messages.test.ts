import assert from 'node:assert/strict';
import { TEAMS_MESSAGE_SIZE_LIMIT_BYTES } from '@teamspro/templates';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';

/** Every string in a card's JSON, to find where a text ended up. */
function texts(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => texts(n, out));
  return out;
}

describe('Company Communicator: drafts, validation, preview', function () {
  let h: Harness;
  let topicId: string;

  before(async function () {
    h = await startHarness();
    topicId = (await h.as(users.megan).post('/topics', { name: 'Announcements' })).body.id;
  });

  after(async function () { await h?.stop(); });

  it('creates, reads, lists, edits (412 on a stale etag) and deletes a draft', async function () {
    const megan = h.as(users.megan);
    const created = await megan.post('/drafts', draftInput(topicId));
    assert.equal(created.status, 201);
    const draft = created.body;
    assert.equal(draft.status, 'draft');
    assert.equal(draft.createdBy, users.megan);
    assert.deepEqual(draft.variants.map((v: { locale: string }) => v.locale), ['en-US', 'fr-FR']);
    assert.deepEqual(draft.counts, { recipients: 0, queued: 0, sent: 0, failed: 0, retried: 0, read: 0, clicks: 0, feedback: 0 });
    assert.equal((await megan.get(`/messages/${draft.id}`)).body.etag, draft.etag);

    const list = await megan.get('/messages?status=draft');
    assert.ok(list.body.some((m: { id: string; title: string }) => m.id === draft.id && m.title === 'New hybrid work policy'));
    assert.deepEqual((await megan.get('/messages?status=sent')).body, []);

    const edited = await megan.put(`/messages/${draft.id}`, { ...draftInput(topicId, { author: 'Comms team' }), etag: draft.etag });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.author, 'Comms team');
    assert.notEqual(edited.body.etag, draft.etag);
    const stale = await megan.put(`/messages/${draft.id}`, { ...draftInput(topicId, { author: 'Someone else' }), etag: draft.etag });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');
    assert.equal((await megan.get(`/messages/${draft.id}`)).body.author, 'Comms team', 'the stale write changed nothing');
    assert.equal((await megan.put(`/messages/${draft.id}`, draftInput(topicId))).status, 400, 'an edit needs the etag');

    assert.equal((await megan.delete(`/messages/${draft.id}`)).status, 204);
    assert.equal((await megan.get(`/messages/${draft.id}`)).status, 404);
  });

  it('refuses invalid messages with a 400 naming each field, and stores nothing', async function () {
    const megan = h.as(users.megan);
    const before = (await megan.get('/messages')).body.length;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['no variant', { variants: [] }, 'variants'],
      ['duplicate locales', { variants: [draftInput(topicId).variants[0], { ...draftInput(topicId).variants[0], locale: 'EN-us' }] }, 'variants.1.locale'],
      ['seven links', { variants: [{ ...draftInput(topicId).variants[0], links: Array.from({ length: 7 }, (_, i) => ({ title: `L${i}`, url: 'https://example.com' })) }] }, 'variants.0.links'],
      ['javascript: link', { variants: [{ ...draftInput(topicId).variants[0], links: [{ title: 'x', url: 'javascript:alert(1)' }] }] }, 'variants.0.links.0.url'],
      ['title too long', { variants: [{ ...draftInput(topicId).variants[0], title: 'x'.repeat(201) }] }, 'variants.0.title'],
      ['empty title', { variants: [{ ...draftInput(topicId).variants[0], title: '   ' }] }, 'variants.0.title'],
      ['bad locale', { variants: [{ ...draftInput(topicId).variants[0], locale: 'english' }] }, 'variants.0.locale'],
      ['script link in the body', { variants: [{ ...draftInput(topicId).variants[0], body: 'see [this](javascript:alert(1))' }] }, 'variants.0.body'],
      ['unknown audience', { audience: [{ kind: 'everyone' }] }, 'audience.0.kind'],
    ];
    for (const [what, overrides, field] of cases) {
      const res = await megan.post('/drafts', draftInput(topicId, overrides));
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error.code, 'bad_request', what);
      assert.ok(res.body.error.details.some((d: { field: string }) => d.field.startsWith(field)), `${what}: ${JSON.stringify(res.body.error.details)}`);
    }
    const noTopic = await megan.post('/drafts', draftInput('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
    assert.equal(noTopic.status, 404);
    assert.equal((await megan.get('/messages')).body.length, before);
  });

  it('keeps script in text fields inert: stored as text, carried by the card as text', async function () {
    const megan = h.as(users.megan);
    const evil = '<script>alert("x")</script> Town hall <img src=x onerror=alert(1)>';
    const created = await megan.post('/drafts', draftInput(topicId, {
      author: '<b onmouseover=alert(1)>Comms</b>',
      variants: [{ locale: 'en-US', title: evil, summary: '<iframe src="https://evil.example">', body: '<script>steal()</script>', links: [] }],
    }));
    assert.equal(created.status, 201);
    assert.equal(created.body.variants[0].title, evil);
    const preview = await megan.post(`/messages/${created.body.id}/preview`);
    assert.equal(preview.status, 200);
    const card = preview.body.variants[0].card;
    assert.deepEqual(preview.body.variants[0].errors, []);
    const strings = texts(card);
    assert.ok(strings.includes(evil), 'the title is a plain TextRun text');
    assert.ok(strings.includes('<script>steal()</script>'));
    const titleRun = JSON.stringify(card).includes('"text":' + JSON.stringify(evil));
    assert.ok(titleRun);
    assert.ok(!JSON.stringify(card).includes('"type":"Html"'), 'nothing renders as HTML');
  });

  it('duplicates a message into a new draft and saves one as a template', async function () {
    const megan = h.as(users.megan);
    const source = (await megan.post('/drafts', draftInput(topicId))).body;
    const copy = await megan.post(`/messages/${source.id}/duplicate`);
    assert.equal(copy.status, 201);
    assert.notEqual(copy.body.id, source.id);
    assert.equal(copy.body.status, 'draft');
    assert.deepEqual(copy.body.variants, source.variants);
    const template = await megan.post(`/messages/${source.id}/template`);
    assert.equal(template.body.status, 'template');
    assert.ok((await megan.get('/messages?status=template')).body.some((m: { id: string }) => m.id === template.body.id));
    const sendTemplate = await megan.post(`/messages/${template.body.id}/send`, {});
    assert.equal(sendTemplate.status, 409, 'a template is duplicated, not sent');
  });

  it('previews every language variant validated and measured, links tracked', async function () {
    const megan = h.as(users.megan);
    const draft = (await megan.post('/drafts', draftInput(topicId))).body;
    const preview = await megan.post(`/messages/${draft.id}/preview`);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.body.variants.map((v: { locale: string }) => v.locale), ['en-US', 'fr-FR']);
    for (const v of preview.body.variants) {
      assert.deepEqual(v.errors, []);
      assert.ok(v.bytes > 500 && v.bytes < TEAMS_MESSAGE_SIZE_LIMIT_BYTES);
      assert.equal(v.card.version, '1.5');
      const urls = v.card.actions.map((a: { url: string }) => a.url);
      assert.equal(urls.length, 2);
      for (const url of urls) assert.match(url, /^https:\/\/communicator\.example\.test\/r\/[\w-]+\.[\w-]+$/);
    }
    const fr = preview.body.variants[1].card;
    assert.ok(texts(fr).includes('Nouvelle politique de travail hybride'));
    assert.equal(fr.lang, 'fr');
  });

  it('refuses to send a card over Teams\' size limit with 400, and changes nothing', async function () {
    const megan = h.as(users.megan);
    const body = Array.from({ length: 10 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(100)}`).join('\n\n');
    const draft = (await megan.post('/drafts', draftInput(topicId, { variants: [{ locale: 'en-US', title: 'Long read', body, links: [] }] }))).body;
    assert.ok(draft.id, 'a long body is a valid draft: the size is checked at preview and send');
    const preview = await megan.post(`/messages/${draft.id}/preview`);
    assert.ok(preview.body.variants[0].bytes > TEAMS_MESSAGE_SIZE_LIMIT_BYTES);
    assert.match(preview.body.variants[0].errors.join(' '), /over the \d+-byte Teams message limit/);
    const send = await megan.post(`/messages/${draft.id}/send`, {});
    assert.equal(send.status, 400);
    assert.match(send.body.error.message, /limit/);
    assert.equal(send.body.error.details[0].locale, 'en-US');
    const after = await megan.get(`/messages/${draft.id}`);
    assert.equal(after.body.status, 'draft');
    assert.equal(after.body.etag, draft.etag, 'the message was not touched');
    assert.equal((await megan.get(`/messages/${draft.id}/recipients`)).body.items.length, 0);
  });

  it('refuses a send without audience, or scheduled in the past or with an unknown time zone', async function () {
    const megan = h.as(users.megan);
    const none = (await megan.post('/drafts', draftInput(topicId, { audience: [] }))).body;
    assert.equal((await megan.post(`/messages/${none.id}/send`, {})).status, 400);
    const draft = (await megan.post('/drafts', draftInput(topicId))).body;
    const past = await megan.post(`/messages/${draft.id}/send`, { sendAt: '2020-01-01T09:00', timeZone: 'Europe/Paris' });
    assert.equal(past.status, 400);
    assert.match(past.body.error.message, /past/);
    const zone = await megan.post(`/messages/${draft.id}/send`, { sendAt: '2099-01-01T09:00', timeZone: 'Mars/Olympus' });
    assert.equal(zone.status, 400);
    assert.match(zone.body.error.message, /time zone/);
    assert.equal((await megan.get(`/messages/${draft.id}`)).body.status, 'draft');
  });
});
