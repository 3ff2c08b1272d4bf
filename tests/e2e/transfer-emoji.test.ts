// End to end in Chromium with the shipped CycleGAN "Flat ↔ 3D emoji": a folder of flat emoji the model never saw
// (held out by its run; rendered here from the npm package by the dataset recipe) translated A → B in the Transfer view.
// Every emoji comes out as a 64 px picture in the export folder, changed from its flat drawing, and each translation
// is its own emoji: far closer to the true 3D emoji of its codepoints than to the other emoji's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmojiFlat3dDataset } from '../../scripts/datasets/emoji-flat-3d.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

const MODEL_DIR = path.resolve('assets/models/emoji-flat-3d-64');
const SIZE = 64;
const COUNT = 8;

let session: StudioSession;
let page: Page;
let flatDir: string;
let trueDir: string;
let names: string[];

beforeAll(async () => {
  const meta = JSON.parse(await readFile(path.join(MODEL_DIR, 'model.json'), 'utf8')) as { provenance: { dataset: { heldOut: string[] } } };
  const heldOut = meta.provenance.dataset.heldOut;
  // Spread over the held-out list (sorted by codepoint, so neighbours are often variants of one emoji).
  names = Array.from({ length: COUNT }, (_, k) => heldOut[Math.floor((k * heldOut.length) / COUNT)]!);
  session = await openStudioSession('transfer-emoji', async (home) => {
    const out = path.join(home, 'emoji');
    await buildEmojiFlat3dDataset({ outDir: out, size: SIZE, only: names.map((n) => path.parse(n).name) });
    flatDir = path.join(out, 'A');
    trueDir = path.join(out, 'B');
    return {};
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

/** A picture centre-cropped and resized to the model's side, as the Transfer view feeds it, RGB. */
const asFed = (file: string): Promise<Buffer> => sharp(file).removeAlpha().resize(SIZE, SIZE, { fit: 'cover' }).raw().toBuffer();

const meanLevelDifference = (a: Buffer, b: Buffer): number => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i]! - b[i]!) / 255) ** 2;
  return 10 * Math.log10(1 / (sum / a.length));
}

describe('the shipped CycleGAN in the Transfer view', () => {
  it('translates a folder of held-out flat emoji into 3D ones that keep what each emoji shows', async () => {
    await page.getByTestId('new-project-name').fill('Emoji');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Emoji');
    await page.keyboard.press('Control+5');
    await expect.poll(() => page.getByTestId('transfer-model-select').locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Flat ↔ 3D emoji');
    await page.getByTestId('transfer-source-folder').check();
    await page.getByTestId('transfer-folder-path').fill(flatDir);
    await page.getByTestId('transfer-direction-AtoB').check();
    const view = page.getByTestId('transfer-view');
    await page.getByTestId('transfer-start').click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 120_000, interval: 250 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('transfer-result').count()).toBe(COUNT);

    const exportDir = (await page.getByTestId('transfer-export-path').textContent())!;
    const outputs = await Promise.all(names.map(async (name) => {
      const output = path.join(exportDir, `${path.parse(name).name}-AtoB.png`);
      const { width, height } = await sharp(output).metadata();
      expect([width, height]).toEqual([SIZE, SIZE]);
      return asFed(output);
    }));
    const flats = await Promise.all(names.map((name) => asFed(path.join(flatDir, name))));
    const truths = await Promise.all(names.map((name) => asFed(path.join(trueDir, name))));
    // Translated, not copied: every picture changed.
    outputs.forEach((out, i) => expect(meanLevelDifference(out, flats[i]!), names[i]).toBeGreaterThan(3));
    // Each is its own emoji: its PSNR against its true 3D counterpart (about 20.7 dB for these eight as shipped) far
    // above that against the other emoji's (about 10.5 dB).
    const own = outputs.map((out, i) => psnr(out, truths[i]!));
    const others = outputs.flatMap((out, i) => truths.filter((_, j) => j !== i).map((truth) => psnr(out, truth)));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(own), JSON.stringify({ own, others: mean(others) })).toBeGreaterThan(18);
    expect(mean(own)).toBeGreaterThan(mean(others) + 6);
    expect(session.pageErrors).toEqual([]);
  }, 240_000);
});
