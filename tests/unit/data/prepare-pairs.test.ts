// Dataset preparation from the three kinds of source folders, with bad files skipped, a stable split, and read-back.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractEdges } from '../../../main/data/edge-extractor.js';
import { decodeRgb, decodeStoredRgb } from '../../../main/data/image-pixels.js';
import {
  PreparedDatasetManifest,
  loadPairedDataset,
  preparePairs,
  splitOf,
  type PrepareOptions,
} from '../../../main/data/prepare-pairs.js';
import { pngHeaderOnly } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

type Rgb = [number, number, number];
const RED: Rgb = [220, 20, 30];
const BLUE: Rgb = [30, 40, 210];
const GREEN: Rgb = [20, 200, 40];
const WHITE: Rgb = [255, 255, 255];

/** A PNG of `width × height`, left half one colour and right half another. */
async function halves(width: number, height: number, left: Rgb, right: Rgb): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(i % width < width / 2 ? left : right, 3 * i);
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function solid(size: number, colour: Rgb, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const [r, g, b] = colour;
  return sharp({ create: { width: size, height: size, channels: 3, background: { r, g, b } } }).toFormat(format).toBuffer();
}

/** A photo-like test picture: a dark disc of radius `r` on white, 96 px. */
async function disc(r: number, x = 48, y = 48): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#fff"/><circle cx="${x}" cy="${y}" r="${r}" fill="#335"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function writeFiles(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) await writeFile(path.join(dir, name), data);
}

/** Every pixel of `rgb` within `tolerance` of `colour`. */
function isColour(rgb: Uint8Array, colour: Rgb, tolerance = 0): boolean {
  for (let p = 0; p < rgb.length; p += 3) {
    for (let c = 0; c < 3; c++) if (Math.abs(rgb[p + c]! - colour[c]!) > tolerance) return false;
  }
  return true;
}

async function stored(outDir: string, folder: 'a' | 'b', id: string, size: number): Promise<Uint8Array> {
  return decodeStoredRgb(path.join(outDir, folder, `${id}.png`), size);
}

describe('preparePairs', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let outDir: string;
  const options = (overrides: Partial<PrepareOptions> = {}): PrepareOptions => ({
    outDir,
    storedSize: 16,
    heldOutFraction: 0.5,
    seed: 1,
    ...overrides,
  });
  beforeEach(async () => {
    tmp = await tempDir('gan-studio-pairs-');
    outDir = path.join(tmp.dir, 'dataset');
  });
  afterEach(() => tmp.remove());

  it('splits side-by-side A|B images and lists the broken and the odd-shaped ones as skipped', async () => {
    const dir = path.join(tmp.dir, 'ab');
    await writeFiles(dir, {
      'p1.png': await halves(40, 20, RED, BLUE),
      'p2.png': await halves(64, 32, GREEN, WHITE),
      'broken.png': 'definitely not a png',
      'odd.png': await halves(30, 30, RED, BLUE),
    });
    const progress: [number, number][] = [];
    const manifest = await preparePairs({ kind: 'side-by-side', dir }, options(), { onProgress: (d, t) => progress.push([d, t]) });

    // Ids follow name order over all files: broken 0, odd 1, p1 2, p2 3.
    expect(manifest.pairs).toEqual([
      { id: '00002', name: 'p1.png', split: splitOf('p1.png', 1, 0.5) },
      { id: '00003', name: 'p2.png', split: splitOf('p2.png', 1, 0.5) },
    ]);
    expect(manifest.skipped).toEqual([
      { file: 'broken.png', reason: 'broken.png is not an image.' },
      { file: 'odd.png', reason: 'odd.png is 30×30; a side-by-side A|B image is twice as wide as it is tall.' },
    ]);
    expect(manifest).toMatchObject({ format: 'gan-studio.paired-dataset', version: 1, storedSize: 16, complete: true });
    expect(manifest.source.description).toContain(dir);
    expect(progress[0]).toEqual([0, 4]);
    expect(progress.at(-1)).toEqual([4, 4]);

    expect(isColour(await stored(outDir, 'a', '00002', 16), RED)).toBe(true);
    expect(isColour(await stored(outDir, 'b', '00002', 16), BLUE)).toBe(true);
    expect(isColour(await stored(outDir, 'a', '00003', 16), GREEN)).toBe(true);
    expect(isColour(await stored(outDir, 'b', '00003', 16), WHITE)).toBe(true);
    expect(await readdir(path.join(outDir, 'a'))).toEqual(['00002.png', '00003.png']);
    expect(await readdir(path.join(outDir, 'b'))).toEqual(['00002.png', '00003.png']);
    const onDisk = PreparedDatasetManifest.parse(JSON.parse(await readFile(path.join(outDir, 'dataset.json'), 'utf8')));
    expect(onDisk).toEqual(manifest);
  });

  it('pairs two folders by file stem, skipping stems found on one side only, twice, or with a broken file', async () => {
    const aDir = path.join(tmp.dir, 'sketches');
    const bDir = path.join(tmp.dir, 'photos');
    await writeFiles(aDir, {
      'x.png': await solid(24, RED),
      'y.jpg': await solid(24, GREEN, 'jpeg'),
      'y.png': await solid(24, GREEN),
      'z.png': await solid(24, RED),
      'only-a.png': await solid(24, RED),
    });
    await writeFiles(bDir, {
      'x.jpg': await solid(24, BLUE, 'jpeg'),
      'y.png': await solid(24, WHITE),
      'z.png': pngHeaderOnly(24, 24),
      'only-b.png': await solid(24, BLUE),
    });
    const manifest = await preparePairs({ kind: 'two-folders', aDir, bDir }, options());

    expect(manifest.pairs.map(({ id, name, aName }) => ({ id, name, aName }))).toEqual([
      { id: '00002', name: 'x.jpg', aName: 'x.png' },
      { id: '00004', name: 'y.png', aName: 'y.jpg' },
    ]);
    // Stems in name order: only-a, only-b, x, (duplicate of y), y, z.
    expect(manifest.skipped.map((s) => s.file)).toEqual(['A/only-a.png', 'B/only-b.png', 'A/y.png', 'A/z.png + B/z.png']);
    expect(manifest.skipped[0]!.reason).toBe('No file named only-a in the B folder.');
    expect(manifest.skipped[1]!.reason).toBe('No file named only-b in the A folder.');
    expect(manifest.skipped[2]!.reason).toBe('A has another file named y: y.jpg.');
    expect(manifest.skipped[3]!.reason).toMatch(/^B\/z\.png is damaged/);

    expect(isColour(await stored(outDir, 'a', '00002', 16), RED)).toBe(true);
    expect(isColour(await stored(outDir, 'b', '00002', 16), BLUE, 6)).toBe(true); // from a JPEG
    expect(isColour(await stored(outDir, 'b', '00004', 16), WHITE)).toBe(true);
  });

  it('makes A from the edges of each photo, and skips a photo that is not readable', async () => {
    const dir = path.join(tmp.dir, 'photos');
    await writeFiles(dir, { 'big.png': await disc(30), 'small.png': await disc(14), 'truncated.png': pngHeaderOnly(96, 96) });
    const manifest = await preparePairs({ kind: 'photos', dir }, options({ storedSize: 64 }));

    expect(manifest.pairs.map((p) => [p.id, p.name])).toEqual([
      ['00000', 'big.png'],
      ['00001', 'small.png'],
    ]);
    expect(manifest.skipped).toEqual([{ file: 'truncated.png', reason: expect.stringMatching(/^truncated\.png is damaged/) }]);
    for (const [id, name] of [['00000', 'big.png'], ['00001', 'small.png']] as const) {
      const photo = await decodeRgb(path.join(dir, name), 64);
      expect(await stored(outDir, 'b', id, 64)).toEqual(photo);
      const edges = await stored(outDir, 'a', id, 64);
      expect(edges).toEqual(extractEdges(photo, 64));
      expect(edges.some((v) => v === 0)).toBe(true);
    }
  });

  it('keeps every name in its split across re-runs and when files are added', async () => {
    const dir = path.join(tmp.dir, 'photos');
    const names = Array.from({ length: 10 }, (_, i) => `p${i}.png`);
    for (const [i, name] of names.entries()) await writeFiles(dir, { [name]: await disc(10 + 2 * i) });
    const first = await preparePairs({ kind: 'photos', dir }, options());
    const again = await preparePairs({ kind: 'photos', dir }, options());
    expect(again.pairs).toEqual(first.pairs);
    expect(new Set(first.pairs.map((p) => p.split))).toEqual(new Set(['train', 'test']));

    await writeFiles(dir, { 'a-new-one.png': await disc(20, 30, 30) });
    const grown = await preparePairs({ kind: 'photos', dir }, options());
    const splitByName = (m: PreparedDatasetManifest) => Object.fromEntries(m.pairs.map((p) => [p.name, p.split]));
    expect(splitByName(grown)).toMatchObject(splitByName(first));
  });

  it('holds out about the asked fraction, decided by name and seed', () => {
    const names = Array.from({ length: 4000 }, (_, i) => `photo-${i}.jpg`);
    const held = names.filter((n) => splitOf(n, 'seed', 0.1) === 'test').length / names.length;
    expect(held).toBeGreaterThan(0.085);
    expect(held).toBeLessThan(0.115);
    expect(names.every((n) => splitOf(n, 'seed', 0) === 'train')).toBe(true);
    expect(names.filter((n) => splitOf(n, 'seed', 0.5) !== splitOf(n, 'other seed', 0.5)).length).toBeGreaterThan(1000);
  });

  it('on cancel, writes a manifest of the pairs finished and leaves no partial files', async () => {
    const dir = path.join(tmp.dir, 'photos');
    for (let i = 0; i < 16; i++) await writeFiles(dir, { [`p${String(i).padStart(2, '0')}.png`]: await disc(8 + i) });
    const controller = new AbortController();
    const run = preparePairs({ kind: 'photos', dir }, options(), {
      signal: controller.signal,
      onProgress: (done) => done === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });

    const manifest = PreparedDatasetManifest.parse(JSON.parse(await readFile(path.join(outDir, 'dataset.json'), 'utf8')));
    expect(manifest.complete).toBe(false);
    expect(manifest.pairs.length).toBeGreaterThanOrEqual(3);
    expect(manifest.pairs.length).toBeLessThan(16);
    const ids = manifest.pairs.map((p) => `${p.id}.png`);
    // Only complete pair files, exactly those listed: no temp files, no half-written pairs.
    expect((await readdir(path.join(outDir, 'a'))).sort()).toEqual(ids);
    expect((await readdir(path.join(outDir, 'b'))).sort()).toEqual(ids);
    expect((await readdir(outDir)).sort()).toEqual(['a', 'b', 'dataset.json']);
    const loaded = await loadPairedDataset(outDir, 'train');
    expect(loaded.length).toBe(manifest.pairs.filter((p) => p.split === 'train').length);
  });

  it('replaces an earlier dataset in the same folder, removing pair files it no longer lists', async () => {
    const dir = path.join(tmp.dir, 'photos');
    for (let i = 0; i < 5; i++) await writeFiles(dir, { [`p${i}.png`]: await disc(10 + 3 * i) });
    await preparePairs({ kind: 'photos', dir }, options());
    const smaller = await preparePairs({ kind: 'photos', dir }, options({ limit: 2 }));
    expect(smaller.pairs.map((p) => p.name)).toEqual(['p0.png', 'p1.png']);
    expect(await readdir(path.join(outDir, 'a'))).toEqual(['00000.png', '00001.png']);
    expect(await readdir(path.join(outDir, 'b'))).toEqual(['00000.png', '00001.png']);
  });

  it('rejects a source folder that does not exist', async () => {
    await expect(preparePairs({ kind: 'photos', dir: path.join(tmp.dir, 'nope') }, options())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('loadPairedDataset', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir('gan-studio-pairs-');
  });
  afterEach(() => tmp.remove());

  it('reads each split back with exactly the stored pixels, synchronously', async () => {
    const dir = path.join(tmp.dir, 'photos');
    const outDir = path.join(tmp.dir, 'dataset');
    for (let i = 0; i < 8; i++) await writeFiles(dir, { [`p${i}.png`]: await disc(8 + 4 * i, 40 + i, 50 - i) });
    const manifest = await preparePairs({ kind: 'photos', dir }, { outDir, storedSize: 40, heldOutFraction: 0.3, seed: 'x' });

    let total = 0;
    for (const split of ['train', 'test'] as const) {
      const dataset = await loadPairedDataset(outDir, split);
      const listed = manifest.pairs.filter((p) => p.split === split);
      expect(dataset.size).toBe(40);
      expect(dataset.length).toBe(listed.length);
      expect(dataset.names).toEqual(listed.map((p) => p.name));
      for (let i = 0; i < dataset.length; i++) {
        const pair = dataset.read(i);
        const photo = await decodeRgb(path.join(dir, listed[i]!.name), 40);
        expect(pair.size).toBe(40);
        expect(pair.b).toEqual(photo);
        expect(pair.a).toEqual(extractEdges(photo, 40));
      }
      expect(() => dataset.read(dataset.length)).toThrow(/outside the .* split/);
      total += dataset.length;
    }
    expect(total).toBe(8);
  });

  it('rejects a folder without a manifest', async () => {
    await expect(loadPairedDataset(tmp.dir, 'train')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
