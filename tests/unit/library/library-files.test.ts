// The startup repair never costs an artist a picture: it judges only project folders that are there, only the image
// decides whether a picture is gone, and what no row names is moved into recovered/, not deleted (temp leftovers and
// thumbnails, both derived, excepted).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/library/library.js';
import { RECOVERED_DIR } from '../../../main/library/library-files.js';
import { openLibraryFixture, type LibraryFixture } from './library-fixture.js';

describe('the startup repair of files against rows', () => {
  let f: LibraryFixture;
  const reopened: Library[] = [];
  beforeEach(() => {
    f = openLibraryFixture();
  });
  afterEach(() => {
    for (const library of reopened.splice(0)) library.close();
    f.dispose();
  });

  /** Closes the fixture's library, runs `between`, opens the library again (which repairs) and returns it. */
  function reopen(between: () => void): Library {
    f.library.close();
    between();
    for (const library of reopened.splice(0)) library.close();
    const library = Library.open(f.home);
    reopened.push(library);
    return library;
  }

  it('keeps a picture whose thumbnail was cleaned away, with its row', async () => {
    const project = f.library.createProject('Thumbs cleaned');
    const { asset } = await f.addImage(project.id, 1);
    const image = f.library.assetFilePath(asset.id, 'full');
    const bytes = readFileSync(image);
    const library = reopen(() => rmSync(path.join(project.folder, 'thumbs'), { recursive: true }));
    expect(library.startupRepair).toMatchObject({ removedRows: 0, recoveredFiles: 0 });
    expect(library.getAsset(asset.id).id).toBe(asset.id);
    expect(readFileSync(image)).toEqual(bytes);
  });

  it('leaves the rows of a project whose folder is missing (moved, unmounted) alone, and they come back with it', async () => {
    const project = f.library.createProject('On a removable drive');
    const { asset } = await f.addImage(project.id, 2);
    const away = `${project.folder}.away`;
    const library = reopen(() => renameSync(project.folder, away));
    expect(library.startupRepair).toMatchObject({ removedRows: 0, removedFiles: 0, recoveredFiles: 0 });
    expect(library.getAsset(asset.id).id).toBe(asset.id);
    const back = reopen(() => renameSync(away, project.folder));
    expect(back.startupRepair).toMatchObject({ removedRows: 0, removedFiles: 0, recoveredFiles: 0 });
    expect(back.auditFiles()).toEqual({ filesWithoutRows: [], rowsWithoutFiles: [] });
  });

  it('moves files no row names into recovered/, removes temp leftovers, and drops only rows whose image is gone', async () => {
    const project = f.library.createProject('Killed mid-import');
    const { asset: kept } = await f.addImage(project.id, 3);
    const { asset: lost } = await f.addImage(project.id, 4);
    const base = project.folder;
    const stray = path.join(base, 'assets', 'ab', 'stray-copy.png');
    const handMadeModel = path.join(base, 'models', 'my-downloaded-model');
    const temp = path.join(base, 'exports', '.portrait.png.123.0123456789ab.tmp');
    const lostImage = f.library.assetFilePath(lost.id, 'full');
    const library = reopen(() => {
      mkdirSync(path.dirname(stray), { recursive: true });
      writeFileSync(stray, 'an image an import copied in before it was killed');
      mkdirSync(handMadeModel, { recursive: true });
      writeFileSync(path.join(handMadeModel, 'model.json'), '{}');
      mkdirSync(path.dirname(temp), { recursive: true });
      writeFileSync(temp, 'half');
      rmSync(lostImage);
    });
    expect(library.startupRepair).toEqual({ removedFiles: 2, recoveredFiles: 2, removedRows: 1, restoredFolders: 0 }); // the temp file and lost's thumbnail
    const recovered = path.join(f.home, RECOVERED_DIR, path.basename(base));
    expect(readFileSync(path.join(recovered, 'assets', 'ab', 'stray-copy.png'), 'utf8')).toBe('an image an import copied in before it was killed');
    expect(existsSync(path.join(recovered, 'models', 'my-downloaded-model', 'model.json'))).toBe(true);
    expect(existsSync(temp)).toBe(false);
    expect(library.getAsset(kept.id).id).toBe(kept.id);
    expect(() => library.getAsset(lost.id)).toThrow(/does not exist/);
    expect(library.auditFiles()).toEqual({ filesWithoutRows: [], rowsWithoutFiles: [] });
  });
});
