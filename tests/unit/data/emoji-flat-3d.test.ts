// The flat ↔ 3D emoji recipe on a handful of real emoji from both packages: the same names on both sides, flat drawings
// on white at the 3D renders' scale, and a held-out list that is exactly what the CycleGAN job's split holds out.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadImageFolder } from '../../../main/data/image-folder-dataset.js';
import { decodeStoredRgb } from '../../../main/data/image-pixels.js';
import { splitOf } from '../../../main/data/prepare-pairs.js';
import { buildEmojiFlat3dDataset, HELD_OUT_FRACTION, matchEmoji, TRAINING_SEED } from '../../../scripts/datasets/emoji-flat-3d.js';
import { tempDir } from '../../support/temp-home.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const STORED = 143; // the CycleGAN load size for 128 px crops

/** The pixels of a `size × size` RGB image within `width` of its edge. */
function frame(rgb: Uint8Array, size: number, width: number): number[] {
  const values: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (x < width || y < width || x >= size - width || y >= size - width) values.push(...rgb.subarray((y * size + x) * 3, (y * size + x + 1) * 3));
    }
  }
  return values;
}

const meanAbsoluteDifference = (a: Uint8Array, b: Uint8Array): number => a.reduce((sum, v, k) => sum + Math.abs(v - b[k]!), 0) / a.length;

describe('emoji-flat-3d recipe', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir('gan-studio-emoji-flat-3d-');
  });
  afterEach(() => tmp.remove());

  it('pairs the packages by codepoints, FE0F dropped and skin tones left out', async () => {
    const match = await matchEmoji();
    const names = match.pairs.map((p) => p.name);
    expect(names).toContain('1f600');
    expect(match.pairs.find((p) => p.name === '1f600')).toEqual({ name: '1f600', flatIcon: 'grinning-face', threeDFile: '1f600.webp' });
    // The keycap is 0023-fe0f-20e3 in 3D and 0023-20e3 flat.
    expect(match.pairs.find((p) => p.name === '0023-20e3')?.threeDFile).toBe('0023-fe0f-20e3.webp');
    expect(names.filter((n) => /1f3f[b-f]/.test(n))).toEqual([]);
    expect(names.some((n) => n.includes('fe0f'))).toBe(false);
    expect(new Set(names).size).toBe(names.length);
    expect(match.duplicates.map((d) => d.file)).toEqual(['3D/1f441-200d-1f5e8.webp', '3D/26a7.webp']);
  });

  it('writes the same names in A and B, flat drawings on white beside their 3D renders, and the job\'s held-out names', async () => {
    const all = (await matchEmoji()).pairs.map((p) => p.name);
    const heldOutOfAll = all.filter((n) => splitOf(`${n}.png`, TRAINING_SEED, HELD_OUT_FRACTION) === 'test');
    // Two emoji the job holds out, and four it trains on: the grinning face, a 33-unit-tall keycap given with its FE0F,
    // the fully-qualified eye in a speech bubble, and a swan.
    const chosen = [...heldOutOfAll.slice(0, 2), '1f600', '0035-fe0f-20e3', '1f441-fe0f-200d-1f5e8-fe0f', '1f9a2'];
    const outDir = path.join(tmp.dir, 'emoji');
    const manifest = await buildEmojiFlat3dDataset({ outDir, size: 128, only: chosen });

    const expected = [...heldOutOfAll.slice(0, 2), '1f600', '0035-20e3', '1f441-200d-1f5e8', '1f9a2'].map((n) => `${n}.png`).sort();
    expect(manifest.names).toEqual(expected);
    expect(manifest.skipped).toEqual([]);
    expect(manifest.storedSize).toBe(STORED);
    expect(manifest.complete).toBe(false);
    expect((await readdir(path.join(outDir, 'A'))).sort()).toEqual(expected);
    expect((await readdir(path.join(outDir, 'B'))).sort()).toEqual(expected);

    for (const name of expected) {
      for (const side of ['A', 'B']) {
        const meta = await sharp(path.join(outDir, side, name)).metadata();
        expect([meta.width, meta.height, meta.channels]).toEqual([STORED, STORED, 3]);
      }
      const flat = await decodeStoredRgb(path.join(outDir, 'A', name), STORED);
      const threeD = await decodeStoredRgb(path.join(outDir, 'B', name), STORED);
      // Drawn, not blank; a white border as on the 3D side (7 px margin, then the emoji's own padding).
      expect(flat.filter((v) => v < 200).length).toBeGreaterThan(flat.length / 50);
      expect(new Set(frame(flat, STORED, 6))).toEqual(new Set([255]));
      expect(new Set(frame(threeD, STORED, 6))).toEqual(new Set([255]));
      // The same emoji in another style: close in layout, not the same picture.
      const difference = meanAbsoluteDifference(flat, threeD);
      expect(difference).toBeGreaterThan(2);
      expect(difference).toBeLessThan(60);
    }

    // What the CycleGAN job holds out of each folder (its defaults: seed 1, 5 %) is what dataset.json lists.
    expect(manifest.split).toEqual({ seed: 1, heldOutFraction: 0.05, heldOut: heldOutOfAll.slice(0, 2).map((n) => `${n}.png`) });
    for (const side of ['A', 'B']) {
      const data = await loadImageFolder(path.join(outDir, side), { size: STORED, heldOutFraction: 0.05, seed: 1 });
      expect(data.test.names).toEqual(manifest.split.heldOut);
      expect(data.notices).toEqual([]); // stored at the load size: nothing resized
    }
    expect(manifest.counts).toMatchObject({ pairs: 6, train: 4, heldOut: 2, skipped: 0, duplicateSpellings: 2 });
  });

  it('runs from the command line with --limit, replacing a larger earlier build', async () => {
    const outDir = path.join(tmp.dir, 'emoji');
    const run = (limit: number): Promise<{ stdout: string }> =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/datasets/emoji-flat-3d.ts'), '--out', outDir, '--limit', String(limit)], { cwd: repoRoot });
    await run(3);
    const { stdout } = await run(2);
    expect(stdout).toMatch(/2 pairs \(\d train, \d held out for seed 1\), 0 skipped/);
    expect((await readdir(path.join(outDir, 'A'))).sort()).toEqual(['0023-20e3.png', '002a-20e3.png']);
    expect((await readdir(path.join(outDir, 'B'))).sort()).toEqual(['0023-20e3.png', '002a-20e3.png']);
  });
});
