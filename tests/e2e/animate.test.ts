// End to end in Chromium: select two seeds in the Generate view and "Animate selected…" them: a looping walk written as
// a GIF (its frames start and pass through the seeds' images) and a WebM into the project's exports, the GIF filed in
// the library as an 'interpolate' generation and playing in the view.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { pixelsOf } from './support/page-pixels.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('animate', async (home) => {
    await writeTinyStyleGAN2Builtin(path.join(home, 'models'));
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

/** An image element's decoded RGB values, as the page's canvas reads them. */
const rgbOf = async (img: Locator): Promise<number[]> => (await pixelsOf(img)).rgba.filter((_, i) => i % 4 !== 3);

/** One frame of a GIF file as RGB values. */
async function gifFrame(file: string, page: number): Promise<number[]> {
  return Array.from(await sharp(file, { page }).removeAlpha().raw().toBuffer());
}

const meanAbsDiff = (a: number[], b: number[]): number => {
  expect(a.length).toBe(b.length);
  return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
};

describe('animating selected seeds in the browser window', () => {
  it('walks through two selected seeds: a 6-frame looping GIF and a WebM in exports, the GIF in the library', async () => {
    await page.getByTestId('new-project-name').fill('Walks');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Walks');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Generate/ }).click();
    const grid = page.getByTestId('seed-grid');
    await expect
      .poll(async () => (await grid.getAttribute('data-current')) === 'true' && (await grid.getByTestId('seed-image').count()) === 16, { timeout: 60_000 })
      .toBe(true);
    const tile = (seed: number) => page.locator(`[data-testid="seed-tile"][data-seed="${seed}"] img`);
    const [seed3, seed7] = [await rgbOf(tile(3)), await rgbOf(tile(7))];

    // One seed is not a walk.
    await page.locator('[data-testid="seed-tile"][data-seed="3"]').click();
    await page.getByTestId('generate-animate').click();
    expect(await page.getByTestId('animate-start').isDisabled()).toBe(true);
    await page.locator('[data-testid="seed-tile"][data-seed="7"]').click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toContain('2 seeds selected');

    await page.getByTestId('animate-frames').fill('3');
    expect(await page.getByTestId('animate-loop').isChecked()).toBe(true);
    expect(await page.getByTestId('animate-fps').inputValue()).toBe('24');
    await page.getByTestId('animate-start').click();
    const status = page.getByTestId('animate-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded').catch(async (err: unknown) => {
      const toasts = await page.locator('.toast, [role="alert"]').allTextContents();
      throw new Error(`${String(err)}\ntoasts: ${JSON.stringify(toasts)}\nstudio: ${session.studio.output().slice(-2000)}`);
    });
    expect(await page.getByTestId('animate-progress').getAttribute('aria-valuenow')).toBe('6');

    const fileOf = async (format: string) => (await page.locator(`[data-testid="animate-file"][data-format="${format}"] code`).textContent())!.trim();
    const [gif, webm] = [await fileOf('gif'), await fileOf('webm')];
    expect(gif).toMatch(/exports.*\.gif$/);
    expect(webm).toMatch(/exports.*\.webm$/);
    expect(existsSync(gif)).toBe(true);

    // 2 transitions (3 → 7, 7 → back to 3) of 3 frames; frame 0 is seed 3, frame 3 is seed 7 (GIF palette aside).
    const meta = await sharp(gif).metadata();
    expect([meta.format, meta.pages, meta.width, meta.pageHeight ?? meta.height, meta.loop]).toEqual(['gif', 6, 32, 32, 0]);
    expect(meta.delay).toEqual(Array.from({ length: 6 }, () => expect.closeTo(1000 / 24, -1)));
    expect(meanAbsDiff(await gifFrame(gif, 0), seed3)).toBeLessThan(6);
    expect(meanAbsDiff(await gifFrame(gif, 3), seed7)).toBeLessThan(6);
    expect(meanAbsDiff(await gifFrame(gif, 1), seed3)).toBeGreaterThan(0.5); // in between: on its way

    const webmBytes = readFileSync(webm);
    expect(webmBytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML magic

    // The GIF plays in the view, from its asset.
    const shown = page.getByTestId('animate-gif');
    await expect.poll(() => shown.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 30_000 }).toBe(32);

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare(
          `SELECT g.params, a.id AS assetId, a.format, a.path, p.folder FROM generations g JOIN assets a ON a.id = g.output_asset_id
           JOIN projects p ON p.id = g.project_id WHERE p.name = 'Walks' AND g.operation = 'interpolate'`,
        )
        .all() as { params: string; assetId: number; format: string; path: string; folder: string }[];
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.format).toBe('gif');
      expect(String(row.assetId)).toBe(await shown.getAttribute('data-asset-id'));
      const params = JSON.parse(row.params) as { keyframes: unknown[]; framesPerTransition: number; loop: boolean; fps: number };
      expect(params).toMatchObject({
        keyframes: [
          { kind: 'seed', seed: 3, truncationPsi: 0.7 },
          { kind: 'seed', seed: 7, truncationPsi: 0.7 },
        ],
        framesPerTransition: 3,
        loop: true,
        fps: 24,
      });
      // The library's copy is the GIF written to exports, byte for byte.
      expect(readFileSync(path.resolve(session.home, 'library', row.folder, row.path)).equals(readFileSync(gif))).toBe(true);
    } finally {
      db.close();
    }
    expect(session.pageErrors).toEqual([]);
  });
});
