import { encode, storedTypeFor, type ProcessedImage } from './encode.js';
import { ImageInputError } from './image-error.js';
import { maxSide } from './limits.js';
import { probeImage } from './probe.js';
import { decoding, openImage } from './sharp.js';

export type CropRect = { left: number; top: number; width: number; height: number };
/** Pixel coordinates in the image as stored; resize keeps the aspect ratio. */
export type ImageEditRequest = { crop?: CropRect; resize?: { width: number } };

const badEdit = (message: string, field: string) => new ImageInputError('bad_edit', message, [{ field, message }]);

/** Checks the edit against an image of width × height; returns the size the result will have. Throws ImageInputError. */
export function planEdit(edit: ImageEditRequest, width: number, height: number): { width: number; height: number } {
  if (!edit.crop && !edit.resize) throw badEdit('Say how to change the image: a crop, a resize or both.', '(body)');
  let w = width;
  let h = height;
  if (edit.crop) {
    const { left, top, width: cw, height: ch } = edit.crop;
    if (![left, top, cw, ch].every(Number.isInteger)) throw badEdit('The crop rectangle needs whole pixel numbers.', 'crop');
    if (left < 0 || top < 0 || cw < 1 || ch < 1 || left + cw > width || top + ch > height) {
      throw badEdit(`The crop rectangle must lie inside the image (${width} × ${height} pixels).`, 'crop');
    }
    w = cw;
    h = ch;
  }
  if (edit.resize) {
    const target = edit.resize.width;
    const newHeight = Math.max(1, Math.round((h * target) / w));
    if (!Number.isInteger(target) || target < 1 || target > maxSide || newHeight > maxSide) {
      throw badEdit(`The new width must be a whole number of pixels that keeps both sides at most ${maxSide}.`, 'resize.width');
    }
    w = target;
    h = newHeight;
  }
  return { width: w, height: h };
}

/** Crops and/or resizes a stored image (every frame of a GIF), keeping its stored type. */
export async function editImage(stored: Buffer, edit: ImageEditRequest): Promise<ProcessedImage> {
  const info = await probeImage(stored);
  const size = planEdit(edit, info.width, info.height);
  const type = storedTypeFor(info);
  return decoding(async () => {
    let pipeline = (await openImage(stored, { animated: type === 'image/gif' })).autoOrient();
    if (edit.crop) pipeline = pipeline.extract(edit.crop);
    if (edit.resize) pipeline = pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
    return encode(pipeline, type);
  });
}
