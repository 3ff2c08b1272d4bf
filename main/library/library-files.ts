// Files against rows: finds the files in project folders that no row accounts for and the rows whose file is gone
// (what a killed studio or engine leaves behind), and puts them right at startup. Tests and the soak run the same audit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { resolveInsideProject } from './project-paths.js';

/** What does not match, as paths relative to the library home (stable across machines, readable in a report). */
export interface FilesAudit {
  filesWithoutRows: string[];
  rowsWithoutFiles: string[];
}

export interface FilesRepair {
  removedFiles: number; // temp leftovers of interrupted atomic writes, and thumbnails no row names (both derived)
  recoveredFiles: number; // other files and folders no row accounted for, moved into <home>/recovered/
  removedRows: number; // image and model rows whose files were gone
  restoredFolders: number; // model folders put back from the copy an interrupted atomic write set aside
}

/** Where the startup repair moves what no row accounts for: kept for the artist, out of the studio's folders. */
export const RECOVERED_DIR = 'recovered';

// Leftovers of main/library/atomic-write.ts (`.<name>.<pid>.<12 hex>.tmp`) and main/model-files/atomic-folder.ts
// (`.<name>.tmp-<pid>-<8 hex>`): by construction incomplete, so never anyone's file.
const FILE_TEMP = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;
const FOLDER_TEMP = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;
// A model folder set aside by an interrupted atomic write: the readable copy while `<name>` itself is missing.
const FOLDER_OLD = /^\.(.+)\.old-\d+-[0-9a-f]{8}$/;
const RUN_FOLDER = /^run-(\d+)$/;

interface ProjectFolder {
  id: number;
  folder: string; // relative to home
}

interface Finding {
  /** `derived`: a temp leftover or a thumbnail, nobody's only copy of anything. */
  filesWithoutRows: Array<{ project: ProjectFolder; relative: string; derived: boolean }>;
  assetsWithoutFiles: Array<{ id: number; what: string }>;
  modelsWithoutFolders: Array<{ id: number; project: ProjectFolder; folder: string; what: string }>;
}

function readdir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Every file under `dir` (relative to `base`), folders descended into; links are listed, not followed. */
function filesUnder(base: string, dir: string, found: string[] = []): string[] {
  for (const entry of readdir(path.join(base, dir))) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(base, relative, found);
    else found.push(relative);
  }
  return found;
}

/** Temp leftovers of atomic writes anywhere under `dir`; a temp folder is reported whole, not descended into. */
function tempsUnder(base: string, dir: string, found: string[] = []): string[] {
  for (const entry of readdir(path.join(base, dir))) {
    const relative = path.posix.join(dir, entry.name);
    if (FILE_TEMP.test(entry.name) || FOLDER_TEMP.test(entry.name)) found.push(relative);
    else if (entry.isDirectory()) tempsUnder(base, relative, found);
  }
  return found;
}

/**
 * False only when `p` is certainly not there (ENOENT). Any other answer (no permission, a drive gone to sleep) is not
 * proof of absence, and a row is never dropped on a maybe.
 */
function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

/** The project's folder, when it is there as a real folder inside the library; else null and the project is left be. */
function liveProjectFolder(home: string, project: ProjectFolder): string | null {
  try {
    const base = resolveInsideProject(home, project.folder);
    return fs.lstatSync(base).isDirectory() ? base : null;
  } catch {
    return null;
  }
}

function inspect(db: Database.Database, home: string): Finding {
  const finding: Finding = { filesWithoutRows: [], assetsWithoutFiles: [], modelsWithoutFolders: [] };
  const projects = db.prepare('SELECT id, folder FROM projects ORDER BY id').all() as ProjectFolder[];
  const runIds = new Set((db.prepare('SELECT id FROM runs').all() as Array<{ id: number }>).map((r) => r.id));
  for (const project of projects) {
    // A project whose folder is missing, moved, on a drive not mounted now, or a link out of the library is not
    // judged at all: its rows are all that says what it held, and they wait for the folder to come back.
    const base = liveProjectFolder(home, project);
    if (base === null) continue;
    const orphan = (relative: string, derived = false): void => void finding.filesWithoutRows.push({ project, relative, derived });
    const assets = db.prepare('SELECT id, path, thumb_path FROM assets WHERE project_id = ?').all(project.id) as Array<{ id: number; path: string; thumb_path: string }>;
    const referenced = new Set(assets.flatMap((a) => [a.path, a.thumb_path]));
    // Only the image decides: a missing thumbnail (a thumbs/ folder cleaned as a cache) must never cost the picture.
    for (const asset of assets) {
      if (!exists(path.join(base, asset.path))) finding.assetsWithoutFiles.push({ id: asset.id, what: `${project.folder}: image ${asset.id} (${asset.path})` });
    }
    // Content-addressed images and thumbnails: the rows are the whole truth about these two folders.
    for (const relative of filesUnder(base, 'assets')) if (!referenced.has(relative)) orphan(relative);
    for (const relative of filesUnder(base, 'thumbs')) if (!referenced.has(relative)) orphan(relative, true);

    const models = db.prepare('SELECT id, folder FROM models WHERE project_id = ?').all(project.id) as Array<{ id: number; folder: string }>;
    const modelFolders = new Set(models.map((m) => m.folder));
    for (const model of models) {
      if (!exists(path.join(base, model.folder))) {
        finding.modelsWithoutFolders.push({ id: model.id, project, folder: model.folder, what: `${project.folder}: model ${model.id} (${model.folder})` });
      }
    }
    for (const entry of readdir(path.join(base, 'models'))) {
      const relative = `models/${entry.name}`;
      const old = FOLDER_OLD.exec(entry.name);
      // A set-aside copy is the model's readable version while its folder is missing (see atomic-folder.ts).
      if (old !== null && modelFolders.has(`models/${old[1]}`) && !exists(path.join(base, 'models', old[1]!))) continue;
      if (!modelFolders.has(relative)) orphan(relative, FILE_TEMP.test(entry.name) || FOLDER_TEMP.test(entry.name));
    }

    // A run's folder (checkpoints, samples) belongs to its job's row; rows without a folder are normal (not started).
    for (const entry of readdir(path.join(base, 'runs'))) {
      const run = RUN_FOLDER.exec(entry.name);
      if (run !== null && !runIds.has(Number(run[1]))) orphan(`runs/${entry.name}`);
    }
    // Everywhere else (runs, datasets, exports) only what an interrupted atomic write left is known to be nobody's.
    for (const sub of ['runs', 'datasets', 'exports']) for (const relative of tempsUnder(base, sub)) orphan(relative, true);
  }
  return finding;
}

/** The mismatches between project folders and rows, without changing anything. */
export function auditLibraryFiles(db: Database.Database, home: string): FilesAudit {
  const finding = inspect(db, home);
  return {
    filesWithoutRows: [...new Set(finding.filesWithoutRows.map(({ project, relative }) => `${project.folder}/${relative}`))].sort(),
    rowsWithoutFiles: [...finding.assetsWithoutFiles.map((a) => a.what), ...finding.modelsWithoutFolders.map((m) => m.what)].sort(),
  };
}

/** `<home>/recovered/<project folder>/<relative>`, or `…-2`, `…-3` beside it when a name is taken. */
function recoveredPath(home: string, project: ProjectFolder, relative: string): string {
  const wanted = path.join(home, RECOVERED_DIR, path.basename(project.folder), ...relative.split('/'));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? wanted : `${wanted}-${n}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/**
 * Makes files and rows agree; run at startup, when nothing writes. What no row accounts for leaves the studio's folders
 * but is never destroyed unless it is derived: temp leftovers of interrupted writes (incomplete by construction) and
 * thumbnails are removed; anything else (an image copied in by an import that was killed, a model folder, a run's
 * checkpoints, whatever an artist put there by hand) is moved into <home>/recovered/. Rows whose image or model folder
 * is certainly gone (ENOENT, in a project folder that is there) are removed, since the library could only show them
 * broken; a model set aside by an interrupted write is put back. Any one thing that fails is left for the next start.
 */
export function reconcileLibraryFiles(db: Database.Database, home: string): FilesRepair {
  const repair: FilesRepair = { removedFiles: 0, recoveredFiles: 0, removedRows: 0, restoredFolders: 0 };
  const before = inspect(db, home);
  for (const model of before.modelsWithoutFolders) {
    try {
      const folder = path.join(resolveInsideProject(home, model.project.folder), model.folder);
      const aside = readdir(path.dirname(folder))
        .map((e) => e.name)
        .filter((name) => FOLDER_OLD.exec(name)?.[1] === path.basename(folder))
        .sort()
        .at(-1);
      if (aside !== undefined) {
        fs.renameSync(path.join(path.dirname(folder), aside), folder);
        repair.restoredFolders++;
      } else {
        repair.removedRows += db.prepare('DELETE FROM models WHERE id = ?').run(model.id).changes;
      }
    } catch {
      /* a folder held elsewhere (Windows): left for the next start */
    }
  }
  const deleteAsset = db.prepare('DELETE FROM assets WHERE id = ?');
  for (const asset of before.assetsWithoutFiles) repair.removedRows += deleteAsset.run(asset.id).changes;
  // Inspected again: an image row removed above may leave its thumbnail without a row.
  for (const { project, relative, derived } of inspect(db, home).filesWithoutRows) {
    try {
      const file = resolveInsideProject(resolveInsideProject(home, project.folder), relative);
      if (derived) {
        fs.rmSync(file, { recursive: true, force: true });
        repair.removedFiles++;
      } else {
        const target = recoveredPath(home, project, relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(file, target);
        repair.recoveredFiles++;
      }
    } catch {
      /* a file held open elsewhere (Windows) stays until the next start */
    }
  }
  if (repair.recoveredFiles > 0) {
    console.warn(`GAN Studio: ${repair.recoveredFiles} file(s) in project folders that no library entry names were moved to ${path.join(home, RECOVERED_DIR)}.`);
  }
  return repair;
}
