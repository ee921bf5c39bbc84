import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/**
 * Draws the Teams app icons: two edge routers joined by a primary and a secondary path (an ExpressRoute
 * circuit's pair of links). `color.png` is 192×192 on the accent colour with the glyph in the 96×96 middle that
 * Teams asks for; `outline.png` is 32×32, a white glyph on a transparent background, as Teams requires.
 *
 *   npx tsx scripts/make-icons.ts
 */

export const ACCENT = { r: 0x0f, g: 0x6c, b: 0xbd };
export const COLOR_SIZE = 192;
export const OUTLINE_SIZE = 32;

type Point = readonly [number, number];

const NODE_RADIUS = 0.13;
const STROKE = 0.075;
const LEFT: Point = [0.17, 0.5];
const RIGHT: Point = [0.83, 0.5];

/** A quadratic Bézier as a polyline; fine enough that no facet shows at 192 px. */
function curve(from: Point, control: Point, to: Point, segments = 48): Point[] {
  return Array.from({ length: segments + 1 }, (_, i) => {
    const t = i / segments;
    const u = 1 - t;
    return [u * u * from[0] + 2 * u * t * control[0] + t * t * to[0], u * u * from[1] + 2 * u * t * control[1] + t * t * to[1]];
  });
}

const PATHS = [curve(LEFT, [0.5, 0.02], RIGHT), curve(LEFT, [0.5, 0.98], RIGHT)];

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Whether a point of the unit square is ink. */
export function inGlyph(p: Point): boolean {
  for (const node of [LEFT, RIGHT]) if (Math.hypot(p[0] - node[0], p[1] - node[1]) <= NODE_RADIUS) return true;
  return PATHS.some((line) => line.some((a, i) => i > 0 && distanceToSegment(p, line[i - 1]!, a) <= STROKE / 2));
}

/** Ink coverage (0..1) of each pixel of a size×size box, 4×4 supersampled so edges are smooth. */
function coverage(size: number): Float64Array {
  const out = new Float64Array(size * size);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) if (inGlyph([(x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size])) hits++;
      }
      out[y * size + x] = hits / (n * n);
    }
  }
  return out;
}

export function drawColorIcon(): PNG {
  const png = new PNG({ width: COLOR_SIZE, height: COLOR_SIZE });
  const glyphSize = 96;
  const offset = (COLOR_SIZE - glyphSize) / 2;
  const ink = coverage(glyphSize);
  for (let y = 0; y < COLOR_SIZE; y++) {
    for (let x = 0; x < COLOR_SIZE; x++) {
      const gx = x - offset;
      const gy = y - offset;
      const a = gx >= 0 && gy >= 0 && gx < glyphSize && gy < glyphSize ? ink[gy * glyphSize + gx]! : 0;
      const i = (y * COLOR_SIZE + x) * 4;
      png.data[i] = Math.round(ACCENT.r + (255 - ACCENT.r) * a);
      png.data[i + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * a);
      png.data[i + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * a);
      png.data[i + 3] = 255;
    }
  }
  return png;
}

export function drawOutlineIcon(): PNG {
  const png = new PNG({ width: OUTLINE_SIZE, height: OUTLINE_SIZE });
  const ink = coverage(OUTLINE_SIZE);
  for (let p = 0; p < OUTLINE_SIZE * OUTLINE_SIZE; p++) {
    png.data[p * 4] = 255;
    png.data[p * 4 + 1] = 255;
    png.data[p * 4 + 2] = 255;
    png.data[p * 4 + 3] = Math.round(255 * ink[p]!);
  }
  return png;
}

export const ICON_DIR = path.resolve(__dirname, '..', 'appPackage');

if (require.main === module) {
  writeFileSync(path.join(ICON_DIR, 'color.png'), PNG.sync.write(drawColorIcon()));
  writeFileSync(path.join(ICON_DIR, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
  process.stdout.write(`wrote ${ICON_DIR}/color.png and outline.png\n`);
}
