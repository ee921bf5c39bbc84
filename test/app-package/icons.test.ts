import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ICON_DIR, drawColorIcon, drawOutlineIcon } from '../../scripts/make-icons';

const read = (name: string) => PNG.sync.read(readFileSync(path.join(ICON_DIR, name)));

function alphas(png: PNG): number[] {
  const out: number[] = [];
  for (let i = 3; i < png.data.length; i += 4) out.push(png.data[i]!);
  return out;
}

describe('app package: icons', () => {
  it('color.png should be 192×192 and fully opaque', () => {
    const png = read('color.png');
    assert.equal(png.width, 192);
    assert.equal(png.height, 192);
    assert.ok(alphas(png).every((a) => a === 255));
  });

  it('outline.png should be 32×32, white only, on a transparent background, with a visible glyph', () => {
    const png = read('outline.png');
    assert.equal(png.width, 32);
    assert.equal(png.height, 32);
    const a = alphas(png);
    const transparent = a.filter((x) => x === 0).length;
    const solid = a.filter((x) => x === 255).length;
    assert.ok(transparent > a.length / 3, `only ${transparent} transparent pixels`);
    assert.ok(solid > 40, `only ${solid} solid pixels`);
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3]! > 0) assert.deepEqual([...png.data.subarray(i, i + 3)], [255, 255, 255], `pixel ${i / 4}`);
    }
    // Teams crops the outline icon's corners; they must stay empty.
    for (const [x, y] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
    ] as const)
      assert.equal(a[y * 32 + x], 0);
  });

  it('should be what scripts/make-icons.ts draws (run it after changing the drawing)', () => {
    assert.ok(read('color.png').data.equals(drawColorIcon().data));
    assert.ok(read('outline.png').data.equals(drawOutlineIcon().data));
  });

  it('color.png should show the glyph in white on the accent colour', () => {
    const png = read('color.png');
    const at = (x: number, y: number) => [...png.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 3)];
    assert.deepEqual(at(2, 2), [0x0f, 0x6c, 0xbd]);
    // The left router node sits at the glyph's (0.17, 0.5), i.e. about (64, 96) in the 96×96 middle.
    assert.deepEqual(at(64, 96), [255, 255, 255]);
  });
});
