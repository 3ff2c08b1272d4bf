// Builds a prepared pix2pix dataset folder (a/, b/, dataset.json) from image folders, and loads one back into memory.
//
// Folder layout, all images `storedSize × storedSize` RGB PNG:
//   outDir/a/00000.png   input (sketch / edges / label map)
//   outDir/b/00000.png   target (photo)
//   outDir/dataset.json  PreparedDatasetManifest, written last: only pairs it lists are part of the dataset.
import { createHash } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioError, toErrorShape } from '../api/errors.js';
import { writeFileAtomic } from '../library/atomic-write.js';
import { parseUntrustedJson } from '../model-files/untrusted-json.js';
import { extractEdges } from './edge-extractor.js';
import { listCandidateFiles } from './image-ingest.js';
import { decodeRgb, decodeSideBySide, decodeStoredRgb, encodePng } from './image-pixels.js';
import type { PairedDataset, RgbPair } from '../../models/common/datasets.js';
import { mkdirInLiveProject } from '../library/project-paths.js';

export const DATASET_MANIFEST_FILE = 'dataset.json';
export const DATASET_FORMAT = 'gan-studio.paired-dataset';
export const DATASET_FORMAT_VERSION = 1;
// Pairs decoded and written at once: sharp decodes and encodes on libuv's thread pool while edges run here.
const CONCURRENCY = 4;
const PAIR_FILE = /^\d{5,}\.png$/;

const EdgeOptionsSchema = z.object({
  sigma: z.number().min(0).optional(),
  highPercentile: z.number().gt(0).lt(1).optional(),
  lowRatio: z.number().gt(0).max(1).optional(),
  minContrast: z.number().min(0).optional(),
  minComponentPixels: z.number().int().min(1).optional(),
});

/** Where pairs come from. */
export const PairSource = z.discriminatedUnion('kind', [
  /** One folder of A|B images: left half A, right half B (the layout of pix2pix's published datasets). */
  z.object({ kind: z.literal('side-by-side'), dir: z.string() }),
  /** Two folders whose files pair up by name without extension: aDir/x.png ↔ bDir/x.jpg. */
  z.object({ kind: z.literal('two-folders'), aDir: z.string(), bDir: z.string() }),
  /** Photos only: B is the photo, A its pen-like edges (edge-extractor.ts), for sketch-to-photo. */
  z.object({
    kind: z.literal('photos'),
    dir: z.string(),
    margin: z.number().min(0).max(1).optional(), // white border around each photo, see image-pixels DecodeOptions
    edges: EdgeOptionsSchema.optional(),
  }),
]);
export type PairSource = z.infer<typeof PairSource>;

export const DatasetSplit = z.enum(['train', 'test']);
export type DatasetSplit = z.infer<typeof DatasetSplit>;

export const PreparedDatasetManifest = z.object({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(DATASET_FORMAT_VERSION),
  storedSize: z.number().int().positive(), // side of every stored image, in pixels (pix2pix's load_size)
  source: z.object({ description: z.string(), settings: PairSource }),
  heldOutFraction: z.number().min(0).lt(1),
  seed: z.union([z.number(), z.string()]),
  /** False when preparation was cancelled: the pairs listed are complete, the rest of the source is missing. */
  complete: z.boolean(),
  pairs: z.array(
    z.object({
      id: z.string().regex(/^\d{5,}$/), // file stem in a/ and b/
      name: z.string(), // original file, relative to its source folder (B's file for two folders)
      aName: z.string().optional(), // A's original file when A and B come from different files
      split: DatasetSplit,
    }),
  ),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});
export type PreparedDatasetManifest = z.infer<typeof PreparedDatasetManifest>;
export type PreparedPair = PreparedDatasetManifest['pairs'][number];
export type SkippedFile = PreparedDatasetManifest['skipped'][number];

export const PrepareOptions = z.object({
  outDir: z.string(),
  storedSize: z.number().int().positive(),
  heldOutFraction: z.number().min(0).lt(1),
  seed: z.union([z.number(), z.string()]),
  /** Only the first `limit` candidates in name order, for a quick trial. */
  limit: z.number().int().positive().optional(),
});
export type PrepareOptions = z.infer<typeof PrepareOptions>;

export interface PrepareControl {
  signal?: AbortSignal;
  /** Called after each source item, paired or skipped; `total` counts items (files, or stems for two folders). */
  onProgress?: (done: number, total: number) => void;
}

/** A prepared dataset in memory, with the original file name of each pair for previews. */
export interface LoadedPairedDataset extends PairedDataset {
  readonly names: readonly string[];
}

/** One unit of work: a pair to produce, or a file already known to be unusable. */
type WorkItem =
  | { name: string; aName?: string; decode: (size: number) => Promise<{ a: Uint8Array; b: Uint8Array }> }
  | { skip: SkippedFile };

/**
 * Held-out split by a hash of the pair's name and the seed: the same name always lands in the same split, so
 * re-running (or adding files to the folder) never moves a test pair into training.
 */
export function splitOf(name: string, seed: number | string, heldOutFraction: number): DatasetSplit {
  const digest = createHash('sha256').update(`${String(seed)}\0${name}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < heldOutFraction ? 'test' : 'train';
}

function describe(source: PairSource): string {
  switch (source.kind) {
    case 'side-by-side':
      return `Side-by-side A|B images from ${source.dir}`;
    case 'two-folders':
      return `A from ${source.aDir}, B from ${source.bDir}, matched by file name`;
    case 'photos':
      return `Photos from ${source.dir} as B; A = pen-like edges extracted from each photo`;
  }
}

function stemOf(relative: string): string {
  const parsed = path.parse(relative);
  return path.join(parsed.dir, parsed.name);
}

async function planWork(source: PairSource): Promise<WorkItem[]> {
  switch (source.kind) {
    case 'side-by-side': {
      const files = await listCandidateFiles(source.dir, false);
      return files.map((file) => {
        const name = path.relative(source.dir, file);
        return { name, decode: (size: number) => decodeSideBySide(file, size, { name }) };
      });
    }
    case 'photos': {
      const files = await listCandidateFiles(source.dir, false);
      return files.map((file) => {
        const name = path.relative(source.dir, file);
        return {
          name,
          decode: async (size: number) => {
            const b = await decodeRgb(file, size, { name, margin: source.margin ?? 0 });
            return { a: extractEdges(b, size, source.edges), b };
          },
        };
      });
    }
    case 'two-folders':
      return planTwoFolders(source.aDir, source.bDir);
  }
}

/** Pairs by stem; a stem in one folder only, or twice in one folder, is skipped with its reason. */
async function planTwoFolders(aDir: string, bDir: string): Promise<WorkItem[]> {
  const items = new Map<string, { a?: string; b?: string; duplicates: SkippedFile[] }>();
  for (const [label, dir] of [['A', aDir], ['B', bDir]] as const) {
    for (const file of await listCandidateFiles(dir, false)) {
      const relative = path.relative(dir, file);
      const stem = stemOf(relative);
      const entry = items.get(stem) ?? { duplicates: [] };
      items.set(stem, entry);
      const key = label === 'A' ? 'a' : 'b';
      if (entry[key] === undefined) entry[key] = relative;
      else {
        const reason = `${label} has another file named ${stem}: ${entry[key]}.`;
        entry.duplicates.push({ file: `${label}/${relative}`, reason });
      }
    }
  }
  const work: WorkItem[] = [];
  for (const stem of [...items.keys()].sort()) {
    const { a, b, duplicates } = items.get(stem)!;
    for (const skip of duplicates) work.push({ skip });
    if (a === undefined) work.push({ skip: { file: `B/${b}`, reason: `No file named ${stem} in the A folder.` } });
    else if (b === undefined) work.push({ skip: { file: `A/${a}`, reason: `No file named ${stem} in the B folder.` } });
    else {
      work.push({
        name: b,
        aName: a,
        decode: async (size) => {
          const [pa, pb] = await Promise.all([
            decodeRgb(path.join(aDir, a), size, { name: `A/${a}` }),
            decodeRgb(path.join(bDir, b), size, { name: `B/${b}` }),
          ]);
          return { a: pa, b: pb };
        },
      });
    }
  }
  return work;
}

function pairId(index: number): string {
  return String(index).padStart(5, '0');
}

/** Removes numbered pair files that the new manifest does not list (left by an earlier, larger preparation). */
async function removeStalePairFiles(outDir: string, keep: Set<string>): Promise<void> {
  for (const folder of ['a', 'b']) {
    const entries = await readdir(path.join(outDir, folder)).catch(() => [] as string[]);
    for (const entry of entries) {
      if (PAIR_FILE.test(entry) && !keep.has(entry.slice(0, -'.png'.length))) {
        await rm(path.join(outDir, folder, entry), { force: true });
      }
    }
  }
}

/**
 * Decodes every source item to `storedSize`, writes `a/NNNNN.png` and `b/NNNNN.png` (atomically), then
 * `dataset.json`. Unusable files are listed in `skipped` and never stop the job. Ids follow the source's name
 * order (skipped items leave gaps), so a re-run writes the same pair to the same id. A manifest from an earlier
 * run is removed before any pair file is rewritten, so a crash leaves no manifest rather than a wrong one.
 * On abort, the manifest is written for the pairs finished so far (`complete: false`) and the promise rejects
 * with StudioError CANCELLED.
 */
export async function preparePairs(
  sourceInput: PairSource,
  optionsInput: PrepareOptions,
  control: PrepareControl = {},
): Promise<PreparedDatasetManifest> {
  const source = PairSource.parse(sourceInput);
  const options = PrepareOptions.parse(optionsInput);
  const { outDir, storedSize, heldOutFraction, seed } = options;
  const { signal, onProgress } = control;
  const planned = await planWork(source);
  const work = options.limit === undefined ? planned : planned.slice(0, options.limit);

  try {
    await mkdirInLiveProject(path.join(outDir, 'a'));
    await mkdirInLiveProject(path.join(outDir, 'b'));
    await rm(path.join(outDir, DATASET_MANIFEST_FILE), { force: true });
  } catch (err) {
    throw new StudioError('IO_ERROR', `Could not prepare the dataset folder ${outDir}: ${(err as Error).message}`);
  }

  const pairs: (PreparedPair | undefined)[] = new Array(work.length);
  const skipped: (SkippedFile | undefined)[] = new Array(work.length);
  let next = 0;
  let done = 0;
  onProgress?.(0, work.length);

  const processItem = async (index: number): Promise<void> => {
    const item = work[index]!;
    if ('skip' in item) {
      skipped[index] = item.skip;
      return;
    }
    let pixels: { a: Uint8Array; b: Uint8Array };
    try {
      pixels = await item.decode(storedSize);
    } catch (err) {
      const file = item.aName === undefined ? item.name : `A/${item.aName} + B/${item.name}`;
      skipped[index] = { file, reason: toErrorShape(err).message };
      return;
    }
    const id = pairId(index);
    try {
      const [pngA, pngB] = await Promise.all([encodePng(pixels.a, storedSize), encodePng(pixels.b, storedSize)]);
      await writeFileAtomic(path.join(outDir, 'a', `${id}.png`), pngA);
      await writeFileAtomic(path.join(outDir, 'b', `${id}.png`), pngB);
    } catch (err) {
      // The destination failing (disk full, permissions) is not the file's fault: stop the job.
      throw new StudioError('IO_ERROR', `Could not write pair ${id} into ${outDir}: ${(err as Error).message}`);
    }
    pairs[index] = {
      id,
      name: item.name,
      ...(item.aName === undefined ? {} : { aName: item.aName }),
      split: splitOf(item.name, seed, heldOutFraction),
    };
  };

  // Workers take items in order; each stops at the next item once the signal fires (or another worker failed),
  // finishing the one in hand, so nothing is still writing when this function returns or throws.
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < work.length && !signal?.aborted && failure === undefined) {
      const index = next++;
      try {
        await processItem(index);
      } catch (error) {
        failure = { error };
        return;
      }
      done++;
      onProgress?.(done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, Math.max(1, work.length)) }, worker));
  if (failure !== undefined) throw failure.error; // no manifest: the earlier one is gone, so no wrong one remains

  const manifest: PreparedDatasetManifest = PreparedDatasetManifest.parse({
    format: DATASET_FORMAT,
    version: DATASET_FORMAT_VERSION,
    storedSize,
    source: { description: describe(source), settings: source },
    heldOutFraction,
    seed,
    complete: !signal?.aborted,
    pairs: pairs.filter((p) => p !== undefined),
    skipped: skipped.filter((s) => s !== undefined),
  });
  await removeStalePairFiles(outDir, new Set(manifest.pairs.map((p) => p.id)));
  await writeFileAtomic(path.join(outDir, DATASET_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (signal?.aborted) {
    const message = `Dataset preparation cancelled after ${manifest.pairs.length} pairs of ${work.length} items.`;
    throw new StudioError('CANCELLED', message);
  }
  return manifest;
}

/** Reads and validates `dir/dataset.json`. */
export async function readDatasetManifest(dir: string): Promise<PreparedDatasetManifest> {
  const file = path.join(dir, DATASET_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new StudioError('NOT_FOUND', `${dir} is not a prepared dataset (no ${DATASET_MANIFEST_FILE}).`);
    }
    throw new StudioError('IO_ERROR', `Could not read ${file}: ${(err as Error).message}`);
  }
  const json = parseUntrustedJson(text);
  if (!json.ok) throw new StudioError('IO_ERROR', `${file} is not valid JSON (${json.problem}).`);
  const parsed = PreparedDatasetManifest.safeParse(json.value);
  if (!parsed.success) {
    throw new StudioError('IO_ERROR', `${file} is not a dataset manifest GAN Studio can read: ${parsed.error.message}`);
  }
  return parsed.data;
}

/**
 * Decodes every pair of one split into memory (uint8 RGB, `storedSize × storedSize × 3` each), so that `read` is
 * synchronous. About 2 × 61 KiB per pair at 143 px. Pixels come back exactly as stored (no resampling); a file
 * of another size or a damaged file rejects. `read` returns the stored arrays themselves: do not modify them.
 */
export async function loadPairedDataset(dir: string, split: DatasetSplit): Promise<LoadedPairedDataset> {
  const manifest = await readDatasetManifest(dir);
  const size = manifest.storedSize;
  const chosen = manifest.pairs.filter((p) => p.split === split);
  const loaded: RgbPair[] = new Array(chosen.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chosen.length) {
      const index = next++;
      const { id } = chosen[index]!;
      const [a, b] = await Promise.all([
        decodeStoredRgb(path.join(dir, 'a', `${id}.png`), size, { name: `a/${id}.png` }),
        decodeStoredRgb(path.join(dir, 'b', `${id}.png`), size, { name: `b/${id}.png` }),
      ]);
      loaded[index] = { a, b, size };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const names = chosen.map((p) => p.name);
  return {
    size,
    length: loaded.length,
    names,
    read(index: number): RgbPair {
      const pair = loaded[index];
      if (!Number.isInteger(index) || pair === undefined) {
        throw new RangeError(`Pair ${index} is outside the ${split} split of ${loaded.length} pairs.`);
      }
      return pair;
    },
  };
}
