// A folder of images read for training: what had to be adapted is said in words (the same words a transfer job uses).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitNotices, loadImageFolder } from '../../../main/data/image-folder-dataset.js';
import { noiseImage } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

describe('image folder dataset', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    home = await tempDir();
  });
  afterAll(() => home.remove());

  it('counts the pictures that were not square and those resized', () => {
    expect(fitNotices([{ width: 32, height: 32 }], 32)).toEqual([]);
    expect(fitNotices([{ width: 60, height: 40 }, { width: 32, height: 32 }], 32)).toEqual(['1 image was not square: centre-cropped to a square.', '1 image was resized to 32 px.']);
    // 40×32: its centre square is already 32 px, so only cropped.
    expect(fitNotices([{ width: 40, height: 32 }, { width: 64, height: 64 }, { width: 20, height: 20 }], 32)).toEqual(['1 image was not square: centre-cropped to a square.', '2 images were resized to 32 px.']);
  });

  it('reads a folder at the model size, skipping a broken file, with those notices', async () => {
    await writeFile(path.join(home.dir, 'a.png'), await noiseImage(32, 32, 'png', 1));
    await writeFile(path.join(home.dir, 'b.png'), await noiseImage(48, 32, 'png', 2));
    await writeFile(path.join(home.dir, 'c.png'), (await noiseImage(32, 32, 'png', 3)).subarray(0, 80));
    const data = await loadImageFolder(home.dir, { size: 32, heldOutFraction: 0, seed: 1 });
    expect(data.train.length + data.test.length).toBe(2);
    expect(data.train.read(0)).toHaveLength(32 * 32 * 3);
    expect(data.skipped.map((s) => s.file)).toEqual(['c.png']);
    expect(data.notices).toEqual(['1 image was not square: centre-cropped to a square.']); // 48×32 → its 32 px centre square
  });
});
