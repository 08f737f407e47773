import { encode, storedTypeFor, type ProcessedImage } from './encode.js';
import { maxSide, thumbnailWidth } from './limits.js';
import { probeImage, type ImageInfo } from './probe.js';
import { decoding, openImage } from './sharp.js';

/**
 * An upload as it is stored: turned upright by its EXIF orientation, without metadata (location included),
 * at most 2048 px on its long side, as PNG (transparency), GIF (stays GIF) or JPEG.
 * Throws ImageInputError for anything that is not an accepted image.
 */
export async function normaliseImage(data: Buffer, info?: ImageInfo): Promise<ProcessedImage> {
  const probed = info ?? await probeImage(data);
  const type = storedTypeFor(probed);
  return decoding(async () => {
    const pipeline = (await openImage(data, { animated: type === 'image/gif' }))
      .autoOrient()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    return encode(pipeline, type);
  });
}

/** A 320 px wide still (the first frame of an animation), PNG when the image has transparency or is a GIF, else JPEG. */
export async function thumbnailOf(stored: Buffer): Promise<ProcessedImage> {
  const info = await probeImage(stored);
  const type = info.format === 'gif' || info.hasAlpha ? 'image/png' : 'image/jpeg';
  return decoding(async () => encode((await openImage(stored)).autoOrient().resize({ width: thumbnailWidth, withoutEnlargement: true }), type));
}
