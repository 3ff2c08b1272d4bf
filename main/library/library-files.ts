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
  removedFiles: number; // files and folders no row accounted for
  removedRows: number; // asset and model rows whose files were gone
  restoredFolders: number; // model folders put back from the copy an interrupted atomic write set aside
}

// Leftovers of main/library/atomic-write.ts (`.<name>.<pid>.<12 hex>.tmp`) and main/models/atomic-folder.ts
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
  filesWithoutRows: Array<{ project: ProjectFolder; relative: string }>;
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

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function inspect(db: Database.Database, home: string): Finding {
  const finding: Finding = { filesWithoutRows: [], assetsWithoutFiles: [], modelsWithoutFolders: [] };
  const projects = db.prepare('SELECT id, folder FROM projects ORDER BY id').all() as ProjectFolder[];
  const runIds = new Set((db.prepare('SELECT id FROM runs').all() as Array<{ id: number }>).map((r) => r.id));
  for (const project of projects) {
    const base = resolveInsideProject(home, project.folder);
    const orphan = (relative: string): void => void finding.filesWithoutRows.push({ project, relative });
    const assets = db.prepare('SELECT id, path, thumb_path FROM assets WHERE project_id = ?').all(project.id) as Array<{ id: number; path: string; thumb_path: string }>;
    const referenced = new Set(assets.flatMap((a) => [a.path, a.thumb_path]));
    for (const asset of assets) {
      const missing = [asset.path, asset.thumb_path].filter((p) => !exists(path.join(base, p)));
      if (missing.length > 0) finding.assetsWithoutFiles.push({ id: asset.id, what: `${project.folder}: image ${asset.id} (${missing.join(', ')})` });
    }
    // Content-addressed images and thumbnails: the rows are the whole truth about these two folders.
    for (const relative of [...filesUnder(base, 'assets'), ...filesUnder(base, 'thumbs')]) if (!referenced.has(relative)) orphan(relative);

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
      if (!modelFolders.has(relative)) orphan(relative);
    }

    // A run's folder (checkpoints, samples) belongs to its job's row; rows without a folder are normal (not started).
    for (const entry of readdir(path.join(base, 'runs'))) {
      const run = RUN_FOLDER.exec(entry.name);
      if (run !== null && !runIds.has(Number(run[1]))) orphan(`runs/${entry.name}`);
    }
    // Everywhere else (runs, datasets, exports) only what an interrupted atomic write left is known to be nobody's.
    for (const sub of ['runs', 'datasets', 'exports']) for (const relative of tempsUnder(base, sub)) orphan(relative);
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

/**
 * Makes files and rows agree; run at startup, when nothing writes. Files without rows are removed rather than kept
 * aside: images and thumbnails are content-addressed copies (the original is where it was imported from, and the
 * thumbnail is derived), a model folder without a row is re-saved by resuming its run (the run's checkpoints stay),
 * and temp files are incomplete by construction; a recovery folder nobody sees would only grow. Rows whose files are
 * gone are removed, since the library could only show them broken; a model set aside by an interrupted write is put back.
 */
export function reconcileLibraryFiles(db: Database.Database, home: string): FilesRepair {
  const repair: FilesRepair = { removedFiles: 0, removedRows: 0, restoredFolders: 0 };
  const before = inspect(db, home);
  for (const model of before.modelsWithoutFolders) {
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
  }
  const deleteAsset = db.prepare('DELETE FROM assets WHERE id = ?');
  for (const asset of before.assetsWithoutFiles) repair.removedRows += deleteAsset.run(asset.id).changes;
  // Inspected again: an image row removed above may leave its other file (the thumbnail) without a row.
  for (const { project, relative } of inspect(db, home).filesWithoutRows) {
    try {
      fs.rmSync(resolveInsideProject(resolveInsideProject(home, project.folder), relative), { recursive: true, force: true });
      repair.removedFiles++;
    } catch {
      /* a file held open elsewhere (Windows) stays until the next start */
    }
  }
  return repair;
}
