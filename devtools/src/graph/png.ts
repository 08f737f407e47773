import { PNG } from 'pngjs';

type Rgb = [number, number, number];

export function makePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      const i = (y * width + x) * 4;
      png.data[i] = r; png.data[i + 1] = g; png.data[i + 2] = b; png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, without decoding the image. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Graph's thumbnail sizes: the longest edge fits these bounds. */
export const thumbnailBounds = { small: 96, medium: 176, large: 800 } as const;
export type ThumbnailSize = keyof typeof thumbnailBounds;

export function thumbnailDimensions(size: { width: number; height: number }, bound: number): { width: number; height: number } {
  const scale = Math.min(1, bound / Math.max(size.width, size.height));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** Nearest-neighbour downscale; small images are returned at their own size, never enlarged. */
export function thumbnailPng(bytes: Buffer, bound: number): Buffer {
  const source = PNG.sync.read(bytes);
  const { width, height } = thumbnailDimensions(source, bound);
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.floor((x * source.width) / width));
      const sy = Math.min(source.height - 1, Math.floor((y * source.height) / height));
      source.data.copy(out.data, (y * width + x) * 4, (sy * source.width + sx) * 4, (sy * source.width + sx) * 4 + 4);
    }
  }
  return PNG.sync.write(out);
}
