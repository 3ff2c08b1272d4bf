// End to end in Chromium: upload two small pictures, select both, "Upscale…" ×4 with the Slim ESRGAN, wait for the
// job, and find two new pictures in the library, four times larger, drawing their sources, each filed as an 'upscale'
// generation whose parent is its source.
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('upscale');
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

/** A smooth picture (diagonal colour ramps) so that a good upscale, shrunk back, matches it closely. */
function ramp(width: number, height: number, hue: number): Promise<Buffer> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = Math.round((255 * x) / (width - 1));
      rgb[i + 1] = Math.round((255 * y) / (height - 1));
      rgb[i + 2] = hue;
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function rgbOf(file: string, resize?: { width: number; height: number }): Promise<Buffer> {
  const image = sharp(file).removeAlpha();
  return (resize ? image.resize(resize.width, resize.height, { kernel: 'lanczos3' }) : image).raw().toBuffer();
}

/** Mean absolute difference of two same-size RGB buffers, in [0, 255]. */
function difference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

interface UpscaleRow {
  sourceName: string;
  sourcePath: string;
  outputPath: string;
  width: number;
  height: number;
  origin: string;
  params: string;
  folder: string;
}

function upscaleRows(): UpscaleRow[] {
  const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT s.name AS sourceName, s.path AS sourcePath, o.path AS outputPath, o.width, o.height, o.origin, g.params, p.folder
         FROM generations g
         JOIN generation_parents gp ON gp.generation_id = g.id
         JOIN assets s ON s.id = gp.parent_asset_id
         JOIN assets o ON o.id = g.output_asset_id
         JOIN projects p ON p.id = g.project_id
         WHERE g.operation = 'upscale' ORDER BY s.name`,
      )
      .all() as UpscaleRow[];
  } finally {
    db.close();
  }
}

const tiles = () => page.getByTestId('asset-tile');

describe('upscaling library pictures in the browser window', () => {
  it('creates a project and uploads two small pictures', async () => {
    await page.getByTestId('new-project-name').fill('Upscales');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Upscales');
    const wide = path.join(session.home, 'wide.png');
    const square = path.join(session.home, 'square.png');
    await writeFile(wide, await ramp(40, 30, 40));
    await writeFile(square, await ramp(24, 24, 200));
    await page.getByTestId('file-input').setInputFiles([wide, square]);
    await expect.poll(() => tiles().count(), { timeout: 30_000 }).toBe(2);
  });

  it('keeps "Upscale…" disabled, with a tooltip saying why, while nothing is selected', async () => {
    const button = page.getByTestId('upscale-open');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('title')).toMatch(/select/i);
  });

  it('upscales both ×4 with the Slim model and shows the new pictures', async () => {
    await tiles().nth(0).click();
    await tiles().nth(1).click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('[data-testid="asset-tile"][aria-pressed="true"]').count()).toBe(2);
    await page.getByTestId('upscale-open').click();
    await page.getByTestId('upscale-scale-4').check();
    await page.getByTestId('upscale-model-slim').check();
    await page.getByTestId('upscale-start').click();
    await expect.poll(() => page.getByTestId('upscale-dialog').count()).toBe(0);

    const row = page.locator('[data-testid="job-row"]').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 240_000, interval: 500 }).toBe('succeeded');
    await expect.poll(() => page.locator('.toast').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/Upscaled 2 pictures ×4\./));
    // The job's end is a library change: the grid reloads with the two new pictures, sized as they are.
    await expect.poll(() => tiles().count(), { timeout: 30_000 }).toBe(4);
    const sizes = await page.locator('[data-testid="asset-tile"] .size').allTextContents();
    expect(sizes.sort()).toEqual(['160×120', '24×24', '40×30', '96×96']);
    await expect
      .poll(
        () =>
          page.$$eval('[data-testid="asset-tile"] img', (imgs) =>
            imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length,
          ),
        { timeout: 30_000 },
      )
      .toBe(4);
  }, 300_000);

  it('files each as an upscale generation of its source, four times larger, drawing the same picture', async () => {
    const rows = upscaleRows();
    expect(rows.map((r) => [r.sourceName, r.width, r.height, r.origin])).toEqual([
      ['square.png', 96, 96, 'generation'],
      ['wide.png', 160, 120, 'generation'],
    ]);
    for (const row of rows) {
      expect(JSON.parse(row.params)).toMatchObject({ model: 'esrgan-slim', scale: 4 });
      const folder = path.resolve(session.home, 'library', row.folder);
      const output = path.join(folder, row.outputPath);
      const meta = await sharp(output).metadata();
      expect([meta.width, meta.height]).toEqual([row.width, row.height]);
      // Shrunk back to the source's size, the result is the source, give or take ESRGAN's sharpening.
      const source = await rgbOf(path.join(folder, row.sourcePath));
      const sourceMeta = await sharp(path.join(folder, row.sourcePath)).metadata();
      const shrunk = await rgbOf(output, { width: sourceMeta.width!, height: sourceMeta.height! });
      expect(difference(shrunk, source)).toBeLessThan(12);
      // Not a flat or unrelated image: the ramps' other end is far away.
      expect(difference(shrunk, Buffer.from(source).reverse())).toBeGreaterThan(40);
    }
  });

  it('raised no page errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
