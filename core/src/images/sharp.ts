import type { Sharp, SharpOptions } from 'sharp';
import { ImageInputError, notAnImage } from './image-error.js';
import { maxInputPixels } from './limits.js';

type SharpFactory = (input: Buffer, options: SharpOptions) => Sharp;

let loading: Promise<SharpFactory> | undefined;

/** sharp, loaded on first use: its native library is only paid for by the processes that handle images. */
function sharpModule(): Promise<SharpFactory> {
  loading ??= import('sharp').then((m) => m.default as unknown as SharpFactory);
  return loading;
}

/**
 * A sharp pipeline over untrusted bytes: the pixel limit on, truncated or corrupt data refused
 * (failOn 'warning'), and every frame of an animated GIF read.
 */
export async function openImage(data: Buffer, opts: { animated?: boolean } = {}): Promise<Sharp> {
  const sharp = await sharpModule();
  return sharp(data, { limitInputPixels: maxInputPixels, failOn: 'warning', animated: opts.animated ?? false });
}

/** Runs `work` on untrusted bytes; what sharp throws about them becomes an ImageInputError. */
export async function decoding<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) throw new ImageInputError('too_many_pixels', `The image has too many pixels: at most ${maxInputPixels / 1_000_000} megapixels.`);
    throw notAnImage();
  }
}
