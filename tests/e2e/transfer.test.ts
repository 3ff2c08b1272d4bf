// End to end in Chromium: the Transfer view with a real (tiny, untrained) CycleGAN. A folder with a subfolder, a picture
// that is not square and a broken file translated A → B: progress to the total, the outputs, the broken file named,
// a before/after divider moved with the keyboard (read back through its canvas), 'transfer' generations with their
// sources in SQLite and suffixed PNGs in the export folder. Then B → A on library pictures chosen in the picker, into
// a chosen folder, giving other pixels; a batch of 30 larger pictures cancelled after its first result; and a picture
// dropped onto the source added to the library and to the batch.
import Database from 'better-sqlite3';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage, writeNoiseFolder } from '../support/images.js';
import { writeTinyCycleGANBuiltin } from '../support/tiny-models.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

const SIZE = 32; // the tiny CycleGAN's side
const SOURCES = ['a.png', 'b.png', 'sub/c.png', 'wide.png'];

let session: StudioSession;
let page: Page;
let horses: string; // 4 pictures (one in a subfolder, one 48×40) and a broken file
let many: string; // 30 pictures of 768×768: slow enough to decode and store that a cancel comes in time

beforeAll(async () => {
  session = await openStudioSession('transfer', async (home) => {
    await writeTinyCycleGANBuiltin(path.join(home, 'models'), { imageSize: SIZE });
    horses = path.join(home, 'horses');
    await mkdir(path.join(horses, 'sub'), { recursive: true });
    await writeFile(path.join(horses, 'a.png'), await noiseImage(SIZE, SIZE, 'png', 1));
    await writeFile(path.join(horses, 'b.png'), await noiseImage(SIZE, SIZE, 'png', 2));
    await writeFile(path.join(horses, 'sub', 'c.png'), await noiseImage(SIZE, SIZE, 'png', 3));
    await writeFile(path.join(horses, 'wide.png'), await noiseImage(48, 40, 'png', 4));
    await writeFile(path.join(horses, 'broken.png'), (await noiseImage(SIZE, SIZE, 'png', 5)).subarray(0, 100));
    many = path.join(home, 'many');
    await writeNoiseFolder(many, 30, 768, 100);
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'models') };
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

interface Pixels {
  width: number;
  height: number;
  rgb: number[];
}

/** A PNG file's RGB pixels, as sharp decodes them. */
async function filePixels(file: string): Promise<Pixels> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgb: Array.from(data) };
}

/** What the compare divider's canvas shows now, RGB. */
function comparePixels(): Promise<Pixels> {
  return page.getByTestId('transfer-compare-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, rgb: Array.from(data).filter((_, i) => i % 4 !== 3) };
  });
}

/** Mean absolute difference of two same-size images' RGB values over the columns [x0, x1). */
function difference(a: Pixels, b: Pixels, x0 = 0, x1 = a.width): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let i = (y * a.width + x0) * 3; i < (y * a.width + x1) * 3; i++, count++) sum += Math.abs(a.rgb[i]! - b.rgb[i]!);
  }
  return sum / count;
}

const view = () => page.getByTestId('transfer-view');
const results = () => page.getByTestId('transfer-result');
const slider = () => page.getByTestId('transfer-compare');

/** Starts a batch with the view's settings and waits for it to reach `status`, saying what the screen showed if not. */
async function runBatch(status: string, whileRunning?: () => Promise<void>): Promise<number> {
  const before = await view().getAttribute('data-job-id');
  await page.getByTestId('transfer-start').click();
  await expect.poll(() => view().getAttribute('data-job-id'), { timeout: 30_000 }).not.toBe(before);
  await whileRunning?.();
  await expect.poll(() => view().getAttribute('data-status'), { timeout: 90_000, interval: 200 }).toBe(status).catch(async (err: unknown) => {
    const alerts = await page.locator('.toast, [role="alert"]').allTextContents();
    throw new Error(`${String(err)}\nalerts: ${JSON.stringify(alerts)}\nstudio: ${session.studio.output().slice(-2000)}`);
  });
  return Number(await view().getAttribute('data-job-id'));
}

interface TransferRow {
  jobId: number;
  direction: string;
  sourceName: string;
  sourceOrigin: string;
  outputOrigin: string;
}

function transferRows(): TransferRow[] {
  const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT g.params, s.name AS sourceName, s.origin AS sourceOrigin, o.origin AS outputOrigin
         FROM generations g
         JOIN generation_parents gp ON gp.generation_id = g.id
         JOIN assets s ON s.id = gp.parent_asset_id
         JOIN assets o ON o.id = g.output_asset_id
         WHERE g.operation = 'transfer' ORDER BY g.id`,
      )
      .all() as { params: string; sourceName: string; sourceOrigin: string; outputOrigin: string }[];
    return rows.map(({ params, ...row }) => {
      const { jobId, direction } = JSON.parse(params) as { jobId: number; direction: string };
      return { jobId, direction, ...row };
    });
  } finally {
    db.close();
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

let atoBDir: string;
let atoBJob: number;

describe('transfer in the browser window', () => {
  it('opens Transfer with Ctrl+5 and lists the CycleGAN', async () => {
    await page.getByTestId('new-project-name').fill('Horses');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Horses');
    await page.keyboard.press('Control+5');
    await expect.poll(() => view().count()).toBe(1);
    await expect.poll(() => page.getByTestId('transfer-model-select').locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Tiny CycleGAN');
    expect(await page.getByTestId('transfer-start').isDisabled()).toBe(true); // no folder typed yet
  });

  it('translates a folder A → B with its subfolder, to the total, and names the broken file', async () => {
    await page.getByTestId('transfer-source-folder').check();
    await page.getByTestId('transfer-folder-path').fill(horses);
    expect(await page.getByTestId('transfer-folder-recursive').isChecked()).toBe(true);
    await page.getByTestId('transfer-direction-AtoB').check();
    // A five-picture batch is over in moments: record what the page shows while it runs.
    await page.evaluate(() => {
      const seen = { maxStep: 0, eta: false };
      (window as unknown as { transferSeen: typeof seen }).transferSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="transfer-progress"]');
        seen.maxStep = Math.max(seen.maxStep, Number(bar?.getAttribute('aria-valuenow') ?? 0));
        if (document.querySelector('[data-testid="transfer-eta"]')) seen.eta = true;
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    atoBJob = await runBatch('succeeded');

    const seen = await page.evaluate(() => (window as unknown as { transferSeen: { maxStep: number; eta: boolean } }).transferSeen);
    expect(seen).toEqual({ maxStep: 5, eta: true });
    const bar = page.getByTestId('transfer-progress');
    expect([await bar.getAttribute('aria-valuenow'), await bar.getAttribute('aria-valuemax')]).toEqual(['5', '5']);
    expect(await page.getByTestId('transfer-status').textContent()).toBe('Done');
    expect(await page.getByTestId('transfer-summary').textContent()).toBe('Translated 4 pictures A → B; 1 picture could not be translated.');

    await expect.poll(() => results().count()).toBe(4);
    expect((await results().evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-name')))).sort()).toEqual(SOURCES);
    const rejected = page.getByTestId('transfer-rejected');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.getAttribute('data-name')).toBe('broken.png');
    expect(await rejected.textContent()).toContain('broken.png');
    // wide.png (48×40): its centre square, 40 px, is resized to the model's 32.
    expect(await page.getByTestId('transfer-notice').allTextContents()).toEqual(['1 image was not square: centre-cropped to a square.', '1 image was resized to 32 px.']);

    atoBDir = (await page.getByTestId('transfer-export-path').textContent())!;
    expect(path.basename(atoBDir)).toBe(`transfer-${atoBJob}`);
    expect(atoBDir.startsWith(path.join(session.home, 'library'))).toBe(true);
    expect(await filesUnder(atoBDir)).toEqual(['a-AtoB.png', 'b-AtoB.png', path.join('sub', 'c-AtoB.png'), 'wide-AtoB.png']);
  }, 120_000);

  it('compares a result with its source: left of the divider the source, right the output, moved by the keyboard', async () => {
    const source = await filePixels(path.join(horses, 'a.png'));
    const output = await filePixels(path.join(atoBDir, 'a-AtoB.png'));
    expect(difference(source, output)).toBeGreaterThan(20); // noise and a generator's pattern: far apart

    await page.locator('[data-testid="transfer-result"][data-name="a.png"]').click();
    await expect.poll(() => slider().getAttribute('data-ready')).toBe('true');
    expect(await slider().getAttribute('role')).toBe('slider');
    expect([await slider().getAttribute('aria-valuenow'), await slider().getAttribute('data-split')]).toEqual(['50', '16']);
    let shown = await comparePixels();
    expect(difference(shown, source, 0, 16)).toBeLessThan(1);
    expect(difference(shown, output, 16, SIZE)).toBeLessThan(1);

    // Four steps right (5% each): columns 16–21 turn from the output into the source.
    await slider().focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => slider().getAttribute('aria-valuenow')).toBe('70');
    expect(await slider().getAttribute('data-split')).toBe('22');
    shown = await comparePixels();
    expect(difference(shown, source, 0, 22)).toBeLessThan(1);
    expect(difference(shown, output, 22, SIZE)).toBeLessThan(1);
    expect(difference(shown, output, 16, 22)).toBeGreaterThan(20);

    await page.keyboard.press('Home'); // all output
    await expect.poll(() => slider().getAttribute('data-split')).toBe('0');
    expect(difference(await comparePixels(), output)).toBeLessThan(1);
  });

  it("files each output as a 'transfer' generation of its source", () => {
    const rows = transferRows();
    expect(rows.map((r) => r.sourceName).sort()).toEqual(SOURCES);
    for (const row of rows) expect(row).toMatchObject({ jobId: atoBJob, direction: 'AtoB', sourceOrigin: 'import', outputOrigin: 'generation' });
  });

  it('translates library pictures chosen in the picker B → A into a chosen folder, with other pixels', async () => {
    await page.getByTestId('transfer-source-library').check();
    await page.getByTestId('transfer-pick-library').click();
    const picker = page.getByTestId('transfer-asset-picker');
    await expect.poll(() => picker.getByTestId('transfer-asset').count(), { timeout: 30_000 }).toBe(8); // 4 sources, 4 outputs
    for (const name of SOURCES) await picker.locator(`[data-testid="transfer-asset"][title="${name}"]`).click();
    expect(await picker.locator('[aria-pressed="true"]').count()).toBe(4);
    await page.getByTestId('transfer-asset-picker-confirm').click();
    expect(await page.getByTestId('transfer-picked-count').textContent()).toBe('4 pictures');

    const zebras = path.join(session.home, 'zebras');
    await page.getByTestId('transfer-direction-BtoA').check();
    await page.getByTestId('transfer-export-dir').fill(zebras);
    const jobId = await runBatch('succeeded');
    await expect.poll(() => results().count()).toBe(4);
    expect(await page.getByTestId('transfer-summary').textContent()).toBe('Translated 4 pictures B → A.');
    expect(await page.getByTestId('transfer-export-path').textContent()).toBe(zebras);
    expect(await filesUnder(zebras)).toEqual(['a-BtoA.png', 'b-BtoA.png', path.join('sub', 'c-BtoA.png'), 'wide-BtoA.png']);

    // What the compare shows of a.png, all output: G_B's picture, not G_A's.
    await page.locator('[data-testid="transfer-result"][data-name="a.png"]').click();
    await expect.poll(() => slider().getAttribute('data-ready')).toBe('true');
    await slider().focus();
    await page.keyboard.press('Home');
    await expect.poll(() => slider().getAttribute('data-split')).toBe('0');
    const shown = await comparePixels();
    expect(difference(shown, await filePixels(path.join(zebras, 'a-BtoA.png')))).toBeLessThan(1);
    expect(difference(shown, await filePixels(path.join(atoBDir, 'a-AtoB.png')))).toBeGreaterThan(5);

    // The same source assets are the parents: nothing was imported again.
    const rows = transferRows().filter((r) => r.jobId === jobId);
    expect(rows.map((r) => r.sourceName).sort()).toEqual(SOURCES);
    for (const row of rows) expect(row).toMatchObject({ direction: 'BtoA', sourceOrigin: 'import' });
  }, 120_000);

  it('cancels a batch of 30 after its first result and keeps what was done', async () => {
    await page.getByTestId('transfer-source-folder').check();
    await page.getByTestId('transfer-folder-path').fill(many);
    await page.getByTestId('transfer-export-dir').fill('');
    await page.getByTestId('transfer-direction-AtoB').check();
    const jobId = await runBatch('cancelled', async () => {
      await page.getByTestId('transfer-live-output').first().waitFor({ timeout: 60_000 });
      await page.getByTestId('transfer-cancel').click();
    });

    expect(await page.getByTestId('transfer-status').textContent()).toBe('Cancelled');
    const summary = (await page.getByTestId('transfer-summary').textContent())!;
    const done = Number(/^Cancelled after (\d+) of 30 pictures: /.exec(summary)?.[1]);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(30);
    // The bar ends on what was handled, not on the last (throttled) progress report.
    expect(await page.getByTestId('transfer-progress').getAttribute('aria-valuenow')).toBe(String(done));
    expect(summary).toMatch(/kept\.$/);
    await expect.poll(() => results().count()).toBe(done);
    const exportDir = (await page.getByTestId('transfer-export-path').textContent())!;
    expect(path.basename(exportDir)).toBe(`transfer-${jobId}`);
    expect(await filesUnder(exportDir)).toEqual(Array.from({ length: done }, (_, i) => `noise-${String(i).padStart(4, '0')}-AtoB.png`));
    expect(transferRows().filter((r) => r.jobId === jobId)).toHaveLength(done);
  }, 120_000);

  it('adds pictures dropped onto the source to the library and to the chosen ones', async () => {
    await page.getByTestId('transfer-source-library').check();
    expect(await page.getByTestId('transfer-picked-count').textContent()).toBe('4 pictures');
    const png = (await noiseImage(SIZE, SIZE, 'png', 900)).toString('base64');
    const dataTransfer = await page.evaluateHandle((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
      return dt;
    }, png);
    const source = page.getByTestId('transfer-source');
    for (const type of ['dragenter', 'dragover', 'drop']) await source.dispatchEvent(type, { dataTransfer });
    await expect.poll(() => page.getByTestId('transfer-picked-count').textContent(), { timeout: 30_000 }).toBe('5 pictures');
    expect(await page.getByTestId('transfer-picked').getByRole('img', { name: 'dropped.png' }).count()).toBe(1);
  });

  it('raised no page errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
