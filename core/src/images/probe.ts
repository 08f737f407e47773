import { notAnImage } from './image-error.js';
import { decoding, openImage } from './sharp.js';

/** The formats an upload may be in; anything else (SVG, PDF, RAW, …) is refused even when sharp reads it. */
export const acceptedFormats = ['png', 'jpeg', 'gif', 'webp', 'heif', 'tiff'] as const;
export type AcceptedFormat = (typeof acceptedFormats)[number];

export type ImageInfo = {
  format: AcceptedFormat;
  /** as displayed, i.e. after EXIF orientation; one frame of an animation */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** frames of an animated GIF or WebP; 1 otherwise */
  frames: number;
};

function isAccepted(format: string | undefined): format is AcceptedFormat {
  return (acceptedFormats as readonly string[]).includes(format ?? '');
}

/** Reads an upload's header: what it is and how big. Throws ImageInputError for anything not an accepted image. */
export async function probeImage(data: Buffer): Promise<ImageInfo> {
  return decoding(async () => {
    // every frame counts towards the pixel limit
    const meta = await (await openImage(data, { animated: true })).metadata();
    if (!isAccepted(meta.format) || !meta.width || !meta.height) throw notAnImage();
    const frameHeight = meta.pageHeight ?? meta.height;
    const rotated = (meta.orientation ?? 1) >= 5;
    return {
      format: meta.format,
      width: rotated ? frameHeight : meta.width,
      height: rotated ? meta.width : frameHeight,
      hasAlpha: meta.hasAlpha ?? false,
      frames: meta.pages ?? 1,
    };
  });
}
