// End to end through the real back end and renderer in Chromium: create a project, import by file input and by
// drag-drop, see thumbnails, run a long import job, watch its progress bar move, cancel it, see it cancelled; delete a project.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage, writeNoiseFolder } from '../support/images.js';
import { openStudioSession, type StudioSession } from './support/studio-app.js';

let session: StudioSession;
let page: Page;

beforeAll(async () => {
  session = await openStudioSession('library');
  page = session.page;
}, 120_000);
afterAll(() => session?.close());

async function loadedThumbnails(): Promise<number> {
  return page.$$eval('[data-testid="asset-tile"] img', (imgs) =>
    imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length,
  );
}

describe('library in the browser window', () => {
  it('creates a project', async () => {
    await page.getByTestId('new-project-name').fill('Emoji sketches');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('project-select').locator('option:checked').textContent()).toContain('Emoji sketches');
  });

  it('imports images through the file input and shows their thumbnails', async () => {
    const dir = path.join(session.home, 'picked');
    const files = await writeNoiseFolder(dir, 3, 96, 500);
    await page.getByTestId('file-input').setInputFiles(files);
    await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(loadedThumbnails, { timeout: 30_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/Imported 3/);
  });

  it('imports images dropped onto the grid, listing a non-image it refused', async () => {
    const png = (await noiseImage(80, 60, 'png', 900)).toString('base64');
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      dt.items.add(new File(['hello'], 'readme.txt', { type: 'text/plain' }));
      return dt;
    }, png);
    const grid = page.getByTestId('asset-grid');
    await grid.dispatchEvent('dragenter', { dataTransfer });
    await grid.dispatchEvent('dragover', { dataTransfer });
    await grid.dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(loadedThumbnails, { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/readme\.txt/);
  });

  it('runs a long import job with a moving progress bar, cancels it, and keeps it cancelled after reload', async () => {
    const dir = path.join(session.home, 'big-folder');
    await writeNoiseFolder(dir, 100, 1024, 2000);
    await page.getByTestId('import-folder-button').click();
    await page.getByTestId('import-folder-path').fill(dir);
    await page.getByTestId('import-folder-start').click();

    const row = page.getByTestId('job-row').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    const bar = row.getByTestId('job-progress');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    const first = Number(await bar.getAttribute('aria-valuenow'));
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(first);
    expect(Number(await bar.getAttribute('aria-valuemax'))).toBe(100);

    await row.getByTestId('job-cancel').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    const jobId = await row.getAttribute('data-job-id');

    await page.reload();
    const persisted = page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
    await expect.poll(() => persisted.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    // What the job finished before the cancel stays in the library.
    await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 }).toBeGreaterThan(4);
  });

  it('tags a selected asset, filters by the tag, and deletes it', async () => {
    const before = await page.getByTestId('asset-tile').count();
    await page.getByTestId('asset-tile').first().click();
    await page.getByTestId('tag-input').fill('keeper');
    await page.getByTestId('tag-apply').click();
    await expect.poll(() => page.getByTestId('tag-filter').locator('option').allTextContents()).toContain('keeper (1)');
    await page.getByTestId('tag-filter').selectOption('keeper');
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('asset-tile').first().click();
    await page.getByTestId('delete-selected').click();
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(0);
    await page.getByTestId('tag-filter').selectOption('');
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(before - 1);
  });

  it('deletes a project from the picker and lists it no more', async () => {
    const select = page.getByTestId('project-select');
    await page.getByTestId('new-project-name').fill('Scratch');
    await page.getByTestId('create-project').click();
    await expect.poll(() => select.locator('option:checked').textContent()).toContain('Scratch');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('delete-project').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Deleted the project “Scratch”.' }).count()).toBe(1);
    await expect.poll(() => select.locator('option').allTextContents()).not.toContainEqual(expect.stringContaining('Scratch'));
    expect(await select.locator('option:checked').textContent()).toContain('Emoji sketches');
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('shows the engine backend in the status bar and raised no page errors', async () => {
    await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toMatch(/cpu/i);
    expect((await page.pageErrors({ filter: 'all' })).map((e) => e.message)).toEqual([]);
  });
});
