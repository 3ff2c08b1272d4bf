// End to end in Chromium: prepare a dataset from a folder of photos in the Train view, train a small pix2pix with
// live charts and sample grids, pause it, resume it to the end, and open the trained model in the Sketch view.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNoiseFolder } from '../support/images.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;
let photos: string;

beforeAll(async () => {
  session = await openStudioSession('train', async (home) => {
    photos = path.join(home, 'photos');
    await writeNoiseFolder(photos, 8, 80);
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
