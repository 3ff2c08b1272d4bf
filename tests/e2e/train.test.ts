// End to end in Chromium: prepare a dataset from a folder of photos in the Train view, train a small pix2pix with
// live charts and sample grids, pause it, resume it to the end, and open the trained model in the Sketch view; then
// train a tiny StyleGAN2 on a folder of images through its own form (stopped early and resumed), with its own loss
// names, a seed grid and what was read from the folder, and open its model in Generate; then grow a tiny PGGAN from
// 4 to 32 px through its form, with its WGAN-GP charts and the resolution it has reached.
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage, writeNoiseFolder } from '../support/images.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;
let photos: string;
let faces: string;
let pgFaces: string;

beforeAll(async () => {
  session = await openStudioSession('train', async (home) => {
    photos = path.join(home, 'photos');
    await writeNoiseFolder(photos, 8, 80);
    // StyleGAN2's folder: 8 square images of another size, one wide one and a file that is no image.
    faces = path.join(home, 'faces');
    await writeNoiseFolder(faces, 8, 40, 100);
    await writeFile(path.join(faces, 'wide.png'), await noiseImage(48, 36, 'png', 200));
    await writeFile(path.join(faces, 'notes.txt'), 'not an image');
    pgFaces = path.join(home, 'pgfaces');
    await writeNoiseFolder(pgFaces, 8, 32, 300);
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'no-models') };
  });
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

const runRow = () => page.getByTestId('train-run-row').first();

describe('training in the browser window', () => {
  it('prepares a dataset from a folder of photos', async () => {
    await page.getByTestId('new-project-name').fill('Training');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Training');
    await page.getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('dataset-name').fill('noise');
    await page.getByTestId('dataset-source-kind').selectOption('photos');
    await page.getByTestId('dataset-dir').fill(photos);
    await page.getByTestId('dataset-size').selectOption('64');
    await page.getByTestId('dataset-prepare').click();
    await expect.poll(() => page.locator('[data-testid="dataset-row"][data-name="noise"]').count(), { timeout: 60_000 }).toBe(1);
  });

  it('trains with a moving progress bar, loss charts and a sample grid, pauses and resumes to a model', async () => {
    await page.getByTestId('train-dataset-select').selectOption('noise');
    await page.getByTestId('train-name').fill('Noise sketches');
    await page.getByTestId('train-size').selectOption('64');
    for (const [id, value] of [['train-ngf', '8'], ['train-ndf', '8'], ['train-epochs', '6'], ['train-epochs-decay', '6'], ['train-sample-every', '4'], ['train-checkpoint-every', '1000']] as const) {
      await page.getByTestId(id).fill(value);
    }
    await page.getByTestId('train-start').click();
    const progress = page.getByTestId('train-progress');
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(4);
    await expect.poll(async () => Number(await page.getByTestId('loss-chart-g').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(4);
    await expect.poll(async () => Number(await page.getByTestId('train-sample').getAttribute('data-step')), { timeout: 30_000 }).toBeGreaterThan(0);
    const sampleLoaded = await page.getByTestId('train-sample').evaluate(async (img: HTMLImageElement) => (await img.decode().then(() => img.naturalWidth)) > 0);
    expect(sampleLoaded).toBe(true);

    await page.getByTestId('train-pause').click();
    await page.getByTestId('train-pause-confirm').click();
    await expect.poll(() => runRow().getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
    const pausedAt = Number(await progress.getAttribute('aria-valuenow'));
    expect(pausedAt).toBeGreaterThan(0);

    await page.getByTestId('train-resume').click();
    await expect.poll(() => runRow().getAttribute('data-status'), { timeout: 240_000 }).toBe('succeeded');
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(Number(await progress.getAttribute('aria-valuemax')));
  }, 300_000);

  it('opens the trained model in the Sketch view', async () => {
    await page.getByTestId('train-model-link').click();
    await expect.poll(() => page.getByTestId('sketch-model-select').locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Noise sketches');
    expect(session.pageErrors).toEqual([]);
  });
});

const views = () => page.getByRole('navigation', { name: 'Views' });
const styleganRow = () => page.locator('[data-testid="train-run-row"][data-family="stylegan2"]');

/** The opened run's sample grid: its size and how many distinct colours it holds (a blank grid has one). */
function sampleGridStats(): Promise<{ width: number; height: number; colours: number }> {
  return page.getByTestId('train-sample').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return { width: canvas.width, height: canvas.height, colours: colours.size };
  });
}

describe('training an image generator (StyleGAN2) in the browser window', () => {
  it('fills the StyleGAN2 form: a folder path, a suggested name, a size preset and tiny advanced numbers', async () => {
    await views().getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('train-family-stylegan2').check();
    // The pix2pix dataset panel makes way for the generator's own form.
    await expect.poll(() => page.getByTestId('dataset-prepare').count()).toBe(0);
    await page.getByTestId('train-sg-dataDir').fill(faces);
    await page.getByTestId('train-sg-dataDir').blur();
    await expect.poll(() => page.getByTestId('train-sg-name').inputValue()).toBe('faces model');
    await page.getByTestId('train-sg-name').fill('Noise faces');

    const preset = page.getByTestId('train-sg-preset');
    expect(await preset.inputValue()).toBe('small');
    await preset.selectOption('reference');
    expect(await page.getByTestId('train-sg-work').textContent()).toContain('about 16× Small at 64 px');
    await preset.selectOption('small');

    await page.getByTestId('train-sg-resolution').selectOption('32');
    await page.getByTestId('train-sg-advanced').locator('summary').click();
    for (const [field, value] of [
      ['channelBase', '256'],
      ['channelMax', '16'],
      ['mappingLayers', '2'],
      ['batchSize', '4'],
      ['totalKimg', '0.024'],
      ['sampleEvery', '3'],
      ['untilStep', '3'],
      ['kidImages', '16'],
    ] as const) {
      await page.getByTestId(`train-sg-${field}`).fill(value);
    }
    expect(await preset.inputValue()).toBe('custom');
    expect(await page.getByTestId('train-sg-length').textContent()).toContain('≈ 6 iterations of 4 images');
  });

  it('trains with its own loss names and a seed grid, stops where asked, resumes and finishes with a model', async () => {
    await page.getByTestId('train-start').click();
    const monitor = page.getByTestId('train-run');
    await expect.poll(async () => (await monitor.textContent()) ?? '', { timeout: 30_000 }).toContain('StyleGAN2 on “faces”');

    // Stopped after 3 of 6 iterations, with a checkpoint: its losses, seed grid and the folder's reading are shown.
    await expect.poll(() => styleganRow().getAttribute('data-status'), { timeout: 240_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('train-stopped-note').count(), { timeout: 30_000 }).toBe(1);
    const lossG = page.getByTestId('loss-chart-g');
    const lossD = page.getByTestId('loss-chart-d');
    await expect.poll(async () => Number(await lossG.getAttribute('data-points')), { timeout: 30_000 }).toBe(3);
    expect(await lossG.textContent()).toContain('G main');
    const dText = (await lossD.textContent()) ?? '';
    for (const name of ['D on real', 'D on fake', 'R1']) expect(dText).toContain(name);
    // dReal and dFake at each of 3 iterations, R1 at the first (lazy regularisation: every 16th).
    await expect.poll(async () => Number(await lossD.getAttribute('data-points')), { timeout: 30_000 }).toBe(7);
    await expect.poll(async () => Number(await page.getByTestId('train-sample').getAttribute('data-step')), { timeout: 30_000 }).toBe(3);
    const grid = await sampleGridStats();
    expect(grid.width).toBeGreaterThanOrEqual(4 * 32);
    expect(grid.height).toBeGreaterThanOrEqual(4 * 32);
    expect(grid.colours).toBeGreaterThan(64);

    const reading = page.getByTestId('train-run-dataset');
    await expect.poll(() => reading.count(), { timeout: 30_000 }).toBe(1);
    expect(Number(await reading.getAttribute('data-train')) + Number(await reading.getAttribute('data-test'))).toBe(9);
    const notices = await page.getByTestId('train-run-notice').allTextContents();
    expect(notices.join(' ')).toMatch(/1 image was not square/);
    expect(notices.join(' ')).toMatch(/9 images were resized to 32 px/);
    await page.getByTestId('train-run-skipped').locator('summary').click();
    expect(await page.getByTestId('train-run-skipped').textContent()).toContain('notes.txt');

    await page.getByTestId('train-resume').click();
    await expect.poll(() => page.getByTestId('train-model-link').count(), { timeout: 240_000 }).toBe(1);
    expect(await styleganRow().getAttribute('data-status')).toBe('succeeded');
    expect((await page.getByTestId('train-model-link').textContent())?.trim()).toBe('open in Generate');
    const progress = page.getByTestId('train-progress');
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(6);
    expect(Number(await progress.getAttribute('aria-valuemax'))).toBe(6);
    expect(await page.getByTestId('train-kimg').textContent()).toBe('0.024 / 0.024 kimg');
    await expect.poll(async () => Number(await lossG.getAttribute('data-points')), { timeout: 30_000 }).toBe(6);
    await expect.poll(async () => Number(await lossD.getAttribute('data-points')), { timeout: 30_000 }).toBe(13);
    await expect.poll(async () => Number(await page.getByTestId('train-sample').getAttribute('data-step')), { timeout: 30_000 }).toBe(6);
    expect((await sampleGridStats()).colours).toBeGreaterThan(64);
    // KID against the folder's images, measured once at the end (KID every 1000 > 6 iterations).
    await expect.poll(async () => Number(await page.getByTestId('kid-chart').getAttribute('data-points')), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('train-kid').textContent()).toMatch(/^KID -?\d/);
  }, 540_000);

  it('lists both runs with their kind, and the StyleGAN2 model in the library', async () => {
    const kinds = await page.getByTestId('train-run-row').evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute('data-family'), row.querySelector('[data-testid="train-run-kind"]')?.textContent?.trim()]),
    );
    expect(kinds).toEqual([
      ['stylegan2', 'StyleGAN2'],
      ['pix2pix', 'pix2pix'],
    ]);

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const models = db.prepare(`SELECT name, family, source FROM models ORDER BY id`).all();
      expect(models).toEqual([
        { name: 'Noise sketches', family: 'pix2pix', source: 'trained' },
        { name: 'Noise faces', family: 'stylegan2', source: 'trained' },
      ]);
    } finally {
      db.close();
    }

    await views().getByRole('button', { name: /Models/ }).click();
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 30_000 }).toBe(2);
    expect((await page.getByTestId('model-row').allTextContents()).some((row) => row.includes('Noise faces') && row.includes('stylegan2'))).toBe(true);
  });

  it('opens the trained generator in the Generate view', async () => {
    await views().getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('train-model-link').click();
    await expect.poll(() => page.getByTestId('generate-model-select').locator('option:checked').textContent(), { timeout: 30_000 }).toContain('Noise faces');
    expect(session.pageErrors).toEqual([]);
  });

  it('fine-tunes the trained generator on another folder: "Start from" offers its run and brings its network size', async () => {
    await views().getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('train-family-stylegan2').check();
    const startFrom = page.getByTestId('train-sg-fine-tune');
    await expect.poll(() => startFrom.locator('option').count(), { timeout: 30_000 }).toBe(2);
    const [scratch, run] = await startFrom.locator('option').allTextContents();
    expect(scratch).toBe('Random weights (a new model)');
    expect(run).toMatch(/^Noise faces · iteration [36] \(0\.0(12|24) kimg\)$/);
    // Another size first: choosing the run brings its own back.
    const advanced = page.getByTestId('train-sg-advanced');
    if (!(await advanced.evaluate((details) => (details as HTMLDetailsElement).open))) await advanced.locator('summary').click();
    await page.getByTestId('train-sg-resolution').selectOption('64');
    await page.getByTestId('train-sg-channelMax').fill('32');
    await startFrom.selectOption({ index: 1 });
    expect(await page.getByTestId('train-sg-resolution').inputValue()).toBe('32');
    expect(await page.getByTestId('train-sg-channelMax').inputValue()).toBe('16');
    await page.getByTestId('train-sg-dataDir').fill(pgFaces);
    await page.getByTestId('train-sg-name').fill('Tuned faces');
    await page.getByTestId('train-sg-totalKimg').fill('0.008');
    await page.getByTestId('train-sg-untilStep').fill('');

    await page.getByTestId('train-start').click();
    await expect.poll(async () => (await page.getByTestId('train-run').textContent()) ?? '', { timeout: 30_000 }).toContain('StyleGAN2 on “pgfaces”');
    await expect.poll(() => page.getByTestId('train-model-link').count(), { timeout: 240_000 }).toBe(1);
    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const [source, tuned] = db.prepare(`SELECT id, params, status, result FROM runs WHERE kind = 'train.stylegan2' AND json_extract(params, '$.resumeOf') IS NULL ORDER BY id`).all() as Array<{ id: number; params: string; status: string; result: string }>;
      expect(tuned!.status).toBe('succeeded');
      // The job names the source run's folder; the engine started from its latest checkpoint (2 iterations of its own).
      expect(JSON.parse(tuned!.params)['fineTuneFrom']).toMatch(new RegExp(`[/\\\\]runs[/\\\\]run-${source!.id}$`));
      expect(JSON.parse(tuned!.result)).toMatchObject({ step: 2 });
      expect(db.prepare(`SELECT name FROM models WHERE family = 'stylegan2' ORDER BY id`).all()).toEqual([{ name: 'Noise faces' }, { name: 'Tuned faces' }]);
    } finally {
      db.close();
    }
    expect(session.pageErrors).toEqual([]);
  }, 300_000);
});

describe('training a progressive GAN (PGGAN) in the browser window', () => {
  it('fills the PGGAN form: folder, suggested name, size presets and a tiny growing schedule', async () => {
    await views().getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('train-family-pggan').check();
    expect(await page.getByTestId('train-family').textContent()).toContain('growing from 4 px to the final size');
    await expect.poll(() => page.getByTestId('train-pggan-setup').count()).toBe(1);
    await page.getByTestId('train-pg-dataDir').fill(pgFaces);
    await page.getByTestId('train-pg-dataDir').blur();
    await expect.poll(() => page.getByTestId('train-pg-name').inputValue()).toBe('pgfaces model');
    await page.getByTestId('train-pg-name').fill('Noise PGGAN');

    const preset = page.getByTestId('train-pg-preset');
    expect(await preset.inputValue()).toBe('small');
    await preset.selectOption('reference');
    expect([await page.getByTestId('train-pg-fmapBase').inputValue(), await page.getByTestId('train-pg-fmapMax').inputValue()]).toEqual(['8192', '512']);
    await preset.selectOption('small');
    expect([await page.getByTestId('train-pg-fmapBase').inputValue(), await page.getByTestId('train-pg-fmapMax').inputValue()]).toEqual(['2048', '128']);

    await page.getByTestId('train-pg-resolution').selectOption('32');
    await page.getByTestId('train-pg-advanced').locator('summary').click();
    for (const [field, value] of [
      ['fmapBase', '64'],
      ['fmapMax', '16'],
      ['batchSize', '4'],
      ['lodTrainingKimg', '0.008'],
      ['lodTransitionKimg', '0.008'],
      ['totalKimg', '0.06'],
      ['sampleEvery', '5'],
      ['kidImages', '16'],
    ] as const) {
      await page.getByTestId(`train-pg-${field}`).fill(value);
    }
    expect(await preset.inputValue()).toBe('custom');
    expect(await page.getByTestId('train-pg-length').textContent()).toContain('≈ 15 iterations of 4 images');
    expect(await page.getByTestId('train-pg-schedule').textContent()).toContain('32 px is reached after 0.048 kimg');
  });

  it('grows to 32 px with loss, Wasserstein, penalty and resolution charts, and finishes with a model', async () => {
    await page.getByTestId('train-start').click();
    const monitor = page.getByTestId('train-run');
    await expect.poll(async () => (await monitor.textContent()) ?? '', { timeout: 30_000 }).toContain('PGGAN on “pgfaces”');
    const loss = page.getByTestId('loss-chart');
    await expect.poll(async () => Number(await loss.getAttribute('data-points')), { timeout: 240_000 }).toBeGreaterThan(0);

    await expect.poll(() => page.getByTestId('train-model-link').count(), { timeout: 480_000 }).toBe(1);
    expect((await page.getByTestId('train-model-link').textContent())?.trim()).toBe('open in Generate');
    const row = page.locator('[data-testid="train-run-row"][data-family="pggan"]');
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect((await row.getByTestId('train-run-kind').textContent())?.trim()).toBe('PGGAN');
    const progress = page.getByTestId('train-progress');
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(15);
    expect(Number(await progress.getAttribute('aria-valuemax'))).toBe(15);

    // Every iteration reports G and D losses, the Wasserstein estimate, the penalty, the resolution and its fade-in.
    await expect.poll(async () => Number(await loss.getAttribute('data-points')), { timeout: 30_000 }).toBe(30);
    expect(await loss.textContent()).toContain('G loss');
    for (const id of ['wasserstein-chart', 'penalty-chart']) {
      await expect.poll(async () => Number(await page.getByTestId(id).getAttribute('data-points')), { timeout: 30_000 }).toBe(15);
    }
    const resolution = page.getByTestId('resolution-chart');
    await expect.poll(async () => Number(await resolution.getAttribute('data-points')), { timeout: 30_000 }).toBe(30);
    expect(await resolution.getAttribute('data-last-step')).toBe('15');
    const reached = page.getByTestId('train-resolution');
    expect(await reached.getAttribute('data-resolution')).toBe('32');
    expect((await reached.textContent())?.trim()).toBe('at 32 px');
    await expect.poll(async () => Number(await page.getByTestId('kid-chart').getAttribute('data-points')), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => Number(await page.getByTestId('train-sample').getAttribute('data-step')), { timeout: 30_000 }).toBe(15);
    expect((await sampleGridStats()).colours).toBeGreaterThan(16);

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const models = db.prepare(`SELECT name, family, source FROM models WHERE family = 'pggan'`).all();
      expect(models).toEqual([{ name: 'Noise PGGAN', family: 'pggan', source: 'trained' }]);
    } finally {
      db.close();
    }
    expect(session.pageErrors).toEqual([]);
  }, 600_000);
});
