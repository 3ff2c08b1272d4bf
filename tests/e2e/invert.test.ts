// End to end in Chromium: upload a picture in the Invert view, invert it into W+ of a real (tiny, untrained) StyleGAN2
// with live progress and preview frames, find the reconstruction and its latent in the library, open the latent in Mix
// (its preview is the reconstruction), and cancel a long inversion.
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
let picture: string;

beforeAll(async () => {
  session = await openStudioSession('invert', async (home) => {
    await writeTinyStyleGAN2Builtin(path.join(home, 'models'));
    // 64×48, not square: the studio inverts its centre square and says so.
    const [width, height] = [64, 48];
    const rgb = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) rgb.set([Math.round((255 * x) / width), Math.round((255 * y) / height), (x * y) % 2 === 0 ? 200 : 60], (y * width + x) * 3);
    }
    picture = path.join(home, 'portrait.png');
    await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(picture);
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

const view = () => page.getByTestId('invert-view');
const openView = (name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();

/** Waits for the inversion shown to reach `status`, saying what the screen and the studio showed if it does not. */
async function untilStatus(status: string, timeout: number): Promise<void> {
  await expect.poll(() => view().getAttribute('data-status'), { timeout, interval: 250 }).toBe(status).catch(async (err: unknown) => {
    const toasts = await page.locator('.toast, [role="alert"]').allTextContents();
    throw new Error(`${String(err)}\ntoasts: ${JSON.stringify(toasts)}\nstudio: ${session.studio.output().slice(-2000)}`);
  });
}

function openLibrary(): Database.Database {
  return new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
}

let reconstruction: Pixels;
let latentId: number;

describe('inversion in the browser window', () => {
  it('uploads a picture and inverts it into W+, with progress, live frames and PSNR/SSIM, then shows the reconstruction', async () => {
    await page.getByTestId('new-project-name').fill('Inversions');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Inversions');
    await openView(/Invert/);

    const select = page.getByTestId('invert-model-select');
    await expect.poll(() => select.locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Tiny StyleGAN2');
    await expect.poll(() => page.getByTestId('invert-start').isDisabled()).toBe(true); // no picture yet

    await page.getByTestId('invert-upload').setInputFiles(picture);
    await expect.poll(() => page.getByTestId('invert-target-name').textContent(), { timeout: 30_000 }).toBe('portrait.png');
    expect(await page.locator('[data-testid="invert-space"][data-space="w+"] input').isChecked()).toBe(true);
    await page.getByTestId('invert-steps').fill('40');

    // Frames and numbers come and go quickly on a 40-step run: record every one the page shows.
    await page.evaluate(() => {
      const seen = { maxStep: 0, previews: new Set<string>(), livePsnr: [] as string[], eta: false };
      (window as unknown as { inversionSeen: typeof seen }).inversionSeen = seen;
      const look = () => {
        const bar = document.querySelector('[data-testid="invert-progress"]');
        seen.maxStep = Math.max(seen.maxStep, Number(bar?.getAttribute('aria-valuenow') ?? 0));
        const preview = document.querySelector('[data-testid="invert-preview"]');
        if (preview) seen.previews.add(preview.getAttribute('data-step') ?? '');
        const psnr = document.querySelector('[data-testid="invert-live-psnr"]')?.textContent;
        if (psnr) seen.livePsnr.push(psnr);
        if (document.querySelector('[data-testid="invert-eta"]')) seen.eta = true;
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByTestId('invert-start').click();
    await untilStatus('succeeded', 150_000);

    const seen = await page.evaluate(() => {
      const s = (window as unknown as { inversionSeen: { maxStep: number; previews: Set<string>; livePsnr: string[]; eta: boolean } }).inversionSeen;
      return { maxStep: s.maxStep, previews: [...s.previews], livePsnr: s.livePsnr, eta: s.eta };
    });
    expect(seen.maxStep).toBe(40);
    expect(seen.previews.length).toBeGreaterThan(0); // a live reconstruction frame was shown while it ran
    expect(seen.livePsnr.some((t) => /^\d+\.\d\d dB$/.test(t))).toBe(true);
    expect(seen.eta).toBe(true);
    expect(await page.getByTestId('invert-progress').getAttribute('aria-valuenow')).toBe('40');
    expect(await page.getByTestId('invert-status').textContent()).toBe('Done');
    expect(await page.getByTestId('invert-notice').allTextContents()).toEqual([expect.stringContaining('64×48')]);

    // The final numbers and the reconstruction beside the picture.
    const psnr = Number(await page.getByTestId('invert-psnr').getAttribute('data-value'));
    expect(psnr).toBeGreaterThan(0);
    expect(await page.getByTestId('invert-psnr').textContent()).toBe(`${psnr.toFixed(2)} dB`);
    expect(Number(await page.getByTestId('invert-ssim').getAttribute('data-value'))).toBeGreaterThan(-1);
    reconstruction = await pixelsOf(page.getByTestId('invert-result'));
    expect([reconstruction.width, reconstruction.height]).toEqual([32, 32]);
    expect(spread(reconstruction)).toBeGreaterThan(1);
    const target = await pixelsOf(page.getByTestId('invert-target'));
    expect([target.width, target.height]).toEqual([64, 48]);
  });

  it('files the reconstruction as an "invert" generation of the picture, and its W+ latent with noise maps', async () => {
    const db = openLibrary();
    try {
      const generations = db
        .prepare(
          `SELECT g.id, g.params, a.path, a.origin, p.folder, gp.parent_asset_id AS parent, gp.role FROM generations g
           JOIN assets a ON a.id = g.output_asset_id JOIN projects p ON p.id = g.project_id
           JOIN generation_parents gp ON gp.generation_id = g.id
           WHERE p.name = 'Inversions' AND g.operation = 'invert'`,
        )
        .all() as { id: number; params: string; path: string; origin: string; folder: string; parent: number; role: string }[];
      expect(generations).toHaveLength(1);
      const generation = generations[0]!;
      const params = JSON.parse(generation.params) as { space: string; steps: number; latentId: number; psnr: number };
      expect(params).toMatchObject({ space: 'w+', steps: 40 });
      expect(params.psnr.toFixed(2)).toBe(Number(await page.getByTestId('invert-psnr').getAttribute('data-value')).toFixed(2));
      latentId = params.latentId;

      const uploaded = db.prepare(`SELECT id, name, origin FROM assets WHERE name = 'portrait.png'`).get() as { id: number; name: string; origin: string };
      expect(uploaded.origin).toBe('upload');
      expect([generation.parent, generation.role]).toEqual([uploaded.id, 'target']);

      // The file filed is the image shown.
      const saved = await sharp(path.resolve(session.home, 'library', generation.folder, generation.path)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(Array.from(saved.data)).toEqual(reconstruction.rgba);
      expect(generation.origin).toBe('generation');

      const latent = db.prepare(`SELECT kind, data, noise, source_asset_id AS source FROM latents WHERE id = ?`).get(latentId) as { kind: string; data: Buffer; noise: Buffer | null; source: number };
      expect(latent.kind).toBe('w+');
      expect(latent.data.byteLength).toBe(8 * 512 * 4); // 8 ws of 512 float32 for a 32 px model
      expect(latent.noise?.byteLength ?? 0).toBeGreaterThan(0);
      expect(latent.source).toBe(uploaded.id);
    } finally {
      db.close();
    }
  });

  it('"Open in Mix" makes the latent source A with every layer from it: the Mix preview is the reconstruction', async () => {
    await page.getByTestId('invert-open-mix').click();
    await expect.poll(() => page.getByTestId('mix-view').count(), { timeout: 30_000 }).toBe(1);
    const cardA = page.locator('[data-testid="mix-source"][data-letter="A"]');
    await expect.poll(() => cardA.textContent(), { timeout: 30_000 }).toContain(`Stored latent #${latentId}`);
    await expect.poll(() => page.locator('[data-testid="mix-preset"][data-preset="all-a"]').getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    expect(await page.getByTestId('mix-noise').inputValue()).toBe('const');

    const preview = page.getByTestId('mix-preview');
    const current = async () =>
      (await preview.count()) > 0 && (await preview.getAttribute('data-version')) === (await page.getByTestId('mix-view').getAttribute('data-mix-version'));
    await expect.poll(current, { timeout: 60_000 }).toBe(true);
    const mixed = await pixelsOf(preview);
    expect(difference(mixed, reconstruction)).toBeLessThan(1);
    // A's own thumbnail is the reconstruction too.
    const thumb = cardA.getByTestId('mix-source-thumb');
    await expect.poll(async () => (await thumb.count()) > 0 && (await thumb.getAttribute('data-current')) === 'true', { timeout: 30_000 }).toBe(true);
    expect(difference(await pixelsOf(thumb), reconstruction)).toBeLessThan(1);
  });

  it('cancels a long inversion: it stops well before its steps, and files no latent', async () => {
    await openView(/Invert/);
    // The view kept the picture and the finished run while Mix was shown.
    await expect.poll(() => page.getByTestId('invert-target-name').textContent()).toBe('portrait.png');
    expect(await view().getAttribute('data-status')).toBe('succeeded');
    await page.getByTestId('invert-steps').fill('5000');
    await page.getByTestId('invert-start').click();
    await untilStatus('running', 30_000);
    const bar = page.getByTestId('invert-progress');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(1);
    await page.getByTestId('invert-cancel').click();
    await untilStatus('cancelled', 60_000);
    const jobId = Number(await view().getAttribute('data-job-id'));
    expect(await page.getByTestId('invert-status').textContent()).toBe('Cancelled');
    await expect.poll(() => page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`).getAttribute('data-status')).toBe('cancelled');

    const db = openLibrary();
    try {
      const run = db.prepare(`SELECT kind, status, step, total FROM runs WHERE id = ?`).get(jobId) as { kind: string; status: string; step: number; total: number };
      expect(run).toMatchObject({ kind: 'stylegan.invert', status: 'cancelled', total: 5000 });
      expect(run.step).toBeLessThan(5000);
      const stoppedAt = run.step;
      // Stopped means stopped: no step is taken after the cancel.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect((db.prepare(`SELECT step FROM runs WHERE id = ?`).get(jobId) as { step: number }).step).toBe(stoppedAt);
      expect(db.prepare(`SELECT COUNT(*) AS n FROM latents`).get()).toEqual({ n: 1 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM generations WHERE operation = 'invert'`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    // The Start button is back for the next try.
    expect(await page.getByTestId('invert-start').isEnabled()).toBe(true);
    expect(session.pageErrors).toEqual([]);
  });
});
