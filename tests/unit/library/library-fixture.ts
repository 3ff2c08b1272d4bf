// A real library in a temp folder for tests, plus a raw connection to look at its rows directly.
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ingestImageBytes } from '../../../main/data/image-ingest.js';
import { Library } from '../../../main/library/library.js';
import { noiseImage } from '../../support/images.js';
import { tempFolder } from '../../support/temp-home.js';

export interface LibraryFixture {
  home: string;
  library: Library;
  raw(): Database.Database;
  /** Ingests a distinct noise PNG (by seed) into the project and adds it to the library. */
  addImage(projectId: number, seed: number): Promise<ReturnType<Library['addIngestedAsset']>>;
  dispose(): void;
}

export function openLibraryFixture(): LibraryFixture {
  const tmp = tempFolder('library');
  const home = path.join(tmp.path, 'home');
  const library = Library.open(home);
  let raw: Database.Database | null = null;
  return {
    home,
    library,
    raw() {
      raw ??= new Database(library.dbPath);
      return raw;
    },
    async addImage(projectId, seed) {
      const img = await ingestImageBytes(await noiseImage(32, 24, 'png', seed), `img-${seed}.png`, library.getProject(projectId).folder);
      return library.addIngestedAsset(projectId, img, 'import');
    },
    dispose() {
      raw?.close();
      library.close();
      tmp.remove();
    },
  };
}

export function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  return { code: 'returned', message: '' };
}
