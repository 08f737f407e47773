// The image gallery of Company Communicator Pro through its HTTP API, against Azurite (Tables and Blobs):
// folders, uploads (multipart and raw), normalisation, crop and resize, the signed /img/ links, bad input,
// concurrency, roles and tenant isolation.
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { Blobs } from '../src/store/tables.js';
import { servicesFor } from '../src/services.js';
import { tenantB } from '../../devtools/src/seed/tenants.js';
import { scope } from './helpers/playground-tenant.js';
import { publicUrl, startHarness, users, type ApiClient, type Harness, type Reply } from './helpers/harness.js';

const fourMB = 4 * 1024 * 1024;

/** A 300 × 200 PNG with a half-transparent corner (so it stays a PNG). */
function transparentPng(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 20, g: 120, b: 220, alpha: 1 } } })
    .composite([{ input: { create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }, left: 0, top: 0 }])
    .png().toBuffer();
}

/** A 400 × 300 JPEG a phone took sideways (EXIF orientation 6: shown 300 × 400), with camera and GPS tags. */
function phoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#c84' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Phone 1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 3/1' } })
    .toBuffer();
}

function form(file: Buffer, fileName: string, type: string, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(file)], { type }), fileName);
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

describe('Company Communicator: image gallery', function () {
  let h: Harness;
  let megan: ApiClient;

  /** Fetches an /img/ URL (it points at PUBLIC_URL) from the test server, without any sign-in. */
  async function fetchImage(url: string, headers: Record<string, string> = {}) {
    assert.ok(url.startsWith(`${publicUrl}/img/`), url);
    const res = await fetch(h.server.url + url.slice(publicUrl.length), { headers });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function imageIds(client: ApiClient = megan): Promise<string[]> {
    const list = await client.get('/gallery/images');
    assert.equal(list.status, 200);
    return list.body.map((i: { id: string }) => i.id).sort();
  }

  /** Blob names of a tenant in the gallery container. */
  async function blobNames(tenantId = scope.tenantId): Promise<string[]> {
    const names: string[] = [];
    for await (const name of h.server.ctx.blobs.forTenant({ tenantId }).container(Blobs.gallery).list()) names.push(name);
    return names.sort();
  }

  async function upload(fields: Record<string, string> = {}, file?: Buffer): Promise<Reply> {
    const res = await megan.post('/gallery/images', form(file ?? await transparentPng(), 'banner.png', 'image/png', fields));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res;
  }

  before(async function () {
    h = await startHarness();
    megan = h.as(users.megan);
  });

  after(async function () { await h?.stop(); });

  it('creates, lists, renames (412 on a stale etag) and deletes folders; 409 while one holds images', async function () {
    const created = await megan.post('/gallery/folders', { name: 'Events' });
    assert.equal(created.status, 201);
    assert.deepEqual({ ...created.body, id: undefined, etag: undefined }, { id: undefined, name: 'Events', imageCount: 0, etag: undefined });
    const folder = created.body;
    assert.equal((await megan.post('/gallery/folders', { name: '   ' })).status, 400, 'a blank name');
    assert.equal((await megan.post('/gallery/folders', { name: 'x'.repeat(101) })).status, 400, 'a long name');

    const renamed = await megan.put(`/gallery/folders/${folder.id}`, { name: 'Company events', etag: folder.etag });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Company events');
    const stale = await megan.put(`/gallery/folders/${folder.id}`, { name: 'Someone else', etag: folder.etag });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');
    assert.equal((await megan.put(`/gallery/folders/${folder.id}`, { name: 'No etag' })).status, 400);

    const image = (await upload({ folderId: folder.id })).body;
    assert.equal(image.folderId, folder.id);
    const listed = (await megan.get('/gallery/folders')).body.find((f: { id: string }) => f.id === folder.id);
    assert.deepEqual([listed.name, listed.imageCount], ['Company events', 1]);
    assert.deepEqual((await megan.get(`/gallery/images?folderId=${folder.id}`)).body.map((i: { id: string }) => i.id), [image.id]);

    const busy = await megan.delete(`/gallery/folders/${folder.id}`);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'conflict');
    // moving the image out of the folder empties it
    const moved = await megan.put(`/gallery/images/${image.id}`, { folderId: null, etag: image.etag });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.folderId, undefined);
    assert.deepEqual((await megan.get(`/gallery/images?folderId=${folder.id}`)).body, []);
    assert.equal((await megan.delete(`/gallery/folders/${folder.id}`)).status, 204);
    assert.equal((await megan.delete(`/gallery/folders/${folder.id}`)).status, 404);
    assert.ok(!(await megan.get('/gallery/folders')).body.some((f: { id: string }) => f.id === folder.id));
    assert.ok((await imageIds()).includes(image.id), 'the image itself stays');
  });

  it('uploads a PNG as multipart: size and type recorded, the image and its thumbnail served by /img/ without sign-in', async function () {
    const res = await megan.post('/gallery/images', form(await transparentPng(), 'Launch banner.png', 'image/png', { altText: 'Our new logo on blue' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const image = res.body;
    assert.deepEqual(
      [image.name, image.altText, image.contentType, image.width, image.height, image.createdBy],
      ['Launch banner', 'Our new logo on blue', 'image/png', 300, 200, users.megan],
    );
    assert.ok(image.bytes > 0);
    assert.match(image.url, new RegExp(`^${publicUrl}/img/[\\w-]+\\.[\\w-]+$`));
    assert.notEqual(image.thumbnailUrl, image.url);

    const { res: served, bytes } = await fetchImage(image.url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.match(served.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.equal(bytes.length, image.bytes);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.hasAlpha], ['png', 300, 200, true]);
    // a client that has it already gets 304
    assert.equal((await fetchImage(image.url, { 'if-none-match': served.headers.get('etag') ?? '' })).res.status, 304);

    const { res: thumbRes, bytes: thumb } = await fetchImage(image.thumbnailUrl);
    assert.equal(thumbRes.status, 200);
    assert.equal(thumbRes.headers.get('content-type'), 'image/png');
    const thumbMeta = await sharp(thumb).metadata();
    assert.deepEqual([thumbMeta.width, thumbMeta.height], [300, 200], 'smaller than 320 px: not enlarged');
  });

  it('uploads a phone JPEG as a raw body: turned upright, EXIF (camera, GPS) stripped, capped at 2048 px, thumbnail 320 px wide', async function () {
    const original = await phoneJpeg();
    const before = await sharp(original).metadata();
    assert.equal(before.orientation, 6);
    assert.ok(before.exif, 'the test image carries EXIF');

    const res = await megan.post('/gallery/images?name=Office%20opening', new Uint8Array(original), { 'content-type': 'image/jpeg' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual([res.body.name, res.body.contentType, res.body.width, res.body.height], ['Office opening', 'image/jpeg', 300, 400]);
    const { res: served, bytes } = await fetchImage(res.body.url);
    assert.equal(served.headers.get('content-type'), 'image/jpeg');
    const after = await sharp(bytes).metadata();
    assert.deepEqual([after.format, after.width, after.height], ['jpeg', 300, 400]);
    assert.equal(after.exif, undefined, 'no EXIF left');
    assert.equal(after.orientation, undefined);
    assert.equal(after.xmp, undefined);
    assert.equal(bytes.includes(Buffer.from('PhoneMaker')), false);

    // a big opaque PNG is stored as a JPEG at most 2048 px on its long side, its thumbnail 320 px wide
    const big = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#2a6' } }).png().toBuffer();
    const large = await megan.post('/gallery/images', new Uint8Array(big), { 'content-type': 'image/png' });
    assert.equal(large.status, 201);
    assert.deepEqual([large.body.contentType, large.body.width, large.body.height], ['image/jpeg', 2048, 1024]);
    const thumb = await sharp((await fetchImage(large.body.thumbnailUrl)).bytes).metadata();
    assert.deepEqual([thumb.width, thumb.height], [320, 160]);
  });

  it('refuses forged, altered and foreign tokens with 400, and answers 404 for an image that is gone', async function () {
    const image = (await upload()).body;
    const token = image.url.slice(`${publicUrl}/img/`.length);
    const [body, mac] = token.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const s = servicesFor(h.server.ctx, {});
    const forgeries = [
      `${flip(body)}.${mac}`, // altered payload
      `${body}.${flip(mac)}`, // altered signature
      `${Buffer.from(JSON.stringify([scope.tenantId, image.id, 'v', 'f'])).toString('base64url')}.${mac}`, // made up
      s.signer.sign({ tenantId: scope.tenantId, messageId: image.id, recipientKey: 'r', variant: 0, button: 0 }), // a click-link token
      'nonsense',
    ];
    for (const forged of forgeries) {
      const res = await fetch(`${h.server.url}/img/${forged}`);
      assert.equal(res.status, 400, forged);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_image_link');
    }
    const unknown = s.imageTokens.sign({ tenantId: scope.tenantId, imageId: '01JUNKNOWNIMAGE00000000000', version: 'abc', size: 'full' });
    assert.equal((await fetch(`${h.server.url}/img/${unknown}`)).status, 404);

    assert.equal((await megan.delete(`/gallery/images/${image.id}`)).status, 204);
    assert.equal((await fetchImage(image.url)).res.status, 404);
    assert.equal((await fetchImage(image.thumbnailUrl)).res.status, 404);
    assert.equal((await blobNames()).some((n) => n.startsWith(`${image.id}/`)), false, 'every blob of the image is gone');
    assert.equal((await megan.delete(`/gallery/images/${image.id}`)).status, 404);
  });

  it('crops then resizes: new size, new URL; the old URL keeps serving the old version (cards already sent stay as they were)', async function () {
    const image = (await upload()).body;
    const cropped = await megan.post(`/gallery/images/${image.id}/edit`, { crop: { left: 50, top: 20, width: 200, height: 100 }, etag: image.etag });
    assert.equal(cropped.status, 200, JSON.stringify(cropped.body));
    assert.equal(cropped.body.id, image.id);
    assert.deepEqual([cropped.body.width, cropped.body.height, cropped.body.contentType], [200, 100, 'image/png']);
    assert.notEqual(cropped.body.url, image.url);
    assert.notEqual(cropped.body.etag, image.etag);

    const resized = await megan.post(`/gallery/images/${image.id}/edit`, { resize: { width: 100 }, etag: cropped.body.etag });
    assert.equal(resized.status, 200);
    assert.deepEqual([resized.body.width, resized.body.height], [100, 50]);
    assert.notEqual(resized.body.url, cropped.body.url);
    const now = await sharp((await fetchImage(resized.body.url)).bytes).metadata();
    assert.deepEqual([now.width, now.height], [100, 50]);
    // the URL from before the edits still shows the original pixels: a sent card never changes under its readers
    const old = await sharp((await fetchImage(image.url)).bytes).metadata();
    assert.deepEqual([old.width, old.height], [300, 200]);

    // both at once
    const both = await megan.post(`/gallery/images/${image.id}/edit`, { crop: { left: 0, top: 0, width: 50, height: 50 }, resize: { width: 20 }, etag: resized.body.etag });
    assert.deepEqual([both.body.width, both.body.height], [20, 20]);
    const listed = (await megan.get('/gallery/images')).body.find((i: { id: string }) => i.id === image.id);
    assert.deepEqual([listed.width, listed.height, listed.url], [20, 20, both.body.url]);
  });

  it('saves an edit as a copy and keeps the original as it was', async function () {
    const folder = (await megan.post('/gallery/folders', { name: 'Copies' })).body;
    const image = (await upload({ folderId: folder.id, name: 'Team photo', altText: 'The team on the roof' })).body;
    const copy = await megan.post(`/gallery/images/${image.id}/edit`, { crop: { left: 100, top: 50, width: 100, height: 100 }, asCopy: true, etag: image.etag });
    assert.equal(copy.status, 201);
    assert.notEqual(copy.body.id, image.id);
    assert.deepEqual([copy.body.name, copy.body.altText, copy.body.folderId, copy.body.width, copy.body.height], ['Team photo (copy)', 'The team on the roof', folder.id, 100, 100]);
    const original = (await megan.get(`/gallery/images?folderId=${folder.id}`)).body.find((i: { id: string }) => i.id === image.id);
    assert.deepEqual([original.width, original.height, original.url, original.etag], [300, 200, image.url, image.etag]);
    const served = await sharp((await fetchImage(image.url)).bytes).metadata();
    assert.deepEqual([served.width, served.height], [300, 200]);
  });

  it('renames, re-describes and moves an image; 412 on a stale etag; 404 for an unknown folder', async function () {
    const folder = (await megan.post('/gallery/folders', { name: 'Banners' })).body;
    const image = (await upload()).body;
    const changed = await megan.put(`/gallery/images/${image.id}`, { name: 'Spring banner', altText: 'Cherry blossoms', folderId: folder.id, etag: image.etag });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.body.name, changed.body.altText, changed.body.folderId, changed.body.url], ['Spring banner', 'Cherry blossoms', folder.id, image.url]);
    const stale = await megan.put(`/gallery/images/${image.id}`, { name: 'Autumn banner', etag: image.etag });
    assert.equal(stale.status, 412);
    const staleEdit = await megan.post(`/gallery/images/${image.id}/edit`, { resize: { width: 10 }, etag: image.etag });
    assert.equal(staleEdit.status, 412);
    assert.equal((await megan.put(`/gallery/images/${image.id}`, { folderId: '01JNOSUCHFOLDER00000000000', etag: changed.body.etag })).status, 404);
    assert.equal((await megan.put(`/gallery/images/${image.id}`, { name: '', etag: changed.body.etag })).status, 400);
    const listed = (await megan.get('/gallery/images')).body.find((i: { id: string }) => i.id === image.id);
    assert.deepEqual([listed.name, listed.width, listed.etag], ['Spring banner', 300, changed.body.etag], 'the refused changes changed nothing');
  });

  it('refuses what is not an image (400) and what is over 4 MB (413), storing nothing', async function () {
    const idsBefore = await imageIds();
    const blobsBefore = await blobNames();
    const notImages: Array<[string, Buffer, string]> = [
      ['a text file renamed .png', Buffer.from('Quarterly numbers: up and to the right.\n'), 'image/png'],
      ['an SVG (scriptable)', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 'image/svg+xml'],
      ['a truncated JPEG', (await phoneJpeg()).subarray(0, 300), 'image/jpeg'],
      ['an HTML page', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'],
    ];
    for (const [what, bytes, type] of notImages) {
      const res = await megan.post('/gallery/images', form(bytes, 'photo.png', type));
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error.code, 'not_an_image', what);
      assert.match(res.body.error.message, /not an image/, what);
    }
    const raw = await megan.post('/gallery/images', new Uint8Array(Buffer.from('plain text')), { 'content-type': 'image/png' });
    assert.equal(raw.status, 400);
    assert.equal((await megan.post('/gallery/images', new FormData())).status, 400, 'an empty form');

    // a decompression bomb: a small file of 60 megapixels
    const bomb = await sharp({ create: { width: 10000, height: 6000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    assert.ok(bomb.length < fourMB);
    const bombRes = await megan.post('/gallery/images', new Uint8Array(bomb), { 'content-type': 'image/png' });
    assert.equal(bombRes.status, 400);
    assert.equal(bombRes.body.error.code, 'too_many_pixels');

    // exactly 4 MB is allowed, one byte more is not (as multipart and as a raw body)
    const png = await transparentPng();
    const padded = (size: number) => Buffer.concat([png, Buffer.alloc(size - png.length)]);
    for (const tooBig of [
      () => megan.post('/gallery/images', form(padded(fourMB + 1), 'big.png', 'image/png')),
      () => megan.post('/gallery/images', new Uint8Array(padded(fourMB + 1)), { 'content-type': 'image/png' }),
    ]) {
      const res = await tooBig();
      assert.equal(res.status, 413);
      assert.deepEqual([res.body.error.status, res.body.error.code], [413, 'payload_too_large']);
      assert.ok(res.body.error.requestId);
    }
    assert.deepEqual(await imageIds(), idsBefore, 'no image row was stored');
    assert.deepEqual(await blobNames(), blobsBefore, 'no blob was stored');

    const exactly = await megan.post('/gallery/images', form(padded(fourMB), 'big.png', 'image/png'));
    assert.equal(exactly.status, 201);
    assert.ok(exactly.body.bytes < 10_000, 'stored re-encoded, without the padding');
  });

  it('keeps script in names and alt text as plain text: stored and returned exactly as typed, as JSON data', async function () {
    const name = '<script>alert("name")</script> Q3 "results" & more';
    const altText = '<img src=x onerror=alert(1)> chart';
    const image = (await upload({ name, altText })).body;
    assert.deepEqual([image.name, image.altText], [name, altText]);
    const list = await megan.get('/gallery/images');
    assert.match(list.headers.get('content-type') ?? '', /^application\/json/);
    const listed = list.body.find((i: { id: string }) => i.id === image.id);
    assert.deepEqual([listed.name, listed.altText], [name, altText]);
    const folder = await megan.post('/gallery/folders', { name: '<b onmouseover=alert(1)>Folder</b>' });
    assert.equal(folder.body.name, '<b onmouseover=alert(1)>Folder</b>');
    // the image bytes never carry it, and control characters are refused
    const { res, bytes } = await fetchImage(image.url);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(bytes.includes(Buffer.from('<script>')), false);
    assert.equal((await megan.put(`/gallery/images/${image.id}`, { name: 'bad\u0000name', etag: image.etag })).status, 400);
  });

  it('refuses a crop outside the image or a resize beyond 2048 px with 400, changing nothing', async function () {
    const image = (await upload()).body;
    const bad: Array<[string, unknown]> = [
      ['right edge', { crop: { left: 250, top: 0, width: 100, height: 100 } }],
      ['bottom edge', { crop: { left: 0, top: 150, width: 100, height: 100 } }],
      ['negative', { crop: { left: -1, top: 0, width: 10, height: 10 } }],
      ['empty', { crop: { left: 0, top: 0, width: 0, height: 10 } }],
      ['fractional', { crop: { left: 0.5, top: 0, width: 10, height: 10 } }],
      ['too wide', { resize: { width: 4096 } }],
      ['nothing to do', {}],
    ];
    for (const [what, edit] of bad) {
      const res = await megan.post(`/gallery/images/${image.id}/edit`, { ...(edit as object), etag: image.etag });
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
    }
    const listed = (await megan.get('/gallery/images')).body.find((i: { id: string }) => i.id === image.id);
    assert.deepEqual([listed.width, listed.height, listed.etag, listed.url], [300, 200, image.etag, image.url]);
  });

  it('gives a plain user 403 on every gallery route', async function () {
    const folder = (await megan.post('/gallery/folders', { name: 'Private' })).body;
    const image = (await upload()).body;
    const adele = h.as(users.adele);
    const png = await transparentPng();
    const calls: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['GET', '/gallery/folders'], ['POST', '/gallery/folders', { name: 'x' }], ['PUT', `/gallery/folders/${folder.id}`, { name: 'x', etag: folder.etag }],
      ['DELETE', `/gallery/folders/${folder.id}`], ['GET', '/gallery/images'], ['GET', `/gallery/images?folderId=${folder.id}`],
      ['POST', '/gallery/images', form(png, 'a.png', 'image/png')], ['POST', '/gallery/images', new Uint8Array(png), { 'content-type': 'image/png' }],
      ['PUT', `/gallery/images/${image.id}`, { name: 'x', etag: image.etag }], ['POST', `/gallery/images/${image.id}/edit`, { resize: { width: 10 }, etag: image.etag }],
      ['DELETE', `/gallery/images/${image.id}`],
    ];
    const blobsBefore = await blobNames();
    for (const [method, path, body, headers] of calls) {
      const res = await adele.request(method, path, body, headers);
      assert.equal(res.status, 403, `${method} ${path} gave ${res.status}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.deepEqual(await blobNames(), blobsBefore);
    assert.ok((await imageIds()).includes(image.id));
  });

  it('shows tenant B none of tenant A\'s images or folders, and 404 on their ids', async function () {
    const folder = (await megan.post('/gallery/folders', { name: 'Contoso only' })).body;
    const image = (await upload({ folderId: folder.id })).body;
    const bianca = h.as(users.bianca);
    assert.deepEqual((await bianca.get('/gallery/folders')).body, []);
    assert.deepEqual((await bianca.get('/gallery/images')).body, []);
    const png = await transparentPng();
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/gallery/images?folderId=${folder.id}`],
      ['PUT', `/gallery/folders/${folder.id}`, { name: 'mine', etag: folder.etag }],
      ['DELETE', `/gallery/folders/${folder.id}`],
      ['PUT', `/gallery/images/${image.id}`, { name: 'mine', etag: image.etag }],
      ['POST', `/gallery/images/${image.id}/edit`, { crop: { left: 0, top: 0, width: 10, height: 10 }, etag: image.etag }],
      ['DELETE', `/gallery/images/${image.id}`],
      ['POST', '/gallery/images', form(png, 'b.png', 'image/png', { folderId: folder.id })],
    ];
    for (const [method, path, body] of attempts) {
      const res = await bianca.request(method, path, body);
      assert.equal(res.status, 404, `${method} ${path} gave ${res.status}`);
    }
    // B's own image stays in B: A does not see it, and B's storage holds only it
    const own = await bianca.post('/gallery/images', form(png, 'fabrikam.png', 'image/png'));
    assert.equal(own.status, 201);
    assert.deepEqual((await bianca.get('/gallery/images')).body.map((i: { id: string }) => i.id), [own.body.id]);
    assert.ok(!(await imageIds()).includes(own.body.id));
    assert.ok((await blobNames(tenantB.id)).every((n) => n.startsWith(`${own.body.id}/`)));
    // and A's image is untouched
    const still = (await megan.get(`/gallery/images?folderId=${folder.id}`)).body;
    assert.deepEqual(still.map((i: { id: string; name: string; etag: string }) => [i.id, i.name, i.etag]), [[image.id, image.name, image.etag]]);
    assert.equal((await fetchImage(image.url)).res.status, 200);
  });
});
