// Atomic folder writes for model and checkpoint folders: readers see the old folder or the complete new one, never a mix.
//
// A folder cannot be replaced in one rename (rename onto a non-empty folder fails), so a write is:
//   1. write every file into a temp sibling `.<name>.tmp-<id>`, fsync each file and the temp folder;
//   2. if `<name>` exists, rename it aside to `.<name>.old-<id>`;  3. rename the temp folder to `<name>`;  4. remove the old.
// A failure in 1 (disk full, crash) leaves `<name>` untouched. A crash between 2 and 3 leaves no `<name>` but a complete
// `.<name>.old-<id>`: `readableFolder` falls back to it and the next write renames it back before starting.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { fsyncFolder } from '../library/atomic-write.js';
import { mkdirInLiveProject } from '../library/project-paths.js';

/** How files reach the disk; tests swap it for one that fails midway (disk full). */
export interface FolderIo {
  /** Writes `data` to a new file at `filePath` and flushes it to disk before resolving. */
  writeFile(filePath: string, data: Uint8Array | string): Promise<void>;
}

export const durableIo: FolderIo = {
  async writeFile(filePath, data) {
    const handle = await fsp.open(filePath, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** One file of a folder: a plain name (no separators) and its bytes. */
export interface FolderFile {
  name: string;
  data: Uint8Array | string;
}

const asideName = (target: string, kind: 'tmp' | 'old'): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);

/** Leftovers of earlier writes to `target`, by kind. */
async function leftovers(target: string): Promise<{ tmp: string[]; old: string[] }> {
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = await fsp.readdir(path.dirname(target));
  } catch {
    return { tmp: [], old: [] };
  }
  const of = (kind: string): string[] =>
    names.filter((n) => n.startsWith(`${prefix}${kind}-`)).sort().map((n) => path.join(path.dirname(target), n));
  return { tmp: of('tmp'), old: of('old') };
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * The folder to read for `target`: `target` itself, or, after a crash between the two renames of a write, the
 * previous version set aside (read-only: a reader never renames, so it cannot race a writer). Null when neither exists.
 */
export async function readableFolder(target: string): Promise<string | null> {
  if (await exists(target)) return target;
  const { old } = await leftovers(target);
  return old.at(-1) ?? null;
}

/** Finishes what an interrupted write left: puts a set-aside previous version back, removes temp and old copies. */
async function recover(target: string): Promise<void> {
  const { tmp, old } = await leftovers(target);
  if (!(await exists(target)) && old.length > 0) await fsp.rename(old.at(-1)!, target);
  for (const p of [...tmp, ...old]) if (await exists(p)) await fsp.rm(p, { recursive: true, force: true });
}

/**
 * Writes `files` as the folder `target` atomically (see the top of this file). One writer per target at a time
 * (a run owns its checkpoints, a save owns its model folder); readers may read concurrently.
 */
export async function writeFolderAtomic(target: string, files: readonly FolderFile[], io: FolderIo = durableIo): Promise<void> {
  for (const { name } of files) {
    if (name === '' || name !== path.basename(name) || name.startsWith('.')) throw new Error(`invalid file name in a folder write: "${name}"`);
  }
  await mkdirInLiveProject(path.dirname(target));
  await recover(target);
  const temp = asideName(target, 'tmp');
  try {
    await fsp.mkdir(temp);
    for (const { name, data } of files) await io.writeFile(path.join(temp, name), data);
    await fsyncFolder(temp);
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  }
  const previous = (await exists(target)) ? asideName(target, 'old') : null;
  if (previous !== null) await fsp.rename(target, previous);
  try {
    await fsp.rename(temp, target);
  } catch (err) {
    if (previous !== null) await fsp.rename(previous, target);
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  }
  await fsyncFolder(path.dirname(target));
  if (previous !== null) await fsp.rm(previous, { recursive: true, force: true });
}
