import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { TeamsManifest } from './manifest.js';

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
/** Teams crops the colour icon's corners; the symbol sits in the middle 96×96 with 48 px padding. */
export const COLOR_ICON_PADDING = 48;

export type DecodedPng = { width: number; height: number; data: Buffer };

export function decodePng(bytes: Buffer): DecodedPng {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

/**
 * Resolves an icon path from the manifest inside the appPackage folder. Teams Toolkit refuses icons
 * that resolve outside it, and so does this.
 */
export function iconPath(appPackageDir: string, relative: string): { file?: string; error?: string } {
  if (typeof relative !== 'string' || !relative) return { error: 'is empty' };
  if (path.isAbsolute(relative) || /^[a-z]+:/i.test(relative)) return { error: `(${relative}) must be a path relative to appPackage/` };
  const root = path.resolve(appPackageDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return { error: `(${relative}) resolves outside appPackage/` };
  return { file };
}

/** The colour icon: 192×192, and a solid (or fully transparent) background in the 48 px padding. */
export function checkColorIcon(png: DecodedPng): string[] {
  const errors: string[] = [];
  if (png.width !== COLOR_ICON_SIZE || png.height !== COLOR_ICON_SIZE) {
    return [`must be ${COLOR_ICON_SIZE}×${COLOR_ICON_SIZE} px, is ${png.width}×${png.height}`];
  }
  const at = (x: number, y: number) => {
    const i = (y * png.width + x) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!] as const;
  };
  const [r0, g0, b0, a0] = at(0, 0);
  const p = COLOR_ICON_PADDING;
  let off = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (x >= p && x < png.width - p && y >= p && y < png.height - p) continue;
      const [r, g, b, a] = at(x, y);
      const same = a0 === 0 ? a === 0 : a === a0 && r === r0 && g === g0 && b === b0;
      if (!same) off++;
    }
  }
  if (off) errors.push(`the ${p} px padding must be one solid colour or fully transparent (${off} pixels differ from the corner)`);
  return errors;
}

/** The outline icon: 32×32, white (255,255,255) on a fully transparent background, nothing else. */
export function checkOutlineIcon(png: DecodedPng): string[] {
  if (png.width !== OUTLINE_ICON_SIZE || png.height !== OUTLINE_ICON_SIZE) {
    return [`must be ${OUTLINE_ICON_SIZE}×${OUTLINE_ICON_SIZE} px, is ${png.width}×${png.height}`];
  }
  let coloured = 0;
  let white = 0;
  let transparent = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const a = png.data[i + 3]!;
    if (a === 0) {
      transparent++;
      continue;
    }
    if (png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255) white++;
    else coloured++;
  }
  const errors: string[] = [];
  if (coloured) errors.push(`must be white on transparent only: ${coloured} pixels are neither white nor fully transparent`);
  if (!white) errors.push('has no white pixels: the symbol is missing');
  if (!transparent) errors.push('has no transparent pixels: the background must be fully transparent');
  return errors;
}

/**
 * Checks both icons the manifest names: they exist inside appPackage/, are PNGs, have the sizes Teams
 * requires, and the outline is white on transparent.
 */
export function checkIcons(appPackageDir: string, manifest: Pick<TeamsManifest, 'icons'>): string[] {
  const errors: string[] = [];
  const icons = manifest.icons ?? ({} as TeamsManifest['icons']);
  const checks: [key: 'color' | 'outline', check: (png: DecodedPng) => string[]][] = [
    ['color', checkColorIcon],
    ['outline', checkOutlineIcon],
  ];
  for (const [key, check] of checks) {
    const where = `/icons/${key}`;
    const resolved = iconPath(appPackageDir, icons[key]);
    if (resolved.error) {
      errors.push(`${where} ${resolved.error}`);
      continue;
    }
    if (!existsSync(resolved.file!)) {
      errors.push(`${where} (${icons[key]}) does not exist in appPackage/`);
      continue;
    }
    let png: DecodedPng;
    try {
      png = decodePng(readFileSync(resolved.file!));
    } catch (e) {
      errors.push(`${where} (${icons[key]}) is not a readable PNG: ${(e as Error).message}`);
      continue;
    }
    errors.push(...check(png).map((msg) => `${where} (${icons[key]}) ${msg}`));
  }
  return errors;
}
