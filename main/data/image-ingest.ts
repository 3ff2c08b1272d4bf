// Validates untrusted image bytes and stores them content-addressed in a project folder, with a thumbnail.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { StudioError } from '../api/errors.js';
import { writeFileAtomic } from '../library/atomic-write.js';
import { mkdirInLiveProject, resolveInsideProject } from '../library/project-paths.js';

export interface IngestedImage {
  name: string;
  contentHash: string; // sha256 hex of the original bytes
  path: string; // relative to the project folder
  thumbPath: string; // relative to the project folder
  width: number; // as displayed, i.e. after EXIF orientation
  height: number;
  format: string; // png, jpeg, webp, gif, tiff, avif
}

/** Decompression-bomb guard: refused from the header alone, before any pixel is decoded. */
export const MAX_IMAGE_PIXELS = 100_000_000;
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;
export const THUMB_MAX_SIDE = 256;

/** Refuses, before any decoding, an image with no pixels or more than MAX_IMAGE_PIXELS (a decompression bomb). */
export function assertPixelCount(name: string, width: number, height: number): void {
  if (!(width > 0 && height > 0)) throw new StudioError('INVALID_IMAGE', `${name} has no pixels.`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new StudioError(
      'IMAGE_TOO_LARGE',
      `${name} is ${width}×${height} pixels; the limit is ${MAX_IMAGE_PIXELS / 1_000_000} megapixels.`,
      { width, height },
    );
  }
}

interface AcceptedKind {
  format: string;
  ext: string;
}

// sharp's decoder name -> stored format and file extension. Anything else sharp can read (SVG, PDF, ...) is
// refused: those are documents rather than pixels, and SVG renders at whatever size the file asks for.
const ACCEPTED: Record<string, AcceptedKind | undefined> = {
  png: { format: 'png', ext: 'png' },
  jpeg: { format: 'jpeg', ext: 'jpg' },
  webp: { format: 'webp', ext: 'webp' },
  gif: { format: 'gif', ext: 'gif' },
  tiff: { format: 'tiff', ext: 'tiff' },
  avif: { format: 'avif', ext: 'avif' },
};
const ACCEPTED_LIST = 'PNG, JPEG, WebP, GIF, TIFF and AVIF';
// 'error' rather than the stricter 'warning': real photos often carry harmless decoder warnings (stray bytes
// after the image), while truncated and corrupt pixel data still aborts at this level.
const FAIL_ON = 'error';

function displayName(name: string): string {
  return name.split(/[\\/]/).pop()?.trim() || 'image';
}

function decoderOf(meta: Metadata): string {
  // AVIF and HEIC share the HEIF container; only AV1-coded HEIF (AVIF) decodes in every sharp build.
  if (meta.format === 'heif') return meta.compression === 'av1' ? 'avif' : 'heic';
  return meta.format;
}

/**
 * What the decoder said, as a clause for a sentence: libvips prefixes ("Input buffer has corrupt header:", "VipsJpeg:")
 * dropped, repeated lines once, no trailing punctuation; '' when it said nothing more (its message can end in a colon).
 */
export function decoderDetail(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message
    .replace(/^Input (?:buffer|file) (?:has corrupt header|contains unsupported image format):?/i, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:Vips\w*|vips_\w+|\w+load(?:_\w+)?):\s*/, '').replace(/[\s.:;,]+$/, '').trim())
    .filter((line) => line !== '');
  return [...new Set(lines)].join('; ').slice(0, 200);
}

/** "cut.png is damaged: its header cannot be read (premature end of JPEG image)." — always a whole sentence. */
export const damaged = (name: string, what: string, err: unknown): string => {
  const detail = decoderDetail(err);
  return detail === '' ? `${name} is damaged: ${what}.` : `${name} is damaged: ${what} (${detail}).`;
};

/** A PNG's size from its IHDR chunk (the first, by the format's rule), so a bomb is named before any decoder sees it. */
function pngHeaderSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b) || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Refuses a PNG bomb from its IHDR: libspng refuses huge sizes with a bare "corrupt header", not the real reason. */
export function assertPngHeaderSize(bytes: Buffer, name: string): void {
  const png = pngHeaderSize(bytes);
  if (png !== null && png.width > 0 && png.height > 0) assertPixelCount(name, png.width, png.height);
}

async function readHeader(bytes: Buffer, name: string): Promise<{ meta: Metadata; kind: AcceptedKind }> {
  assertPngHeaderSize(bytes, name);
  let meta: Metadata;
  try {
    // No pixel limit here: metadata reads the header only, and the size check below gives a clearer message.
    meta = await sharp(bytes, { limitInputPixels: false, failOn: FAIL_ON }).metadata();
  } catch (err) {
    const unknown = /unsupported image format/i.test((err as Error).message);
    throw new StudioError('INVALID_IMAGE', unknown ? `${name} is not an image GAN Studio can read.` : damaged(name, 'its header cannot be read', err));
  }
  const decoder = decoderOf(meta);
  const kind = ACCEPTED[decoder];
  if (!kind) {
    throw new StudioError(
      'UNSUPPORTED_FORMAT',
      `${name} is a ${decoder.toUpperCase()} file; GAN Studio imports ${ACCEPTED_LIST}.`,
    );
  }
  assertPixelCount(name, meta.autoOrient.width, meta.autoOrient.height);
  return { meta, kind };
}

/** The one full decode: it makes the thumbnail and, by reading every pixel, catches truncated or corrupt data. */
async function makeThumbnail(bytes: Buffer, name: string): Promise<Buffer> {
  try {
    return await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: FAIL_ON })
      .rotate() // honour EXIF orientation, so the thumbnail looks like the photo did in the camera
      .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (err) {
    throw new StudioError('INVALID_IMAGE', damaged(name, 'its pixels are truncated or corrupt', err));
  }
}

// Content-addressed, so an existing file of the right size already holds these exact bytes (writes are atomic).
async function storeOnce(projectFolder: string, relative: string, data: Buffer, sameSizeOnly: boolean): Promise<void> {
  const target = resolveInsideProject(projectFolder, relative);
  try {
    const existing = await fsp.stat(target).catch(() => null);
    if (existing?.isFile() && (!sameSizeOnly || existing.size === data.length)) return;
    await mkdirInLiveProject(path.dirname(target));
    await writeFileAtomic(target, data);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('IO_ERROR', `Could not save ${relative} in the project: ${(err as Error).message}`);
  }
}

export async function ingestImageBytes(bytes: Buffer, name: string, projectFolder: string): Promise<IngestedImage> {
  const shown = displayName(name);
  if (bytes.length === 0) throw new StudioError('INVALID_IMAGE', `${shown} is empty.`);
  if (bytes.length > MAX_IMAGE_FILE_BYTES) {
    throw new StudioError('IMAGE_TOO_LARGE', `${shown} is larger than ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MiB.`);
  }
  const { meta, kind } = await readHeader(bytes, shown);
  const thumbnail = await makeThumbnail(bytes, shown);
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const relative = `assets/${contentHash.slice(0, 2)}/${contentHash}.${kind.ext}`;
  const thumbRelative = `thumbs/${contentHash}.webp`;
  // Original first: a thumbnail never exists without the image it shows.
  await storeOnce(projectFolder, relative, bytes, true);
  await storeOnce(projectFolder, thumbRelative, thumbnail, false);
  return {
    name: shown,
    contentHash,
    path: relative,
    thumbPath: thumbRelative,
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    format: kind.format,
  };
}

export async function ingestImageFile(absPath: string, projectFolder: string): Promise<IngestedImage> {
  const name = path.basename(absPath);
  // Opened non-blocking and checked through the open handle: a FIFO put in the file's place after the folder was
  // scanned neither blocks the open nor gets read, and what is checked is what is read.
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(absPath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('NOT_FOUND', `${name} was not found (${absPath}).`);
    throw new StudioError('IO_ERROR', `Could not read ${absPath} (${code ?? 'error'}).`);
  }
  let bytes: Buffer;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new StudioError('INVALID_IMAGE', `${name} is not a file.`);
    // Checked before reading, so a huge file costs a stat, not half a gigabyte of memory.
    if (stat.size > MAX_IMAGE_FILE_BYTES) {
      throw new StudioError('IMAGE_TOO_LARGE', `${name} is larger than ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MiB.`);
    }
    bytes = await handle.readFile();
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('IO_ERROR', `Could not read ${absPath} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  } finally {
    await handle.close();
  }
  return ingestImageBytes(bytes, name, projectFolder);
}

/** An entry of a scanned folder that is not imported, and why; `path` is absolute. */
export interface SkippedEntry {
  path: string;
  code: 'UNSUPPORTED_FORMAT' | 'NOT_FOUND' | 'IO_ERROR';
  reason: string; // a sentence naming the entry
}

/** What a folder holds for an import: its visible files, and every other visible entry with the reason it is left out. */
export interface FolderScan {
  files: string[];
  skipped: SkippedEntry[];
}

function specialKind(stats: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | null {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return null;
}

// Decided from the directory entry (and stat of a link's target) alone: a FIFO is never opened, since opening one
// blocks until something writes to it, and a folder import must never hang on a stray pipe.
async function walk(root: string, dir: string, recursive: boolean, scan: FolderScan): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    // An unreadable subfolder must not stop the import of everything else, but the artist learns of it.
    if (dir !== root) scan.skipped.push({ path: dir, code: 'IO_ERROR', reason: `${path.relative(root, dir)} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): skipped with everything in it.` });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // hidden by choice (.DS_Store, our own temp files): not worth a line
    const full = path.join(dir, entry.name);
    const shown = path.relative(root, full);
    const skip = (code: SkippedEntry['code'], reason: string) => scan.skipped.push({ path: full, code, reason: `${shown} ${reason}` });
    if (entry.isFile()) scan.files.push(full);
    else if (entry.isDirectory()) {
      if (recursive) await walk(root, full, recursive, scan);
      else skip('UNSUPPORTED_FORMAT', 'is a folder, not an image file: skipped (import with subfolders to include what it holds).');
    } else if (entry.isSymbolicLink()) {
      const target = await fsp.stat(full).catch(() => null);
      if (target === null) skip('NOT_FOUND', 'is a link to something that does not exist: skipped.');
      else if (target.isFile()) scan.files.push(full);
      // Links to folders are not followed, since they can form cycles.
      else if (target.isDirectory()) skip('UNSUPPORTED_FORMAT', 'is a link to a folder: skipped, as links to folders are not followed.');
      else skip('UNSUPPORTED_FORMAT', `is a link to ${specialKind(target) ?? 'something that is not a file'}, not an image file: skipped without opening it.`);
    } else skip('UNSUPPORTED_FORMAT', `is ${specialKind(entry) ?? 'not a regular file'}, not an image file: skipped without opening it.`);
  }
}

/** Absolute paths of the visible files under `dir` (hidden files and folders skipped), sorted, and what was left out. */
export async function scanImageFolder(dir: string, recursive: boolean): Promise<FolderScan> {
  const root = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StudioError('NOT_FOUND', `The folder ${root} does not exist.`);
    throw new StudioError('IO_ERROR', `Could not open the folder ${root}: ${(err as Error).message}`);
  }
  if (!stat.isDirectory()) throw new StudioError('NOT_FOUND', `${root} is not a folder.`);
  try {
    await fsp.access(root, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw new StudioError('IO_ERROR', `Could not read the folder ${root}: ${(err as Error).message}`);
  }
  const scan: FolderScan = { files: [], skipped: [] };
  await walk(root, root, recursive, scan);
  scan.files.sort();
  scan.skipped.sort((a, b) => a.path.localeCompare(b.path));
  return scan;
}

/** Absolute paths of the visible files under `dir` (hidden files and folders skipped), sorted. */
export async function listCandidateFiles(dir: string, recursive: boolean): Promise<string[]> {
  return (await scanImageFolder(dir, recursive)).files;
}
