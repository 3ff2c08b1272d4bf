// Assets: added from ingested images, deduplicated by content, listed newest first, deleted with their files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestImageBytes } from '../../../main/data/image-ingest.js';
import { noiseImage } from '../../support/images.js';
import { errorOf, openLibraryFixture, type LibraryFixture } from './library-fixture.js';

describe('assets', () => {
  let fx: LibraryFixture;
  let projectId: number;
  beforeEach(() => {
    fx = openLibraryFixture();
    projectId = fx.library.createProject('p').id;
  });
  afterEach(() => fx.dispose());

  it('adds an ingested image and returns it as the contract describes', async () => {
    const { asset, duplicate } = await fx.addImage(projectId, 1);
    expect(duplicate).toBe(false);
    expect(asset).toMatchObject({ projectId, name: 'img-1.png', width: 32, height: 24, format: 'png', origin: 'import', tags: [] });
    expect(fx.library.getAsset(asset.id)).toEqual(asset);
    expect(errorOf(() => fx.library.getAsset(999)).code).toBe('NOT_FOUND');
  });

  it('returns the existing asset for the same content, under any name, without a second row', async () => {
    const bytes = await noiseImage(16, 16, 'png', 9);
    const folder = fx.library.getProject(projectId).folder;
    const first = fx.library.addIngestedAsset(projectId, await ingestImageBytes(bytes, 'one.png', folder), 'upload');
    const again = fx.library.addIngestedAsset(projectId, await ingestImageBytes(bytes, 'two.png', folder), 'import');
    expect(again).toEqual({ asset: first.asset, duplicate: true });
    expect(fx.library.listAssets(projectId, { limit: 10, offset: 0 }).total).toBe(1);
    // another project gets its own copy
    const other = fx.library.createProject('other');
    const there = fx.library.addIngestedAsset(other.id, await ingestImageBytes(bytes, 'one.png', other.folder), 'import');
    expect(there.duplicate).toBe(false);
  });

  it('refuses records whose paths leave the project and unknown projects', async () => {
    const { asset } = await fx.addImage(projectId, 1);
    const img = { name: 'x.png', contentHash: 'c'.repeat(64), path: '../../x.png', thumbPath: 'thumbs/x.webp', width: 1, height: 1, format: 'png' };
    expect(errorOf(() => fx.library.addIngestedAsset(projectId, img, 'import')).code).toBe('PATH_OUTSIDE_PROJECT');
    expect(errorOf(() => fx.library.addIngestedAsset(777, { ...img, path: 'a.png' }, 'import')).code).toBe('NOT_FOUND');
    expect(fx.library.listAssets(projectId, { limit: 10, offset: 0 }).items).toEqual([asset]);
  });

  it('lists newest first with paging and a total', async () => {
    const ids: number[] = [];
    for (let seed = 1; seed <= 5; seed++) ids.push((await fx.addImage(projectId, seed)).asset.id);
    const page = fx.library.listAssets(projectId, { limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.items.map((a) => a.id)).toEqual([ids[3], ids[2]]);
    expect(fx.library.listAssets(projectId, { limit: 10, offset: 0 }).items.map((a) => a.id)).toEqual([...ids].reverse());
    expect(errorOf(() => fx.library.listAssets(projectId, { limit: 0, offset: 0 })).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.listAssets(404, { limit: 1, offset: 0 })).code).toBe('NOT_FOUND');
  });

  it('gives absolute file paths inside the project, and refuses a tampered stored path', async () => {
    const { asset } = await fx.addImage(projectId, 1);
    const folder = fx.library.getProject(projectId).folder;
    const full = fx.library.assetFilePath(asset.id, 'full');
    const thumb = fx.library.assetFilePath(asset.id, 'thumb');
    expect(full).toBe(path.join(folder, asset.path));
    expect(thumb.startsWith(path.join(folder, 'thumbs'))).toBe(true);
    expect(fs.existsSync(full) && fs.existsSync(thumb)).toBe(true);
    fx.raw().prepare('UPDATE assets SET path = ? WHERE id = ?').run('../../../../etc/passwd', asset.id);
    expect(errorOf(() => fx.library.assetFilePath(asset.id, 'full')).code).toBe('PATH_OUTSIDE_PROJECT');
  });

  it('deletes rows and their files, ignoring ids of other projects, and keeps files another project uses', async () => {
    const other = fx.library.createProject('other');
    const a = (await fx.addImage(projectId, 1)).asset;
    const b = (await fx.addImage(projectId, 2)).asset;
    const elsewhere = (await fx.addImage(other.id, 1)).asset; // same bytes as `a`, in another project
    const aFiles = [fx.library.assetFilePath(a.id, 'full'), fx.library.assetFilePath(a.id, 'thumb')];
    const otherFile = fx.library.assetFilePath(elsewhere.id, 'full');

    expect(fx.library.deleteAssets(projectId, [a.id, a.id, elsewhere.id, 999])).toBe(1);
    expect(aFiles.map((f) => fs.existsSync(f))).toEqual([false, false]);
    expect(fs.existsSync(otherFile)).toBe(true);
    expect(fx.library.getAsset(elsewhere.id).id).toBe(elsewhere.id);
    expect(fx.library.listAssets(projectId, { limit: 10, offset: 0 }).items.map((x) => x.id)).toEqual([b.id]);
    expect(fs.existsSync(fx.library.assetFilePath(b.id, 'full'))).toBe(true);
  });

  it('deletes the row even when its file is already gone', async () => {
    const { asset } = await fx.addImage(projectId, 1);
    fs.rmSync(fx.library.assetFilePath(asset.id, 'full'));
    expect(fx.library.deleteAssets(projectId, [asset.id])).toBe(1);
  });
});
