// Projects: one row each plus a folder under the library home holding that project's files.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import type { Project } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import { PROJECT_FOLDER_PATTERN, resolveInsideProject } from './project-paths.js';

export const PROJECTS_DIR = 'projects';
export const PROJECT_SUBFOLDERS = ['assets', 'thumbs', 'models', 'exports'] as const;
const MAX_NAME_LENGTH = 120;
// Folders of deleted projects are renamed to this prefix first, so a half-finished delete is never mistaken
// for a live project and can be swept at the next open.
const DELETING_PREFIX = '.deleting-';

interface ProjectRow {
  id: number;
  name: string;
  folder: string;
  created_at: string;
  asset_count: number;
}

/** A folder name readable on disk and safe on every file system: ASCII letters/digits and dashes only. */
export function slugOf(name: string, fallback = 'project'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}

function nameKeyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export class ProjectStore {
  constructor(
    private readonly db: Database.Database,
    private readonly home: string,
  ) {}

  private select(where: string): string {
    return `SELECT p.id, p.name, p.folder, p.created_at,
              (SELECT count(*) FROM assets a WHERE a.project_id = p.id) AS asset_count
            FROM projects p ${where}`;
  }

  private toProject(row: ProjectRow): Project {
    return {
      id: row.id,
      name: row.name,
      folder: resolveInsideProject(this.home, row.folder),
      createdAt: row.created_at,
      assetCount: row.asset_count,
    };
  }

  create(rawName: string): Project {
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw new StudioError('INVALID_PARAMS', `A project name needs 1 to ${MAX_NAME_LENGTH} characters.`);
    }
    if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw new StudioError('INVALID_PARAMS', 'A project name cannot hold control characters (NUL, line breaks, tabs).');
    const nameKey = nameKeyOf(name);
    const clash = this.db.prepare('SELECT name FROM projects WHERE name_key = ?').get(nameKey) as
      | { name: string }
      | undefined;
    if (clash) throw new StudioError('ALREADY_EXISTS', `A project named "${clash.name}" already exists.`);

    const insert = this.db.transaction((): number => {
      // The folder name contains the id, known only after the insert: a unique placeholder fills the gap.
      const placeholder = `${PROJECTS_DIR}/.pending-${randomBytes(8).toString('hex')}`;
      const id = Number(
        this.db
          .prepare('INSERT INTO projects (name, name_key, folder, created_at) VALUES (?, ?, ?, ?)')
          .run(name, nameKey, placeholder, new Date().toISOString()).lastInsertRowid,
      );
      const folder = `${PROJECTS_DIR}/${id}-${slugOf(name)}`;
      this.db.prepare('UPDATE projects SET folder = ? WHERE id = ?').run(folder, id);
      // Made inside the transaction: if the disk refuses, the row rolls back and no project points at nothing.
      const absolute = resolveInsideProject(this.home, folder);
      try {
        for (const sub of PROJECT_SUBFOLDERS) fs.mkdirSync(path.join(absolute, sub), { recursive: true });
      } catch (err) {
        fs.rmSync(absolute, { recursive: true, force: true });
        throw new StudioError('IO_ERROR', `Could not create the project folder ${absolute}: ${(err as Error).message}`);
      }
      return id;
    });
    return this.get(insert());
  }

  list(): Project[] {
    const rows = this.db.prepare(this.select('ORDER BY p.name COLLATE NOCASE, p.id')).all() as ProjectRow[];
    return rows.map((row) => this.toProject(row));
  }

  get(id: number): Project {
    const row = this.db.prepare(this.select('WHERE p.id = ?')).get(id) as ProjectRow | undefined;
    if (!row) throw new StudioError('NOT_FOUND', `Project ${id} does not exist (it may have been deleted).`);
    return this.toProject(row);
  }

  /** Absolute project folder; NOT_FOUND for an unknown project. */
  folderOf(id: number): string {
    const row = this.db.prepare('SELECT folder FROM projects WHERE id = ?').get(id) as { folder: string } | undefined;
    if (!row) throw new StudioError('NOT_FOUND', `Project ${id} does not exist (it may have been deleted).`);
    return resolveInsideProject(this.home, row.folder);
  }

  delete(id: number): boolean {
    const row = this.db.prepare('SELECT folder FROM projects WHERE id = ?').get(id) as { folder: string } | undefined;
    if (!row) return false;
    const folder = resolveInsideProject(this.home, row.folder);
    const trashName = `${DELETING_PREFIX}${path.basename(folder)}-${randomBytes(4).toString('hex')}`;
    const doomed = resolveInsideProject(this.home, `${PROJECTS_DIR}/${trashName}`);
    // Rename first (atomic): the rows are only removed once the files are out of the live tree, and a failed
    // row delete can put the folder back untouched.
    let moved = false;
    try {
      fs.renameSync(folder, doomed);
      moved = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StudioError('IO_ERROR', `Could not delete the project folder ${folder}: ${(err as Error).message}`);
      }
    }
    try {
      this.db.prepare('DELETE FROM projects WHERE id = ?').run(id);
    } catch (err) {
      if (moved) fs.renameSync(doomed, folder);
      throw err;
    }
    this.sweepDeleted();
    return true;
  }

  /**
   * Sweeps folders the studio made for projects that no longer have a row: a delete that raced a writing task, or a
   * crash between the row's delete and the folder's. Only folders named as ProjectStore names them (`<id>-<slug>`),
   * for an id this database gave a project since deleted, are touched; anything else in the projects folder is left
   * alone. Returns how many were swept.
   */
  sweepOrphans(): number {
    const root = path.join(this.home, PROJECTS_DIR);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      return 0;
    }
    // Only a folder whose id this database handed out and whose project row is gone: a lost or new database (no ids
    // handed out), a home pointed at a folder that already had a projects/ folder, or a project folder renamed or
    // restored by hand beside its live twin are never swept.
    const lastId = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'projects'").get() as { seq: number } | undefined)?.seq ?? 0;
    const liveIds = new Set((this.db.prepare('SELECT id FROM projects').all() as Array<{ id: number }>).map((r) => r.id));
    let swept = 0;
    for (const entry of entries) {
      const id = Number(PROJECT_FOLDER_PATTERN.exec(entry.name)?.[1] ?? Number.NaN);
      if (!entry.isDirectory() || !Number.isInteger(id) || id > lastId || liveIds.has(id)) continue;
      // Renamed out of the live tree first, like a delete: a sweep cut short is finished by the next one.
      try {
        fs.renameSync(path.join(root, entry.name), path.join(root, `${DELETING_PREFIX}${entry.name}-${randomBytes(4).toString('hex')}`));
        swept++;
      } catch {
        /* retried at the next open */
      }
    }
    this.sweepDeleted();
    return swept;
  }

  /** Removes folders of deleted projects whose removal was interrupted (crash, locked file). */
  sweepDeleted(): void {
    const root = path.join(this.home, PROJECTS_DIR);
    let entries: string[];
    try {
      entries = fs.readdirSync(root);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.startsWith(DELETING_PREFIX)) continue;
      // A file still open elsewhere (Windows) must not fail the delete the user asked for; next open retries.
      try {
        fs.rmSync(path.join(root, entry), { recursive: true, force: true });
      } catch {
        /* retried at the next sweep */
      }
    }
  }
}
