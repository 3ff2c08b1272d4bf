// End to end in Chromium: browse a StyleGAN2 model's seeds in the Generate view (pages, keyboard, truncation), select
// two seeds, save and export them, and find them in the library with their generation rows; pixels read from the page.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngText } from '../../main/generation/png-text.js';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('generate', async (home) => {
    await writeTinyStyleGAN2Builtin(path.join(home, 'models'));
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

interface TileImage {
  seed: number;
  /** RGBA bytes read back through a canvas, joined: equal strings are equal pixels. */
  pixels: string;
  width: number;
  /** Standard deviation of the RGB values: 0 is a flat (blank) image. */
  std: number;
}

/** Waits until the grid shows exactly the page asked for (no draw pending), then reads every tile's pixels. */
async function shownTiles(count = 16): Promise<TileImage[]> {
  const grid = page.getByTestId('seed-grid');
  await expect
    .poll(
      async () =>
        (await grid.getAttribute('data-current')) === 'true' &&
        (await grid.getAttribute('data-busy')) === 'false' &&
        (await grid.getByTestId('seed-image').count()) === count,
      { timeout: 60_000 },
    )
    .toBe(true);
  return grid.getByTestId('seed-tile').evaluateAll(async (tiles) =>
    Promise.all(
      tiles.map(async (tile) => {
        const img = tile.querySelector('img')!;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let sum = 0;
        let squares = 0;
        for (let i = 0; i < data.length; i += 4) {
          for (let c = 0; c < 3; c++) {
            sum += data[i + c]!;
            squares += data[i + c]! ** 2;
          }
        }
        const n = (data.length / 4) * 3;
        return { seed: Number(tile.getAttribute('data-seed')), pixels: Array.from(data).join(','), width: canvas.width, std: Math.sqrt(squares / n - (sum / n) ** 2) };
      }),
    ),
  );
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

let firstPage: TileImage[];

describe('generate view in the browser window', () => {
  it('opens Generate with the builtin StyleGAN2 model and shows 16 different, non-blank seeds from seed 0', async () => {
    await page.getByTestId('new-project-name').fill('Seeds');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Seeds');
    await page.getByRole('button', { name: /Generate/ }).click();
    await expect.poll(() => page.getByTestId('generate-model-select').locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Tiny StyleGAN2');

    firstPage = await shownTiles();
    expect(firstPage.map((t) => t.seed)).toEqual(range(0, 16));
    for (const tile of firstPage) {
      expect(tile.width).toBe(32);
      expect(tile.std).toBeGreaterThan(1);
    }
    expect(new Set(firstPage.map((t) => t.pixels)).size).toBe(16);
    await expect.poll(() => page.getByTestId('generate-ms').getAttribute('data-ms')).not.toBeNull();
  });

  it('shows other images on the next page, and the same ones again on going back (button, then keyboard)', async () => {
    await page.getByTestId('page-next').click();
    const second = await shownTiles();
    expect(second.map((t) => t.seed)).toEqual(range(16, 16));
    const before = new Set(firstPage.map((t) => t.pixels));
    expect(second.filter((t) => before.has(t.pixels))).toEqual([]);

    await page.keyboard.press('ArrowLeft');
    const back = await shownTiles();
    expect(back.map((t) => t.seed)).toEqual(range(0, 16));
    expect(back.map((t) => t.pixels)).toEqual(firstPage.map((t) => t.pixels));

    // A typed start seed pages from there.
    await page.getByTestId('seed-start').fill('1000');
    await page.getByTestId('seed-start').press('Enter');
    expect((await shownTiles()).map((t) => t.seed)).toEqual(range(1000, 16));
    await page.getByTestId('page-next').focus();
    await page.keyboard.press('r');
    const random = await shownTiles();
    expect(random[0]!.seed).not.toBe(1000);
    expect(random.map((t) => t.seed)).toEqual(random.map((_, i) => (random[0]!.seed + i) % 2 ** 32));
    await page.getByTestId('seed-start').fill('0');
    await page.getByTestId('seed-start').press('Enter');
    expect((await shownTiles()).map((t) => t.pixels)).toEqual(firstPage.map((t) => t.pixels));
  });

  it('draws the same average image for every seed at ψ = 0, and the seeds’ own images again at ψ = 1', async () => {
    // A quick sweep of the slider: whatever answers come back late, the page ends at the last value.
    for (const psi of ['1.5', '0.3', '1.2', '0']) await page.getByTestId('psi-slider').fill(psi);
    await expect.poll(() => page.getByTestId('psi-value').textContent()).toBe('0.00');
    const truncated = await shownTiles();
    expect(new Set(truncated.map((t) => t.pixels)).size).toBe(1);
    expect(truncated[0]!.std).toBeGreaterThan(1);

    await page.getByTestId('psi-slider').fill('1');
    const untruncated = await shownTiles();
    expect(new Set(untruncated.map((t) => t.pixels)).size).toBe(16);
    // The starting ψ is 0.7: ψ = 1 pulls nothing towards the average, so the images are not those of the first page.
    expect(untruncated[0]!.pixels).not.toBe(firstPage[0]!.pixels);
  });

  it('selects two seeds, shows the last one large, saves both and exports them with their recipe', async () => {
    const tiles = await shownTiles();
    await page.locator('[data-testid="seed-tile"][data-seed="3"]').click();
    await page.locator('[data-testid="seed-tile"][data-seed="7"]').click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toContain('2 seeds selected');
    expect(await page.getByTestId('seed-preview-number').textContent()).toBe('7');
    const preview = await page.getByTestId('seed-preview-image').getAttribute('src');
    expect(preview).toBe(await page.locator('[data-testid="seed-tile"][data-seed="7"] img').getAttribute('src'));

    await page.getByTestId('generate-save').click();
    await expect.poll(() => page.getByTestId('generate-save').textContent(), { timeout: 30_000 }).toContain('Saved ✓');
    await expect.poll(() => page.locator('[data-testid="seed-tile"] [aria-label="saved"]').count()).toBe(2);

    await page.getByTestId('generate-export-format').selectOption('png');
    await page.getByTestId('generate-export').click();
    const paths = page.getByTestId('generate-export-paths').locator('code');
    await expect.poll(() => paths.count(), { timeout: 30_000 }).toBe(2);
    for (const [i, seed] of [3, 7].entries()) {
      const file = (await paths.nth(i).textContent())!.trim();
      expect(file).toMatch(/exports.*\.png$/);
      expect(existsSync(file)).toBe(true);
      const recipe = JSON.parse(readPngText(readFileSync(file))['gan-studio']!) as { generation: { operation: string; params: { seed: number; truncationPsi: number; noiseMode: string } } };
      expect(recipe.generation).toMatchObject({ operation: 'sample', params: { seed, truncationPsi: 1, noiseMode: 'const' } });
      // The exported image is the tile that was on screen, pixel for pixel.
      const { data } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(Array.from(data).join(',')).toBe(tiles.find((t) => t.seed === seed)!.pixels);
    }
  });

  it('lists the saved seeds in the Library, each with a generation row recording its seed', async () => {
    await page.getByRole('button', { name: /Library/ }).click();
    const assetTiles = page.getByTestId('asset-tile');
    await expect.poll(() => assetTiles.count(), { timeout: 30_000 }).toBe(2);
    const titles = await assetTiles.evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? ''));
    expect(titles.some((t) => t.includes('seed 3'))).toBe(true);
    expect(titles.some((t) => t.includes('seed 7'))).toBe(true);

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare(
          `SELECT g.operation, g.params, a.name, a.origin FROM generations g JOIN assets a ON a.id = g.output_asset_id
           JOIN projects p ON p.id = g.project_id WHERE p.name = 'Seeds' ORDER BY g.id`,
        )
        .all() as { operation: string; params: string; name: string; origin: string }[];
      const seeds = rows.map((r) => ({ operation: r.operation, origin: r.origin, name: r.name, seed: (JSON.parse(r.params) as { seed: number }).seed }));
      expect(seeds).toEqual([
        { operation: 'sample', origin: 'generation', name: expect.stringContaining('seed 3'), seed: 3 },
        { operation: 'sample', origin: 'generation', name: expect.stringContaining('seed 7'), seed: 7 },
      ]);
    } finally {
      db.close();
    }
    expect(session.pageErrors).toEqual([]);
  });
});
