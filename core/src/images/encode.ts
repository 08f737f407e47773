import type { Sharp } from 'sharp';
import { jpegQuality } from './limits.js';
import type { ImageInfo } from './probe.js';

export type StoredImageType = 'image/png' | 'image/jpeg' | 'image/gif';

/** Encoded bytes and what they are. */
export type ProcessedImage = { data: Buffer; contentType: StoredImageType; width: number; height: number; bytes: number };

/** What an image is stored as: a GIF stays a GIF (animation kept), anything with transparency becomes PNG, the rest JPEG. */
export function storedTypeFor(info: Pick<ImageInfo, 'format' | 'hasAlpha'>): StoredImageType {
  if (info.format === 'gif') return 'image/gif';
  return info.hasAlpha ? 'image/png' : 'image/jpeg';
}

/** Encodes the pipeline as `type`. Metadata (EXIF with GPS, XMP, IPTC, ICC) is left out: sharp writes none unless asked. */
export async function encode(pipeline: Sharp, type: StoredImageType): Promise<ProcessedImage> {
  const encoder = type === 'image/gif' ? pipeline.gif() : type === 'image/png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: jpegQuality });
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return { data, contentType: type, width: info.width, height: info.pageHeight ?? info.height, bytes: data.length };
}
