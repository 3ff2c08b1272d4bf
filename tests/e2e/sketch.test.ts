// End to end in Chromium: draw on the Sketch view's canvas with the mouse, see the real engine's rendering appear and
// follow the strokes, undo, save into the library and export with the recipe embedded.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngText } from '../../main/generation/png-text.js';
import { writeTinyPix2pixBuiltin } from '../support/tiny-models.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('sketch', async (home) => {
    await writeTinyPix2pixBuiltin(path.join(home, 'models'), { imageSize: 64 });
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

/** Drags the mouse through `points` given in fractions (0..1) of the drawing square. */
async function stroke(points: Array<[number, number]>): Promise<void> {
  const box = (await page.getByTestId('sketch-stage').boundingBox())!;
  const at = ([x, y]: [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

/** The result image once it shows the sketch as it is now: its data URL and its pixels' statistics. */
async function currentResult(): Promise<{ src: string; std: number }> {
  const stage = page.getByTestId('sketch-stage');
  const result = page.getByTestId('sketch-result');
  await expect
    .poll(async () => (await result.count()) > 0 && (await result.getAttribute('data-sketch-version')) === (await stage.getAttribute('data-sketch-version')), { timeout: 30_000 })
    .toBe(true);
  return result.evaluate(async (img: HTMLImageElement) => {
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
    return { src: img.src, std: Math.sqrt(squares / n - (sum / n) ** 2) };
  });
}

describe('sketch view in the browser window', () => {
  it('opens the Sketch view with the shipped model chosen', async () => {
    await page.getByTestId('new-project-name').fill('Sketches');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Sketches');
    await page.getByRole('button', { name: /Sketch/ }).click();
    await expect.poll(() => page.getByTestId('sketch-model-select').locator('option:checked').textContent()).toContain('Tiny sketch model');
  });

  it('renders a non-blank image after a stroke, changes it with the next stroke, and undo brings the first back', async () => {
    await stroke([[0.2, 0.2], [0.8, 0.25], [0.75, 0.8], [0.25, 0.75], [0.2, 0.2]]);
    const first = await currentResult();
    expect(first.std).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('sketch-render-ms').getAttribute('data-ms')).not.toBeNull();

    await stroke([[0.1, 0.9], [0.9, 0.1]]);
    expect(await page.getByTestId('sketch-stage').getAttribute('data-stroke-count')).toBe('2');
    const second = await currentResult();
    expect(second.src).not.toBe(first.src);

    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('sketch-stage').getAttribute('data-stroke-count')).toBe('1');
    const undone = await currentResult();
    expect(undone.src).toBe(first.src); // same sketch, same image: the model runs without dropout
  });

  it('saves the result into the library and exports it as PNG with the recipe embedded', async () => {
    await page.getByTestId('sketch-save').click();
    await page.getByTestId('export-format').selectOption('png');
    await page.getByTestId('sketch-export').click();
    const exportPath = page.getByTestId('sketch-export-path');
    await expect.poll(() => exportPath.textContent(), { timeout: 30_000 }).toMatch(/exports.*\.png$/);
    const file = (await exportPath.textContent())!.trim();
    expect(existsSync(file)).toBe(true);
    const recipe = JSON.parse(readPngText(readFileSync(file))['gan-studio']!) as { generation: { operation: string } };
    expect(recipe.generation.operation).toBe('sketch2photo');

    await page.getByRole('button', { name: /Library/ }).click();
    await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 }).toBe(2); // the sketch and its rendering

    // Selected alone, the rendering tells how it was made (from which sketch, by which model); the sketch was drawn.
    const tiles = page.getByTestId('asset-tile');
    const told: Array<{ id: string; parent: string | null }> = [];
    for (const i of [0, 1]) {
      await tiles.nth(i).click();
      const lineage = page.getByTestId('lineage');
      await expect.poll(async () => (await lineage.getByTestId('lineage-step').count()) + (await lineage.getByTestId('lineage-none').count()), { timeout: 30_000 }).toBe(1);
      const step = lineage.getByTestId('lineage-step');
      told.push({ id: (await tiles.nth(i).getAttribute('data-asset-id'))!, parent: (await step.count()) === 1 ? await step.getByTestId('lineage-parent').getAttribute('data-asset-id') : null });
      if ((await step.count()) === 1) {
        expect(await step.getAttribute('data-operation')).toBe('sketch2photo');
        expect(await step.textContent()).toContain('Tiny sketch model');
      }
    }
    const rendering = told.find((t) => t.parent !== null)!;
    const drawn = told.find((t) => t.parent === null)!;
    expect(rendering.parent).toBe(drawn.id);
    expect(session.pageErrors).toEqual([]);
  });

  it('exports the model to ONNX from the Models view, checked against the studio', async () => {
    await page.getByRole('button', { name: /Models/ }).click();
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('model-export-onnx').click();
    const result = page.getByTestId('model-export-result');
    await expect.poll(() => result.count(), { timeout: 60_000 }).toBe(1);
    expect(Number(await result.getAttribute('data-max-abs-diff'))).toBeLessThan(1e-4);
    const file = (await result.locator('code').textContent())!.trim();
    expect(file).toMatch(/exports.*\.onnx$/);
    expect(existsSync(file) && existsSync(`${file}.json`)).toBe(true);

    // Importing the exported file back lists it as an imported model; a wrong path says why, in place.
    await page.getByTestId('model-import-path').fill(`${file}.missing`);
    await page.getByTestId('model-import').click();
    await expect.poll(() => page.getByTestId('model-import-error').textContent(), { timeout: 30_000 }).toMatch(/There is no ONNX file/);
    await page.getByTestId('model-import-path').fill(file);
    await page.getByTestId('model-import').click();
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 60_000 }).toBe(2);
    expect(session.pageErrors).toEqual([]);
  });

  it('renders the sketch with the re-imported ONNX file exactly as with the model it was exported from', async () => {
    const rows = page.getByTestId('model-row');
    /** Opens row `index`'s model in Sketch and returns the RGB of its rendering of the sketch in place. */
    const renderingWith = async (index: number): Promise<Buffer> => {
      await page.getByRole('button', { name: /Models/ }).click();
      const modelId = await rows.nth(index).getAttribute('data-model-id');
      await rows.nth(index).getByRole('button', { name: 'Open in Sketch' }).click();
      const result = page.locator(`[data-testid="sketch-result"][data-model-id="${modelId}"]`);
      await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1);
      const src = (await result.getAttribute('src'))!;
      return sharp(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64')).removeAlpha().raw().toBuffer();
    };
    const [studioModel, reimported] = [await renderingWith(0), await renderingWith(1)];
    expect(reimported.length).toBe(64 * 64 * 3);
    // Within one level of 255 (a last-bit float difference on a rounding edge); the export reported |Δ| < 1e-4.
    expect(studioModel.reduce((worst, v, i) => Math.max(worst, Math.abs(v - reimported[i]!)), 0)).toBeLessThanOrEqual(1);
    expect(session.pageErrors).toEqual([]);
  });
});
