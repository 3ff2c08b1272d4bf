// Writes exports under a name nobody holds: the name is claimed by the file system itself (link(2), O_EXCL, mkdir),
// never chosen from a directory listing, so two exports of `portrait.png` at once give two files, never one.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { fsyncFolder } from './atomic-write.js';
import { mkdirInLiveProject } from './project-paths.js';

/** How far `-2`, `-3`… go before giving up: far more same-named exports than a folder ever holds. */
const MAX_SUFFIX = 10_000;

/** `dir/stem.ext`, then `dir/stem-2.ext`, `dir/stem-3.ext`… (a folder has no extension: `dir/name-2`). */
export function candidateName(preferred: string, n: number, isFolder = false): string {
  if (n === 1) return preferred;
  const ext = isFolder ? '' : path.extname(preferred);
  return `${preferred.slice(0, preferred.length - ext.length)}-${n}${ext}`;
}

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

// File systems without hard links answer link(2) with many codes (EPERM, ENOTSUP, EMLINK; on Windows FAT32/exFAT
// CreateHardLinkW gives ERROR_INVALID_FUNCTION, which libuv reports as EISDIR), so any link error but EEXIST falls back
// to an exclusive create: O_EXCL still never overwrites, and a real fault (no space, no folder) fails there too.

function exhausted(preferred: string): Error {
  return new Error(`every name from ${path.basename(preferred)} to ${path.basename(candidateName(preferred, MAX_SUFFIX))} is taken`);
}

/**
 * Writes `data` to `preferred`, or to the first free `-N` variant of it, and returns the path written. The bytes go to a
 * hidden temp file first (synced), then are hard-linked to the name: link(2) fails on a name that exists, so the claim
 * and the complete file appear at once, and nothing is ever replaced.
 */
export async function writeNewFile(preferred: string, data: Uint8Array | string): Promise<string> {
  const dir = path.dirname(preferred);
  const temp = path.join(dir, `.${path.basename(preferred)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fsp.open(temp, 'wx');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const target = candidateName(preferred, n);
      try {
        await fsp.link(temp, target);
        await fsyncFolder(dir);
        return target;
      } catch (err) {
        if (errCode(err) === 'EEXIST') continue;
        return await writeExclusive(preferred, data);
      }
    }
    throw exhausted(preferred);
  } finally {
    await fsp.rm(temp, { force: true });
  }
}

/** Without hard links: the name is claimed by an exclusive create, then written (a reader may see it growing). */
async function writeExclusive(preferred: string, data: Uint8Array | string): Promise<string> {
  const target = await claimNewFile(preferred);
  try {
    await fsp.writeFile(target, data);
  } catch (err) {
    await fsp.rm(target, { force: true });
    throw err;
  }
  return target;
}

/**
 * Claims `preferred` (or its first free `-N` variant) by creating it empty with O_EXCL, and returns it: for a file
 * another process (the engine) fills in later, replacing the empty claim with its own atomic write. Files named after
 * the claimed stem (`stem.json` beside `stem.onnx`) belong to the same claim.
 */
export async function claimNewFile(preferred: string): Promise<string> {
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const target = candidateName(preferred, n);
    try {
      await (await fsp.open(target, 'wx')).close();
      return target;
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err;
    }
  }
  throw exhausted(preferred);
}

/** Claims a new folder `preferred` (or `preferred-N`) by mkdir, which fails on any existing name; returns its path. */
export async function claimNewFolder(preferred: string): Promise<string> {
  await mkdirInLiveProject(path.dirname(preferred));
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const target = candidateName(preferred, n, true);
    try {
      await fsp.mkdir(target);
      return target;
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err;
    }
  }
  throw exhausted(preferred);
}
