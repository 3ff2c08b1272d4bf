// Exclusive lock on a library folder, so two studios never write the same database and project files at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../api/errors.js';

export interface LibraryLock {
  readonly path: string;
  release(): void;
}

// Locks held by this process. The pid in the lock file cannot tell "this process opened it" from "a previous
// process that happened to get the same pid crashed" (common in containers), so the process keeps its own record.
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user; it still holds the lock.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function lockedError(home: string, pid: number | null): StudioError {
  const who = pid === null || pid === process.pid ? 'this GAN Studio' : `another GAN Studio (process ${pid})`;
  return new StudioError('LIBRARY_LOCKED', `The library at ${home} is already open in ${who}. Close it there first.`, {
    pid,
  });
}

function tryCreate(lockPath: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StudioError('IO_ERROR', `Could not lock the library (${lockPath}): ${(err as Error).message}`);
  }
  try {
    fs.writeSync(fd, `${process.pid}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Takes `home/.lock`, taking over a lock whose owner is gone; throws LIBRARY_LOCKED when a live owner holds it. */
export function acquireLibraryLock(home: string): LibraryLock {
  const lockPath = path.join(home, '.lock');
  if (heldHere.has(lockPath)) throw lockedError(home, process.pid);
  if (!tryCreate(lockPath)) {
    const owner = readOwner(lockPath);
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw lockedError(home, owner);
    // Stale: remove and create again with 'wx', so of two studios taking it over at once exactly one wins.
    fs.rmSync(lockPath, { force: true });
    if (!tryCreate(lockPath)) throw lockedError(home, readOwner(lockPath));
  }
  heldHere.add(lockPath);
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(lockPath);
      // Only remove the file while it is still ours; never delete a lock another process has taken over since.
      if (readOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
    },
  };
}
