// End to end in Chromium with the shipped StyleGAN2 emoji models: "Start from" in Train offers both (they keep their
// discriminator), picking one brings its network size into the form, and a run on the artist's own folder starts
// from its networks and ends with a model of its own.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNoiseFolder } from '../support/images.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;
let pictures: string;

beforeAll(async () => {
  // The studio's shipped models (assets/models), as an artist gets them.
  session = await openStudioSession('fine-tune-emoji', async (home) => {
    pictures = path.join(home, 'my-pictures');
    await writeNoiseFolder(pictures, 3, 64, 500);
    return {};
  });
  page = session.page;
}, 180_000);
afterAll(() => session?.close());

describe('fine-tuning a shipped StyleGAN2 emoji model on the artist\'s own pictures', () => {
  it('offers the shipped models as a start, takes on their network, and trains a model of its own from them', async () => {
    await page.getByTestId('new-project-name').fill('My generator');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('My generator');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Train/ }).click();
    await page.getByTestId('train-family-stylegan2').check();

    const startFrom = page.getByTestId('train-sg-fine-tune');
    await expect.poll(() => startFrom.locator('optgroup[label="Models"] option').count(), { timeout: 30_000 }).toBe(2);
    expect((await startFrom.locator('optgroup[label="Models"] option').allTextContents()).sort()).toEqual(['Emoji objects (shipped) · 64 px', 'Emoji smileys (shipped) · 64 px']);
    await page.getByTestId('train-sg-resolution').selectOption('128');
    await startFrom.selectOption({ label: 'Emoji smileys (shipped) · 64 px' });
    expect(await page.getByTestId('train-sg-resolution').inputValue()).toBe('64');
    await page.getByTestId('train-sg-advanced').locator('summary').click();
    expect([await page.getByTestId('train-sg-channelBase').inputValue(), await page.getByTestId('train-sg-channelMax').inputValue(), await page.getByTestId('train-sg-mappingLayers').inputValue()]).toEqual(['1024', '64', '2']);

    await page.getByTestId('train-sg-dataDir').fill(pictures);
    await page.getByTestId('train-sg-dataDir').blur();
    await expect.poll(() => page.getByTestId('train-sg-name').inputValue()).toBe('my-pictures model'); // suggested from the folder
    await page.getByTestId('train-sg-name').fill('My smileys');
    // One iteration of 16 images and a small KID sample: the run, not the result, is what this checks.
    await page.getByTestId('train-sg-totalKimg').fill('0.016');
    await page.getByTestId('train-sg-kidImages').fill('16');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-model-link').count(), { timeout: 300_000 }).toBe(1);

    const db = new Database(path.join(session.home, 'library', 'library.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const run = db.prepare(`SELECT params, status, result FROM runs WHERE kind = 'train.stylegan2'`).get() as { params: string; status: string; result: string };
      expect(run.status).toBe('succeeded');
      expect(JSON.parse(run.params)['fineTuneFrom']).toMatch(/[/\\]emoji-smileys-64$/);
      expect(JSON.parse(run.result)).toMatchObject({ step: 1 });
      expect(db.prepare(`SELECT name, source FROM models WHERE project_id IS NOT NULL`).all()).toEqual([{ name: 'My smileys', source: 'trained' }]);
    } finally {
      db.close();
    }
    expect(session.pageErrors).toEqual([]);
  }, 600_000);
});
