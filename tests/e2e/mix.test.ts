// End to end in Chromium: style-mix two seeds of a real (tiny, untrained) StyleGAN2 in the Mix view, drag a layer
// slider and see the preview change, check "All A" draws exactly source A's image, and save the mix to the library
// with every layer weight recorded.
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { difference, pixelsOf, spread, type Pixels } from './support/page-pixels.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('mix', async (home) => {
    await writeTinyStyleGAN2Builtin(path.join(home, 'models'));
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

const view = () => page.getByTestId('mix-view');
const preview = () => page.getByTestId('mix-preview');
const layerSlider = (layer: number) => page.locator(`[data-testid="mix-layer-slider"][data-layer="${layer}"]`);
const sourceCard = (letter: string) => page.locator(`[data-testid="mix-source"][data-letter="${letter}"]`);

/** The preview once it shows the mix as it is set now (every change bumps the view's version). */
async function currentPreview(): Promise<Pixels> {
  const current = async () => (await preview().count()) > 0 && (await preview().getAttribute('data-version')) === (await view().getAttribute('data-mix-version'));
  await expect.poll(current, { timeout: 30_000 }).toBe(true).catch(async (err: unknown) => {
    // Say what the screen showed: a failed render, a stuck request, or a toast.
    const shown = await page.evaluate(() => ({
      preview: document.querySelector('[data-testid="mix-preview"]')?.getAttribute('data-version'),
      wanted: document.querySelector('[data-testid="mix-view"]')?.getAttribute('data-mix-version'),
      busy: document.querySelector('[data-testid="mix-busy"]')?.className,
      toasts: Array.from(document.querySelectorAll('[role="alert"], .toast'), (el) => el.textContent?.trim()),
    }));
    throw new Error(`${String(err)}\nscreen: ${JSON.stringify(shown)}\nstudio: ${session.studio.output().slice(-2000)}`);
  });
  return pixelsOf(preview());
}

/** A source's thumbnail once it shows that source's current seed and ψ. */
async function currentThumb(letter: string): Promise<Pixels> {
  const thumb = sourceCard(letter).getByTestId('mix-source-thumb');
  await expect.poll(async () => (await thumb.count()) > 0 && (await thumb.getAttribute('data-current')) === 'true', { timeout: 30_000 }).toBe(true);
  return pixelsOf(thumb);
}

describe('style mixing in the browser window', () => {
  it('opens Mix with the StyleGAN2 model, and mixes two seeds into a non-blank preview', async () => {
    await page.getByTestId('new-project-name').fill('Mixes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Mixes');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Mix/ }).click();

    const select = page.getByTestId('mix-model-select');
    await expect.poll(() => select.locator('option').allTextContents(), { timeout: 30_000 }).toEqual([expect.stringContaining('Tiny StyleGAN2')]);
    await select.selectOption({ index: 0 });
    await expect.poll(() => select.locator('option:checked').textContent()).toContain('Tiny StyleGAN2');

    await sourceCard('A').getByTestId('mix-seed').fill('11');
    await sourceCard('B').getByTestId('mix-seed').fill('42');
    const [a, b] = [await currentThumb('A'), await currentThumb('B')];
    expect([a.width, a.height]).toEqual([32, 32]);
    expect(difference(a, b)).toBeGreaterThan(1); // two seeds, two images

    // A 32 px model has 8 w layers: 3 coarse (4–8 px) and 5 middle (16–32 px); no fine ones, so no Fine group.
    await expect.poll(() => page.getByTestId('mix-layer-slider').count(), { timeout: 30_000 }).toBe(8);
    expect(await page.getByTestId('mix-group').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-group')))).toEqual(['coarse', 'middle']);
    expect(await page.locator('[data-testid="mix-preset"][data-preset="fine-b"]').count()).toBe(0);

    const mixed = await currentPreview();
    expect([mixed.width, mixed.height]).toEqual([32, 32]);
    expect(spread(mixed)).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('mix-ms').getAttribute('data-ms')).not.toBeNull();
  });

  it('follows a layer slider dragged with the mouse, and a keyboard step', async () => {
    const before = await currentPreview();
    const slider = layerSlider(4); // a middle layer, all A in the starting "Coarse from B" blend
    expect(await slider.inputValue()).toBe('0');
    const box = (await slider.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 6 });
    // Mid-drag, button still down: the preview has already caught up with the slider (it follows input events).
    const halfway = Number(await slider.inputValue());
    expect(halfway).toBeGreaterThan(0.3);
    expect(halfway).toBeLessThan(0.7);
    const midDrag = await currentPreview();
    expect(difference(before, midDrag)).toBeGreaterThan(0.2);
    await page.mouse.move(box.x + box.width - 2, y, { steps: 6 });
    await page.mouse.up();
    expect(Number(await slider.inputValue())).toBeGreaterThan(0.9);
    const dragged = await currentPreview();
    expect(difference(midDrag, dragged)).toBeGreaterThan(0.2);
    expect(difference(before, dragged)).toBeGreaterThan(0.5);

    await layerSlider(0).focus();
    await page.keyboard.press('Home'); // layer 0 back to all A
    expect(await layerSlider(0).inputValue()).toBe('0');
    expect(await page.locator('[data-testid="mix-layer-value"][data-layer="0"]').textContent()).toBe('0 %');
    const stepped = await currentPreview();
    expect(difference(dragged, stepped)).toBeGreaterThan(0.5);
  });

  it('"All A" draws exactly source A\'s image', async () => {
    await page.locator('[data-testid="mix-preset"][data-preset="all-a"]').click();
    await expect.poll(() => page.locator('[data-testid="mix-preset"][data-preset="all-a"]').getAttribute('aria-pressed')).toBe('true');
    const allA = await currentPreview();
    const a = await currentThumb('A');
    expect(allA.rgba).toEqual(a.rgba);
    // And "All B" is B's image: the preset really switches source.
    await page.locator('[data-testid="mix-preset"][data-preset="all-b"]').click();
    expect((await currentPreview()).rgba).toEqual((await currentThumb('B')).rgba);
  });

  it('saves the mix with Ctrl+S: the asset and its mix generation with every layer weight are in the library', async () => {
    // Coarse from B, then the middle layers half way: a blend worth recording.
    await page.locator('[data-testid="mix-preset"][data-preset="coarse-b"]').click();
    await page.locator('[data-testid="mix-group-slider"][data-group="middle"]').fill('0.5');
    const shown = await currentPreview();
    await page.getByTestId('mix-seed').first().focus(); // the shortcut works from inside a field too
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('mix-save').textContent(), { timeout: 30_000 }).toContain('Saved');

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare(
          `SELECT g.operation, g.params, a.path, a.width, a.origin, p.folder FROM generations g
           JOIN assets a ON a.id = g.output_asset_id JOIN projects p ON p.id = g.project_id WHERE p.name = 'Mixes'`,
        )
        .all() as { operation: string; params: string; path: string; width: number; origin: string; folder: string }[];
      expect(rows.map((r) => r.operation)).toEqual(['mix']);
      const row = rows[0]!;
      expect([row.width, row.origin]).toEqual([32, 'generation']);
      const params = JSON.parse(row.params) as { sources: { kind: string; seed: number; truncationPsi: number }[]; layerWeights: number[][]; noiseMode: string };
      expect(params.sources.map((s) => [s.kind, s.seed])).toEqual([['seed', 11], ['seed', 42]]);
      expect(params.noiseMode).toBe('const');
      expect(params.layerWeights).toEqual([[0, 1], [0, 1], [0, 1], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);

      // The file saved is the image the preview showed (the project folder is relative to the library's home).
      const saved = await sharp(path.resolve(session.home, 'library', row.folder, row.path)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([saved.info.width, saved.info.height]).toEqual([32, 32]);
      expect(Array.from(saved.data)).toEqual(shown.rgba);
    } finally {
      db.close();
    }

  });

  it('blends three sources in the weight table, keeping every row at 100 %', async () => {
    const twoWay = await currentPreview();
    await page.getByTestId('mix-add-source').click();
    await expect.poll(() => page.getByTestId('mix-source').count()).toBe(3);
    await expect.poll(() => page.getByTestId('mix-weight-table').count()).toBe(1);
    expect(await page.getByTestId('mix-layer-slider').count()).toBe(0);
    await currentThumb('C');
    // C joins at 0 % everywhere: the picture stays.
    expect((await currentPreview()).rgba).toEqual(twoWay.rgba);

    const cell = (layer: number, source: number) => page.locator(`[data-testid="mix-layer-weight"][data-layer="${layer}"][data-source="${source}"]`);
    const rowOf = async (layer: number) => Promise.all([0, 1, 2].map(async (s) => Number(await cell(layer, s).inputValue())));
    await cell(0, 2).fill('100');
    await cell(0, 2).press('Tab');
    await expect.poll(() => rowOf(0)).toEqual([0, 0, 100]);
    const withC = await currentPreview();
    expect(difference(twoWay, withC)).toBeGreaterThan(0.5);

    const middleC = page.locator('[data-testid="mix-group-weight"][data-group="middle"][data-source="2"]');
    await middleC.fill('50');
    await middleC.press('Tab');
    for (const layer of [3, 4, 5, 6, 7]) await expect.poll(() => rowOf(layer)).toEqual([25, 25, 50]);
    await currentPreview();

    // Removing C hands its share back to the others in proportion: back to two sources and their sliders.
    await sourceCard('C').getByTestId('mix-source-remove').click();
    await expect.poll(() => page.getByTestId('mix-layer-slider').count()).toBe(8);
    expect(await layerSlider(0).inputValue()).toBe('0'); // layer 0 was all C: it falls back to A
    expect(await layerSlider(4).inputValue()).toBe('0.5');
    await currentPreview();

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Library/ }).click();
    await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 }).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });
});
