// Tags: added and removed in bulk, counted per project, case-insensitive, gone when unused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openLibraryFixture, type LibraryFixture } from './library-fixture.js';

describe('tags', () => {
  let fx: LibraryFixture;
  let projectId: number;
  let ids: number[];
  beforeEach(async () => {
    fx = openLibraryFixture();
    projectId = fx.library.createProject('p').id;
    ids = [];
    for (let seed = 1; seed <= 3; seed++) ids.push((await fx.addImage(projectId, seed)).asset.id);
  });
  afterEach(() => fx.dispose());

  it('tags, counts and filters, counting only links that changed', () => {
    expect(fx.library.tagAssets(projectId, [ids[0]!, ids[1]!], 'cat', false)).toBe(2);
    expect(fx.library.tagAssets(projectId, [ids[1]!, ids[2]!], ' CAT ', false)).toBe(1); // same tag, one new link
    expect(fx.library.tagAssets(projectId, [ids[2]!], 'dog', false)).toBe(1);
    expect(fx.library.listTags(projectId)).toEqual([
      { name: 'cat', count: 3 },
      { name: 'dog', count: 1 },
    ]);
    expect(fx.library.getAsset(ids[2]!).tags).toEqual(['cat', 'dog']);
    const dogs = fx.library.listAssets(projectId, { tag: 'Dog', limit: 10, offset: 0 });
    expect([dogs.total, dogs.items.map((a) => a.id)]).toEqual([1, [ids[2]]]);
  });

  it('untags, and drops a tag no asset carries any more', () => {
    fx.library.tagAssets(projectId, ids, 'cat', false);
    expect(fx.library.tagAssets(projectId, [ids[0]!], 'cat', true)).toBe(1);
    expect(fx.library.tagAssets(projectId, [ids[0]!], 'cat', true)).toBe(0);
    expect(fx.library.listTags(projectId)).toEqual([{ name: 'cat', count: 2 }]);
    expect(fx.library.tagAssets(projectId, ids, 'cat', true)).toBe(2);
    expect(fx.library.listTags(projectId)).toEqual([]);
    expect(fx.raw().prepare('SELECT count(*) AS n FROM tags').get()).toEqual({ n: 0 });
    expect(fx.library.tagAssets(projectId, ids, 'never-used', true)).toBe(0);
  });

  it('never links assets of another project, and validates the tag', async () => {
    const other = fx.library.createProject('other');
    const foreign = (await fx.addImage(other.id, 50)).asset.id;
    expect(fx.library.tagAssets(projectId, [foreign], 'cat', false)).toBe(0);
    expect(fx.library.listTags(projectId)).toEqual([]);
    expect(fx.library.listTags(other.id)).toEqual([]);
    expect(errorOf(() => fx.library.tagAssets(projectId, ids, '  ', false)).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.tagAssets(projectId, ids, 'x'.repeat(65), false)).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.tagAssets(9999, ids, 'cat', false)).code).toBe('NOT_FOUND');
  });

  it('drops links when an asset is deleted', () => {
    fx.library.tagAssets(projectId, ids, 'cat', false);
    fx.library.deleteAssets(projectId, [ids[0]!]);
    expect(fx.library.listTags(projectId)).toEqual([{ name: 'cat', count: 2 }]);
  });
});
