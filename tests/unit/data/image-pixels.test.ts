// Files to model pixels and back: alpha onto white, grey to RGB, centre-cropped squares, and clear refusals.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRgb, decodeSideBySide, decodeStoredRgb, encodePng } from '../../../main/data/image-pixels.js';
import { noiseImage, pngHeaderOnly } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

type Rgb = [number, number, number];

/** An image whose columns are painted in bands, left to right: [width in px, colour]. */
function bands(height: number, parts: [number, Rgb][]): { data: Buffer; width: number; height: number } {
  const width = parts.reduce((sum, [w]) => sum + w, 0);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    let x = 0;
    for (const [w, colour] of parts) for (let k = 0; k < w; k++, x++) data.set(colour, 3 * (y * width + x));
  }
  return { data, width, height };
}

async function png(image: { data: Buffer; width: number; height: number }): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
}

/** The distinct colours of an RGB buffer, as "r,g,b" strings. */
function colours(rgb: Uint8Array): string[] {
  const seen = new Set<string>();
  for (let p = 0; p < rgb.length; p += 3) seen.add(`${rgb[p]},${rgb[p + 1]},${rgb[p + 2]}`);
  return [...seen].sort();
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

const RED: Rgb = [220, 20, 30];
const GREEN: Rgb = [20, 200, 40];
const BLUE: Rgb = [30, 40, 210];

describe('decodeRgb', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.remove());

  it('returns size × size × 3 bytes, identical to the file when it already has that size', async () => {
    const noise = await noiseImage(24, 24, 'png', 5);
    const raw = await sharp(noise).raw().toBuffer();
    const rgb = await decodeRgb(noise, 24);
    expect(rgb).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(rgb).equals(raw)).toBe(true);
  });

  it('flattens transparency onto white', async () => {
    // 4×4 RGBA, one colour per column: opaque dark red, half-transparent black, fully transparent black, opaque white.
    const columns = [[100, 0, 0, 255], [0, 0, 0, 128], [0, 0, 0, 0], [255, 255, 255, 255]];
    const rgba = Buffer.alloc(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.set(columns[i % 4]!, 4 * i);
    const file = path.join(tmp.dir, 'alpha.png');
    await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } }).png().toFile(file);
    expect((await sharp(file).metadata()).channels).toBe(4);
    const rgb = await decodeRgb(file, 4);
    // Half-transparent black over white: 255 × (1 − 128/255) = 127.
    const expected = [[100, 0, 0], [127, 127, 127], [255, 255, 255], [255, 255, 255]];
    for (let i = 0; i < 16; i++) {
      const got = [...rgb.subarray(3 * i, 3 * i + 3)];
      got.forEach((v, c) => expect(Math.abs(v - expected[i % 4]![c]!)).toBeLessThanOrEqual(1));
    }
  });

  it('turns greyscale into RGB with equal channels', async () => {
    const grey = Buffer.alloc(8 * 8).map((_, i) => i * 3);
    const file = path.join(tmp.dir, 'grey.png');
    await sharp(grey, { raw: { width: 8, height: 8, channels: 1 } }).toColourspace('b-w').png().toFile(file);
    expect((await sharp(file).metadata()).channels).toBe(1);
    const rgb = await decodeRgb(file, 8);
    expect(rgb).toHaveLength(8 * 8 * 3);
    for (let i = 0; i < 64; i++) expect([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]]).toEqual([i * 3, i * 3, i * 3]);
  });

  it('centre-crops a wide image to a square before resizing', async () => {
    const wide = await png(bands(20, [[20, RED], [20, GREEN], [20, BLUE]]));
    expect(colours(await decodeRgb(wide, 20))).toEqual([GREEN.join(',')]);
    // Downscaled (resampled before the crop), the middle stays green: Lanczos lobes reach in by a level or two.
    const small = await decodeRgb(wide, 10);
    for (let y = 0; y < 10; y++) {
      for (let x = 2; x < 8; x++) GREEN.forEach((v, c) => expect(Math.abs(small[3 * (y * 10 + x) + c]! - v)).toBeLessThanOrEqual(3));
    }
  });

  it('centre-crops a tall image to a square', async () => {
    const { data } = bands(20, [[20, BLUE]]);
    const tall = Buffer.concat([Buffer.alloc(20 * 20 * 3, 255), data, Buffer.alloc(20 * 20 * 3, 0)]);
    const file = await sharp(tall, { raw: { width: 20, height: 60, channels: 3 } }).webp({ lossless: true }).toBuffer();
    expect(colours(await decodeRgb(file, 20))).toEqual([BLUE.join(',')]);
  });

  it('adds a white margin when asked: the picture shrinks and is centred', async () => {
    const black = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000' } }).png().toBuffer();
    // margin 0.25: the picture becomes 24 / 1.5 = 16 px with 4 px of white on each side.
    const rgb = await decodeRgb(black, 24, { margin: 0.25 });
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 24; x++) {
        const inside = x >= 4 && x < 20 && y >= 4 && y < 20;
        expect(rgb[3 * (y * 24 + x)]).toBe(inside ? 0 : 255);
      }
    }
  });

  it('rejects bytes that are not an image, naming the file', async () => {
    const file = path.join(tmp.dir, 'notes.png');
    await writeFile(file, 'this is not a picture at all');
    const { code, message } = await rejection(decodeRgb(file, 16));
    expect(code).toBe('INVALID_IMAGE');
    expect(message).toMatch(/^notes\.png is not an image/);
  });

  it('rejects a truncated PNG and a header-only PNG, naming them', async () => {
    const whole = await noiseImage(64, 64, 'png', 3);
    const truncated = await rejection(decodeRgb(whole.subarray(0, whole.length >> 1), 16, { name: 'cut.png' }));
    expect(truncated.code).toBe('INVALID_IMAGE');
    expect(truncated.message).toMatch(/^cut\.png is damaged/);
    const headerOnly = await rejection(decodeRgb(pngHeaderOnly(64, 64), 16, { name: 'header.png' }));
    expect(headerOnly.code).toBe('INVALID_IMAGE');
    expect(headerOnly.message).toMatch(/^header\.png is damaged/);
  });

  it('refuses a decompression bomb from its header, with the ingest limit', async () => {
    const { code, message } = await rejection(decodeRgb(pngHeaderOnly(20_000, 20_000), 16, { name: 'bomb.png' }));
    expect(code).toBe('IMAGE_TOO_LARGE');
    expect(message).toBe('bomb.png is 20000×20000 pixels; the limit is 100 megapixels.');
  });

  it('rejects an empty or missing file', async () => {
    const empty = path.join(tmp.dir, 'empty.jpg');
    await writeFile(empty, '');
    expect(await rejection(decodeRgb(empty, 16))).toEqual({ code: 'INVALID_IMAGE', message: 'empty.jpg is empty.' });
    expect((await rejection(decodeRgb(path.join(tmp.dir, 'gone.png'), 16))).code).toBe('NOT_FOUND');
  });
});

describe('decodeSideBySide', () => {
  it('splits an A|B image into its left and right halves', async () => {
    const pair = await png(bands(20, [[20, RED], [20, BLUE]]));
    const { a, b } = await decodeSideBySide(pair, 20);
    expect(colours(a)).toEqual([RED.join(',')]);
    expect(colours(b)).toEqual([BLUE.join(',')]);
  });

  it('rejects an image that is not twice as wide as tall, naming it', async () => {
    const square = await png(bands(20, [[10, RED], [10, BLUE]]));
    const { code, message } = await rejection(decodeSideBySide(square, 16, { name: 'odd.png' }));
    expect(code).toBe('INVALID_IMAGE');
    expect(message).toMatch(/^odd\.png is 20×20; a side-by-side A\|B image is twice as wide/);
  });
});

describe('encodePng and decodeStoredRgb', () => {
  it('round-trip pixels exactly', async () => {
    const rgb = new Uint8Array(await sharp(await noiseImage(9, 9, 'png', 11)).raw().toBuffer());
    const encoded = await encodePng(rgb, 9);
    expect((await sharp(encoded).metadata()).format).toBe('png');
    expect(await decodeStoredRgb(encoded, 9)).toEqual(rgb);
  });

  it('refuses a stored image of another size instead of resampling it', async () => {
    const encoded = await encodePng(new Uint8Array(8 * 8 * 3), 8);
    const { message } = await rejection(decodeStoredRgb(encoded, 9, { name: 'a/00001.png' }));
    expect(message).toBe('a/00001.png is 8×8, expected 9×9.');
  });
});
