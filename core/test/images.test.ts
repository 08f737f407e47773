import assert from 'node:assert/strict';
import sharp from 'sharp';
import { editImage, ImageInputError, normaliseImage, probeImage, thumbnailOf } from '../src/images/index.js';

/** A 3-frame animated GIF, 40 × 30 per frame. */
async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all([0, 1, 2].map((i) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: i * 100, g: 0, b: 0 } } }).png().toBuffer()));
  const strip = await sharp({ create: { width: 40, height: 90, channels: 3, background: '#000' } })
    .composite(frames.map((input, i) => ({ input, left: 0, top: i * 30 }))).raw().toBuffer({ resolveWithObject: true });
  return sharp(strip.data, { raw: { width: 40, height: 90, channels: 3, pageHeight: 30 } }).gif({ loop: 0 }).toBuffer();
}

const solid = (format: 'webp' | 'tiff' | 'avif' | 'jpeg') => sharp({ create: { width: 50, height: 40, channels: 3, background: '#0a0' } })[format]().toBuffer();

describe('image processing (sharp)', function () {
  it('stores WebP, TIFF and HEIF/AVIF as JPEG, and refuses SVG and text', async function () {
    for (const format of ['webp', 'tiff', 'avif'] as const) {
      const out = await normaliseImage(await solid(format));
      assert.deepEqual([out.contentType, out.width, out.height], ['image/jpeg', 50, 40], format);
    }
    for (const bytes of [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>'), Buffer.from('hello')]) {
      await assert.rejects(normaliseImage(bytes), (err: ImageInputError) => err instanceof ImageInputError && err.code === 'not_an_image' && err.status === 400);
    }
  });

  it('keeps a GIF animated through normalising, cropping and resizing; its thumbnail is a still PNG', async function () {
    const stored = await normaliseImage(await animatedGif());
    assert.deepEqual([stored.contentType, stored.width, stored.height], ['image/gif', 40, 30]);
    assert.equal((await sharp(stored.data, { animated: true }).metadata()).pages, 3);
    const edited = await editImage(stored.data, { crop: { left: 10, top: 5, width: 20, height: 20 }, resize: { width: 10 } });
    assert.deepEqual([edited.contentType, edited.width, edited.height], ['image/gif', 10, 10]);
    const meta = await sharp(edited.data, { animated: true }).metadata();
    assert.deepEqual([meta.pages, meta.pageHeight], [3, 10]);
    const thumb = await thumbnailOf(stored.data);
    assert.deepEqual([thumb.contentType, (await probeImage(thumb.data)).frames], ['image/png', 1]);
  });

  it('refuses edits that do not fit the image', async function () {
    const stored = await normaliseImage(await solid('jpeg'));
    for (const edit of [{ crop: { left: 40, top: 0, width: 11, height: 1 } }, { resize: { width: 0 } }, { resize: { width: 2049 } }, {}]) {
      await assert.rejects(editImage(stored.data, edit), (err: ImageInputError) => err.code === 'bad_edit', JSON.stringify(edit));
    }
  });
});
