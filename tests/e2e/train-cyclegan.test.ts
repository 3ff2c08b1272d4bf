// End to end in Chromium: train a tiny CycleGAN from the Train view on two unpaired folders (coloured squares and
// coloured circles, one broken file): the form's checks and labels, live charts of both generators, both
// discriminators, cycle and identity losses, a sample grid of both cycles, what was read from each folder, Pause and
// Resume to the end, and the finished model in the library, opened in Transfer.
import Database from 'better-sqlite3';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

const SIDE = 40;
const COLOURS: readonly [number, number, number][] = [
  [220, 40, 40],
  [40, 180, 60],
  [40, 80, 220],
  [230, 200, 40],
  [200, 60, 200],
  [40, 200, 200],
];

/** A SIDE × SIDE PNG: a filled square or disc of `colour` on a light background. */
function shapeImage(shape: 'square' | 'circle', colour: readonly [number, number, number]): Promise<Buffer> {
  const pixels = Buffer.alloc(SIDE * SIDE * 3, 235);
  const centre = (SIDE - 1) / 2;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = shape === 'square' ? Math.max(Math.abs(x - centre), Math.abs(y - centre)) <= 12 : Math.hypot(x - centre, y - centre) <= 13;
      if (inside) pixels.set(colour, (y * SIDE + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toBuffer();
}

async function writeShapes(dir: string, shape: 'square' | 'circle'): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [i, colour] of COLOURS.entries()) await writeFile(path.join(dir, `${shape}-${i}.png`), await shapeImage(shape, colour));
}

let session: StudioSession;
let page: Page;
let squares: string;
let circles: string;

beforeAll(async () => {
  session = await openStudioSession('train-cyclegan', async (home) => {
    squares = path.join(home, 'squares');
    circles = path.join(home, 'circles');
    await writeShapes(squares, 'square');
    await writeShapes(circles, 'circle');
    // A PNG signature and nothing usable after it: listed as skipped, not a failure.
    await writeFile(path.join(circles, 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really')]));
    return { GAN_STUDIO_MODELS_DIR: path.join(home, 'no-models') };
  });
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

const views = () => page.getByRole('navigation', { name: 'Views' });
const runRow = () => page.locator('[data-testid="train-run-row"][data-family="cyclegan"]');
const points = async (testid: string): Promise<number> => Number(await page.getByTestId(testid).getAttribute('data-points'));

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

function withDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('training an unpaired translation (CycleGAN) in the browser window', () => {
  it('offers CycleGAN, checks its form as typed and names the model after both folders', async () => {
    await page.getByTestId('new-project-name').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Shapes');
    await views().getByRole('button', { name: /Train/ }).click();
    await page.getByRole('radio', { name: /Unpaired translation \(CycleGAN\)/ }).check();
    const form = page.getByTestId('train-cyclegan-setup');
    await expect.poll(() => form.count()).toBe(1);
    expect(await page.getByTestId('dataset-prepare').count()).toBe(0);
    expect(await form.textContent()).toContain('the two folders need not match');

    // Start with nothing typed: every problem shows, and the focus goes to the first field to fix.
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('train-cg-dataA');
    expect(await page.getByTestId('train-cg-dataA').getAttribute('aria-invalid')).toBe('true');
    const alerts = await form.getByRole('alert').allTextContents();
    expect(alerts).toEqual(expect.arrayContaining(['Type or paste the folder’s path.', expect.stringMatching(/^Name the model/)]));

    // Labels name the controls: fill by label, as a screen reader user would reach them.
    await page.getByLabel('Folder A').fill(squares);
    await page.getByLabel('Folder B').fill(squares);
    await page.getByLabel('Folder B').blur();
    await expect.poll(() => form.getByRole('alert').allTextContents()).toContain('Folder B must differ from folder A.');
    await page.getByLabel('Folder B').fill(circles);
    await page.getByLabel('Folder B').blur();
    await expect.poll(() => page.getByLabel('Model name').inputValue()).toBe('squares ↔ circles model');
    await page.getByLabel('Model name').fill('Squares to circles');

    await page.getByLabel('Image size').selectOption('32');
    for (const [field, value] of [
      ['ngf', '4'],
      ['ndf', '4'],
      ['nBlocks', '1'],
      ['epochs', '1'],
      ['epochsDecay', '1'],
    ] as const) {
      await page.getByTestId(`train-cg-${field}`).fill(value);
    }
    await page.getByTestId('train-cg-lambdaIdentity').fill('11');
    await page.getByTestId('train-cg-lambdaIdentity').blur();
    await expect.poll(() => form.getByRole('alert').allTextContents()).toEqual(['From 0 to 10.']);
    await page.getByTestId('train-cg-lambdaIdentity').fill('0.5');
    await page.getByTestId('train-cg-advanced').locator('summary').click();
    await page.getByLabel('Sample every (steps)').fill('2');
    await page.getByLabel('Checkpoint every (steps)').fill('1000');
    await page.getByTestId('train-cg-nBlocks').blur();
    expect(await form.getByRole('alert').count()).toBe(0);
  });

  it('trains with its own charts, a sample grid of both cycles and what it read from each folder; pauses and resumes', async () => {
    await page.getByTestId('train-start').click();
    const monitor = page.getByTestId('train-run');
    await expect.poll(async () => (await monitor.textContent()) ?? '', { timeout: 30_000 }).toContain('CycleGAN on “squares ↔ circles” · 32 px · ngf 4 · 1 ResNet block · batch 1');

    // Pause as soon as the first losses arrive: the run is short.
    await expect.poll(() => points('loss-chart-g'), { timeout: 90_000 }).toBeGreaterThan(0);
    await page.getByTestId('train-pause').click();
    await page.getByTestId('train-pause-confirm').click();
    await expect.poll(() => runRow().getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
    await expect.poll(() => page.getByTestId('train-paused-note').count()).toBe(1);
    const pausedAt = Number(/Paused at step (\d+)\./.exec((await page.getByTestId('train-paused-note').textContent()) ?? '')?.[1]);
    expect(pausedAt).toBeGreaterThan(0);

    // Every step reports both generators, both discriminators, both cycles and both identities, and the rate.
    const perStep = { 'loss-chart-g': 2, 'loss-chart-d': 2, 'cycle-chart': 4, 'lr-chart': 1 };
    for (const [id, n] of Object.entries(perStep)) await expect.poll(() => points(id), { timeout: 30_000 }).toBe(pausedAt * n);
    const titles = await Promise.all(Object.keys(perStep).map((id) => page.getByTestId(id).textContent()));
    expect(titles.join(' ')).toMatch(/G_A: A → B.*G_B: B → A.*D_A.*D_B.*Cycle A → B → A.*Cycle B → A → B.*Identity G_A\(B\) ≈ B/s);

    // The grid: rows A → B → A then B → A → B, 3 tiles of 32 px with 2 px gaps, 2 rows per folder.
    await expect.poll(async () => (await page.getByTestId('train-sample').getAttribute('data-step')) ?? '', { timeout: 30_000 }).toMatch(/^\d+$/);
    const grid = await sampleGridStats();
    expect([grid.width, grid.height]).toEqual([3 * 32 + 2 * 2, 4 * 32 + 3 * 2]);
    expect(grid.colours).toBeGreaterThan(64);
    expect(await page.getByTestId('train-sample').getAttribute('alt')).toMatch(/rows A → B → A, then B → A → B/);

    // What it read: six images per folder (some may be held out), the broken file skipped, the resizing noted.
    const domains = await page.getByTestId('train-run-domain').evaluateAll((items) =>
      items.map((li) => [li.getAttribute('data-domain'), Number(li.getAttribute('data-train')) + Number(li.getAttribute('data-test'))]),
    );
    expect(domains).toEqual([
      ['A', 6],
      ['B', 6],
    ]);
    expect(await page.getByTestId('train-run-domain').first().textContent()).toMatch(/A: trains on \d images/);
    const notices = await page.getByTestId('train-run-notice').allTextContents();
    expect(notices).toEqual(expect.arrayContaining(['A: 6 images were resized to 36 px.', 'B: 6 images were resized to 36 px.']));
    await page.getByTestId('train-run-skipped').locator('summary').click();
    expect(await page.getByTestId('train-run-skipped').textContent()).toContain('B: broken.png');

    await page.getByTestId('train-resume').click();
    await expect.poll(() => page.getByTestId('train-model-link').count(), { timeout: 120_000 }).toBe(1);
    expect(await runRow().getAttribute('data-status')).toBe('succeeded');
    const progress = page.getByTestId('train-progress');
    const total = Number(await progress.getAttribute('aria-valuemax'));
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(total);
    // Two epochs of the larger folder's training images, one image per step.
    const largest = Math.max(...(await page.getByTestId('train-run-domain').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-train'))))));
    expect(total).toBe(2 * largest);
    expect(await page.getByTestId('train-step').textContent()).toContain('epoch 2 / 2');
    for (const [id, n] of Object.entries(perStep)) await expect.poll(() => points(id), { timeout: 30_000 }).toBe(total * n);
    await expect.poll(async () => Number(await page.getByTestId('train-sample').getAttribute('data-step')), { timeout: 30_000 }).toBe(total);
    expect((await sampleGridStats()).colours).toBeGreaterThan(64);
    expect((await runRow().getByTestId('train-run-kind').textContent())?.trim()).toBe('CycleGAN');

    // The library: one run of two jobs (paused, then resumed to the end), every step's losses once, the learning
    // rate constant for the first epoch and halved in the decay epoch, and the model.
    const rows = withDatabase((db) => {
      const runs = db.prepare(`SELECT id, kind, status, params FROM runs WHERE kind = 'train.cyclegan' ORDER BY id`).all() as { id: number; kind: string; status: string; params: string }[];
      const root = runs[0]!.id;
      const lr = db.prepare(`SELECT step, value FROM metrics WHERE run_id = ? AND name = 'lr' ORDER BY step`).all(root) as { step: number; value: number }[];
      const losses = db.prepare(`SELECT name, COUNT(*) AS n, COUNT(DISTINCT step) AS steps FROM metrics WHERE run_id = ? AND name != 'lr' GROUP BY name ORDER BY name`).all(root);
      const models = db.prepare(`SELECT name, family, source FROM models`).all();
      return { runs, lr, losses, models };
    });
    expect(rows.runs.map((r) => [r.status, JSON.parse(r.params).resumeOf ?? null])).toEqual([
      ['cancelled', null],
      ['succeeded', rows.runs[0]!.id],
    ]);
    expect(JSON.parse(rows.runs[0]!.params)).toMatchObject({ dataA: squares, dataB: circles, imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, lambdaIdentity: 0.5, epochs: 1, epochsDecay: 1, sampleEvery: 2 });
    expect(rows.losses).toEqual(['cycleA', 'cycleB', 'dA', 'dB', 'gA', 'gB', 'idtA', 'idtB'].map((name) => ({ name, n: total, steps: total })));
    expect(rows.lr.map((p) => p.step)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(rows.lr[0]!.value).toBeCloseTo(2e-4, 10);
    expect(rows.lr[total - 1]!.value).toBeCloseTo(1e-4, 10);
    expect(rows.models).toEqual([{ name: 'Squares to circles', family: 'cyclegan', source: 'trained' }]);
  }, 240_000);

  it('opens the finished model in Transfer, chosen there', async () => {
    const link = page.getByTestId('train-model-link');
    expect((await link.textContent())?.trim()).toBe('open in Transfer');
    const modelId = await link.getAttribute('data-model-id');
    await link.click();
    await expect.poll(() => page.getByTestId('transfer-view').count(), { timeout: 30_000 }).toBe(1);
    const select = page.getByTestId('transfer-model-select');
    await expect.poll(() => select.inputValue(), { timeout: 30_000 }).toBe(modelId);
    expect(await select.locator('option:checked').textContent()).toContain('Squares to circles');
    expect(session.pageErrors).toEqual([]);
  });
});
