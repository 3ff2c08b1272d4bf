// Projects: rows and folders created and deleted together, names unique regardless of case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openLibraryFixture, type LibraryFixture } from './library-fixture.js';

describe('projects', () => {
  let fx: LibraryFixture;
  beforeEach(() => {
    fx = openLibraryFixture();
  });
  afterEach(() => fx.dispose());

  it('creates a project with its folder tree and returns it with an absolute folder', () => {
    const project = fx.library.createProject('  Été à Paris!  ');
    expect(project).toMatchObject({ name: 'Été à Paris!', assetCount: 0 });
    expect(project.folder).toBe(path.join(fx.home, 'projects', `${project.id}-ete-a-paris`));
    expect(fs.readdirSync(project.folder).sort()).toEqual(['assets', 'exports', 'models', 'thumbs']);
    expect(new Date(project.createdAt).toISOString()).toBe(project.createdAt);
    expect(fx.raw().prepare('SELECT folder FROM projects').get()).toEqual({ folder: `projects/${project.id}-ete-a-paris` });
    expect(fx.library.getProject(project.id)).toEqual(project);
  });

  it('refuses a name that differs only in case, in any script, and an empty name', () => {
    fx.library.createProject('Été');
    const err = errorOf(() => fx.library.createProject('éTÉ'));
    expect(err.code).toBe('ALREADY_EXISTS');
    expect(err.message).toContain('Été');
    expect(errorOf(() => fx.library.createProject('   ')).code).toBe('INVALID_PARAMS');
    expect(fx.library.listProjects()).toHaveLength(1);
  });

  it('lists projects by name with their asset counts', async () => {
    const b = fx.library.createProject('beta');
    const a = fx.library.createProject('Alpha');
    await fx.addImage(b.id, 1);
    await fx.addImage(b.id, 2);
    expect(fx.library.listProjects().map((p) => [p.name, p.assetCount])).toEqual([
      ['Alpha', 0],
      ['beta', 2],
    ]);
    expect(fx.library.getProject(a.id).assetCount).toBe(0);
  });

  it('reports an unknown project as NOT_FOUND', () => {
    expect(errorOf(() => fx.library.getProject(42)).code).toBe('NOT_FOUND');
    expect(fx.library.deleteProject(42)).toBe(false);
  });

  it('deletes the rows (assets, tags, runs) and the folder, and never reuses the id', async () => {
    const keep = fx.library.createProject('keep');
    const doomed = fx.library.createProject('doomed');
    const { asset } = await fx.addImage(doomed.id, 3);
    fx.library.tagAssets(doomed.id, [asset.id], 'cat', false);
    fx.library.createRun(doomed.id, 'library.importFolder', { path: '/photos', recursive: true });
    expect(fx.library.deleteProject(doomed.id)).toBe(true);
    expect(fs.existsSync(doomed.folder)).toBe(false);
    expect(fs.readdirSync(path.join(fx.home, 'projects'))).toEqual([path.basename(keep.folder)]);
    for (const table of ['assets', 'tags', 'asset_tags', 'runs']) {
      expect(fx.raw().prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(errorOf(() => fx.library.getAsset(asset.id)).code).toBe('NOT_FOUND');
    expect(fx.library.createProject('doomed').id).toBeGreaterThan(doomed.id);
  });

  it('deletes a project whose folder is already gone', () => {
    const project = fx.library.createProject('vanished');
    fs.rmSync(project.folder, { recursive: true });
    expect(fx.library.deleteProject(project.id)).toBe(true);
    expect(fx.library.listProjects()).toEqual([]);
  });
});
