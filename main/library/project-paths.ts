// Turns a path stored in the library (relative to a project folder) into an absolute path that provably stays inside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../api/errors.js';

const MAX_LINK_HOPS = 40; // same order as the kernel's own symlink limit

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function outside(relativePath: string): StudioError {
  return new StudioError('PATH_OUTSIDE_PROJECT', `The path "${relativePath}" points outside the project folder.`);
}

/**
 * Real location of `p` where only a prefix of it may exist yet (a file about to be written): the existing
 * prefix is resolved through symlinks and the missing rest appended. A dangling symlink is followed by hand,
 * because writing through it would create its target, wherever that is.
 */
function realLocation(p: string, relativePath: string, hops = 0): string {
  if (hops > MAX_LINK_HOPS) throw outside(relativePath);
  const missing: string[] = [];
  let current = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(current), ...missing.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw outside(relativePath);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new StudioError('IO_ERROR', `Could not read the location of "${relativePath}": ${(err as Error).message}`);
      }
    }
    const link = danglingLinkTarget(current);
    if (link !== null) return realLocation(path.join(link, ...missing.reverse()), relativePath, hops + 1);
    const parent = path.dirname(current);
    if (parent === current) return path.join(current, ...missing.reverse());
    missing.push(path.basename(current));
    current = parent;
  }
}

function danglingLinkTarget(p: string): string | null {
  try {
    if (!fs.lstatSync(p).isSymbolicLink()) return null;
    return path.resolve(path.dirname(p), fs.readlinkSync(p));
  } catch {
    return null;
  }
}

/** Absolute path of `relativePath` inside `projectFolder`; refuses absolute paths, `..` escapes and symlink escapes. */
export function resolveInsideProject(projectFolder: string, relativePath: string): string {
  if (typeof relativePath !== 'string' || relativePath.includes('\0') || path.isAbsolute(relativePath)) {
    throw outside(String(relativePath));
  }
  const root = path.resolve(projectFolder);
  const target = path.resolve(root, relativePath);
  if (!isInside(root, target)) throw outside(relativePath);
  // The project folder itself may legitimately sit behind a symlink (macOS /tmp -> /private/tmp), so both
  // sides are compared by their real locations.
  if (!isInside(realLocation(root, relativePath), realLocation(target, relativePath))) throw outside(relativePath);
  return target;
}

/**
 * How the studio names a project's folder under `<home>/projects`: `<id>-<slug>` (ProjectStore.create). Only folders
 * of this shape are ever treated as the studio's own (swept when no project row names them, guarded below).
 */
export const PROJECT_FOLDER_PATTERN = /^(\d+)-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PROJECTS_PARENT = 'projects';
/** The library's database file in its home folder (Library re-exports it): what marks `<home>/projects` as the studio's. */
export const DATABASE_FILE = 'library.sqlite';

/**
 * Creates `dir` and its missing parents, but never a project folder itself: when `dir` lies in a studio project
 * folder (`<home>/projects/<id>-<slug>/...`, `<home>` holding library.sqlite) that no longer exists, the project was
 * deleted, and a task still writing for it must fail (NOT_FOUND) rather than bring the deleted project's folder back as a stray folder.
 */
export async function mkdirInLiveProject(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  for (let current = absolute; path.dirname(current) !== current; current = path.dirname(current)) {
    if (path.basename(path.dirname(current)) !== PROJECTS_PARENT || !PROJECT_FOLDER_PATTERN.test(path.basename(current))) continue;
    // Only the library's own projects folder (beside its database): an artist's `~/projects/2025-zine/out` is theirs.
    if (!fs.existsSync(path.join(path.dirname(path.dirname(current)), DATABASE_FILE))) continue;
    if (!fs.existsSync(current)) {
      throw new StudioError('NOT_FOUND', `The project folder ${current} is gone (the project was deleted); nothing was written.`);
    }
    break;
  }
  await fs.promises.mkdir(absolute, { recursive: true });
}

/**
 * The folder an export writes to, given as the contract's ExportFolder: an absolute folder the artist chose, as is;
 * a relative name inside the project's exports/ (never the studio's working folder), with symlinks out refused.
 */
export function resolveExportFolder(projectFolder: string, exportDir: string, exportsDir = 'exports'): string {
  if (exportDir.includes('\0')) throw outside(exportDir);
  if (path.isAbsolute(exportDir)) return path.resolve(exportDir);
  return resolveInsideProject(projectFolder, path.join(exportsDir, exportDir));
}
