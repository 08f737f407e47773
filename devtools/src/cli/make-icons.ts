/**
 * `npx tsx devtools/src/cli/make-icons.ts [--app <id>]`: regenerates each app's appPackage/color.png
 * (192×192, white symbol on the manifest's accentColor, 48 px padding) and outline.png (32×32, white on
 * fully transparent). Output is deterministic; the PNGs are committed and this script is for regenerating.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { suiteApps, type SuiteApp } from '../suite.js';
import { COLOR_ICON_PADDING, COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from '../packaging/icons.js';
import { repoRoot, rel } from '../packaging/paths.js';

/** A shape in the unit square (0,0 top-left to 1,1 bottom-right): is this point inside? */
type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const polygon = (points: [number, number][]): Shape => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!;
    const [xj, yj] = points[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const intersect = (...shapes: Shape[]): Shape => (x, y) => shapes.every((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);
const frame = (x0: number, y0: number, x1: number, y1: number, t: number): Shape => minus(rect(x0, y0, x1, y1), rect(x0 + t, y0 + t, x1 - t, y1 - t));

/** One simple, distinct symbol per app. */
export const symbols: Record<SuiteApp['id'], Shape> = {
  // a megaphone: announcements
  communicator: union(
    polygon([[0.06, 0.36], [0.3, 0.36], [0.8, 0.1], [0.8, 0.9], [0.3, 0.64], [0.06, 0.64]]),
    polygon([[0.24, 0.64], [0.38, 0.64], [0.44, 0.9], [0.3, 0.9]]),
    rect(0.87, 0.38, 0.95, 0.62),
  ),
  // a person: contacts
  contact: union(circle(0.5, 0.28, 0.2), intersect(ellipse(0.5, 0.98, 0.42, 0.42), rect(0, 0, 1, 0.94))),
  // a calendar page with two rings and a grid of days
  calendar: union(
    frame(0.08, 0.16, 0.92, 0.94, 0.08),
    rect(0.08, 0.16, 0.92, 0.36),
    rect(0.24, 0.04, 0.34, 0.24),
    rect(0.66, 0.04, 0.76, 0.24),
    rect(0.2, 0.46, 0.34, 0.6), rect(0.43, 0.46, 0.57, 0.6), rect(0.66, 0.46, 0.8, 0.6),
    rect(0.2, 0.7, 0.34, 0.84), rect(0.43, 0.7, 0.57, 0.84), rect(0.66, 0.7, 0.8, 0.84),
  ),
  // a framed picture: mountains and a sun
  image: union(
    frame(0.04, 0.14, 0.96, 0.86, 0.08),
    polygon([[0.14, 0.78], [0.4, 0.4], [0.64, 0.78]]),
    polygon([[0.46, 0.78], [0.66, 0.52], [0.86, 0.78]]),
    circle(0.7, 0.33, 0.08),
  ),
  // a floor plan with walls and an avatar: the virtual office
  metaoffice: union(
    frame(0.06, 0.06, 0.94, 0.94, 0.08),
    rect(0.46, 0.06, 0.54, 0.44),
    rect(0.06, 0.54, 0.6, 0.62),
    circle(0.74, 0.74, 0.11),
    circle(0.27, 0.3, 0.09),
  ),
};

/** Fraction of a pixel covered by the shape, from an n×n grid of samples. */
function coverage(shape: Shape, px: number, py: number, size: number, n = 4): number {
  let hits = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      if (shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
    }
  }
  return hits / (n * n);
}

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`accentColor "${hex}" is not #RRGGBB`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** 192×192: the symbol in white, anti-aliased, in the middle 96×96 of a solid accent-colour square. */
export function drawColorIcon(shape: Shape, accentColor: string): Buffer {
  const size = COLOR_ICON_SIZE;
  const inner = size - 2 * COLOR_ICON_PADDING;
  const [r, g, b] = hexToRgb(accentColor);
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ix = x - COLOR_ICON_PADDING;
      const iy = y - COLOR_ICON_PADDING;
      const c = ix >= 0 && iy >= 0 && ix < inner && iy < inner ? coverage(shape, ix, iy, inner) : 0;
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(r + (255 - r) * c);
      png.data[i + 1] = Math.round(g + (255 - g) * c);
      png.data[i + 2] = Math.round(b + (255 - b) * c);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** 32×32: the symbol in pure white, every other pixel fully transparent (no partial alpha, no other colour). */
export function drawOutlineIcon(shape: Shape): Buffer {
  const size = OUTLINE_ICON_SIZE;
  const margin = 1;
  const inner = size - 2 * margin;
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ix = x - margin;
      const iy = y - margin;
      const on = ix >= 0 && iy >= 0 && ix < inner && iy < inner && coverage(shape, ix, iy, inner) >= 0.5;
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = on ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

function main(): void {
  const { values } = parseArgs({ options: { app: { type: 'string' } } });
  const apps = values.app ? suiteApps.filter((a) => a.id === values.app) : suiteApps;
  if (!apps.length) throw new Error(`unknown app "${values.app}"`);
  for (const app of apps) {
    const dir = path.join(repoRoot, app.id, 'appPackage');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { accentColor: string; icons: { color: string; outline: string } };
    const colorFile = path.join(dir, manifest.icons.color);
    const outlineFile = path.join(dir, manifest.icons.outline);
    writeFileSync(colorFile, drawColorIcon(symbols[app.id], manifest.accentColor));
    writeFileSync(outlineFile, drawOutlineIcon(symbols[app.id]));
    console.log(`${app.id}: ${rel(colorFile)} (${manifest.accentColor}), ${rel(outlineFile)}`);
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) main();
