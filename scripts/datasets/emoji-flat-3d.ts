// Recipe for the two image folders the CycleGAN demo trains on: the same emoji drawn flat (A: Microsoft Fluent Emoji
// flat, the MIT-licensed @iconify-json/fluent-emoji-flat SVGs, rendered here by sharp) and in 3D (B: the MIT-licensed
// @lobehub/fluent-emoji-3d WebP renders). The training never sees the pairing; it lets the shipped model be measured
// against each held-out emoji's true counterpart.
//
//   node --import tsx scripts/datasets/emoji-flat-3d.ts --out DIR [--size 128] [--limit N]
//
// DIR/A/<codepoints>.png and DIR/B/<codepoints>.png: one emoji under the same name on both sides, so the training job's
// held-out split (a hash of the file name and the run seed, prepare-pairs.ts splitOf) keeps the same emoji out of A and
// B. Both are composited on white with the emoji-edges margin at the CycleGAN load size for --size (143 px for 128), so
// the job's random 128 px crops show each emoji at the scale of the 3D renders. DIR/dataset.json, written last, records
// the recipe, the counts and the names held out for `gan-studio train cyclegan`'s defaults (seed 1, 5 %).
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { toErrorShape } from '../../main/api/errors.js';
import { referenceLoadSize } from '../../models/common/crop-and-flip.js';
import { decodeRgb, encodePng } from '../../main/data/image-pixels.js';
import { splitOf } from '../../main/data/prepare-pairs.js';
import { writeFileAtomic } from '../../main/library/atomic-write.js';
import { EMOJI_MARGIN, emojiAssetsDir } from './emoji-edges.js';

const FLAT_PACKAGE = '@iconify-json/fluent-emoji-flat';
const THREE_D_PACKAGE = '@lobehub/fluent-emoji-3d';
export const DATASET_JSON = 'dataset.json';
/** The split `gan-studio train cyclegan` makes by default: --seed 1, and the job's 5 % (main/jobs/kinds/train-cyclegan.ts). */
export const TRAINING_SEED = 1;
export const HELD_OUT_FRACTION = 0.05;
// The 3D renders are 256 px for Fluent's 32-unit frame (four are 33 units tall: 256×264). The flat SVGs share that
// frame and its padding, so drawn at 8 px per unit a flat emoji covers the pixels its 3D counterpart covers (their
// bounding boxes agree within a few pixels). Both then go through the same decode: centre square, margin, resize.
const THREE_D_SIDE = 256;
const VARIATION_SELECTOR = 'fe0f';
const SKIN_TONE = /^1f3f[b-f]$/; // U+1F3FB–U+1F3FF, as emoji-objects.ts leaves them out
const CONCURRENCY = 4; // sharp renders and encodes on libuv's pool
const EMOJI_PNG = /^[0-9a-f]+(-[0-9a-f]+)*\.png$/;

export interface IconifyIcon {
  body: string;
  left?: number;
  top?: number;
  width?: number;
  height?: number;
}

/** The part of an Iconify JSON icon set this recipe reads (https://iconify.design/docs/types/iconify-json.html). */
export interface IconifySet {
  icons: Record<string, IconifyIcon>;
  left?: number;
  top?: number;
  width?: number;
  height?: number;
}

/** One emoji of both packages: the file stem on both sides, the flat icon's name and the 3D file's name. */
export interface EmojiPair {
  name: string; // codepoints without FE0F, e.g. 1f600, 0023-20e3
  flatIcon: string;
  threeDFile: string;
}

export interface Skipped {
  file: string;
  reason: string;
}

/** How the two packages pair up. */
export interface EmojiMatch {
  pairs: EmojiPair[]; // in name order
  skinToneVariants: number; // emoji left out because their sequence has a skin-tone modifier
  onlyFlat: string[]; // sequences (skin tones left out) drawn only flat
  onlyThreeD: string[]; // … only in 3D (the flags, for one)
  duplicates: Skipped[]; // second spellings of one sequence, left out
}

export interface EmojiFlat3dManifest {
  format: 'gan-studio.emoji-flat-3d';
  version: 1;
  recipe: string;
  sources: Record<'A' | 'B', { package: string; version: string; licence: string; files: string }>;
  pairing: string;
  size: number; // the training crop
  storedSize: number; // side of every file in A/ and B/
  margin: number; // white border, as a fraction of the emoji's side (image-pixels DecodeOptions)
  complete: boolean; // false for a --limit or hand-picked subset
  counts: { pairs: number; train: number; heldOut: number; skipped: number; skinToneVariants: number; onlyFlat: number; onlyThreeD: number; duplicateSpellings: number };
  split: { seed: number; heldOutFraction: number; heldOut: string[] }; // file names, the same in A/ and B/
  names: string[]; // every pair's file name
  skipped: Skipped[]; // emoji of both packages that did not render
  onlyFlat: string[];
  onlyThreeD: string[];
  duplicateSpellings: Skipped[];
}

export interface EmojiFlat3dOptions {
  outDir: string;
  size?: number; // training crop side in pixels; default 128
  only?: readonly string[]; // just these emoji, by codepoints (FE0F optional), for a test or a look
  limit?: number; // only the first N pairs in name order
  onProgress?: (done: number, total: number) => void;
}

const requireHere = createRequire(import.meta.url);
const packageVersion = (name: string): string => (requireHere(`${name}/package.json`) as { version: string }).version;

/** A codepoint sequence as both sides are keyed: lower case, FE0F dropped (the flat set never writes it; the 3D set does in places). */
export function normaliseCodepoints(sequence: string): string {
  return sequence
    .toLowerCase()
    .split('-')
    .filter((cp) => cp !== VARIATION_SELECTOR)
    .join('-');
}

const hasSkinTone = (name: string): boolean => name.split('-').some((cp) => SKIN_TONE.test(cp));
const qualifiers = (sequence: string): number => sequence.split('-').filter((cp) => cp === VARIATION_SELECTOR).length;

/**
 * Entries keyed by normalised sequence. Where two spellings of one sequence exist (1f441-200d-1f5e8 and
 * 1f441-fe0f-200d-1f5e8-fe0f) the fully-qualified one — more FE0F — is kept and the other listed.
 */
function bySequence(entries: ReadonlyArray<{ sequence: string; value: string }>, label: string): { map: Map<string, { sequence: string; value: string }>; duplicates: Array<Skipped & { key: string }> } {
  const map = new Map<string, { sequence: string; value: string }>();
  const duplicates: Array<Skipped & { key: string }> = [];
  for (const entry of [...entries].sort((x, y) => x.sequence.localeCompare(y.sequence))) {
    const key = normaliseCodepoints(entry.sequence);
    const other = map.get(key);
    if (other === undefined) {
      map.set(key, entry);
      continue;
    }
    const [kept, dropped] = qualifiers(entry.sequence) > qualifiers(other.sequence) ? [entry, other] : [other, entry];
    map.set(key, kept);
    duplicates.push({ key, file: `${label}/${dropped.value}`, reason: `another spelling of ${kept.value} (FE0F differs); the fully-qualified one is used` });
  }
  return { map, duplicates };
}

let flatSet: Promise<{ set: IconifySet; chars: Record<string, string> }> | undefined;
/** icons.json (name → SVG body) and chars.json (codepoints → name) of the flat package, read once. */
function readFlatSet(): Promise<{ set: IconifySet; chars: Record<string, string> }> {
  flatSet ??= (async () => {
    const json = async <T>(file: string): Promise<T> => JSON.parse(await readFile(requireHere.resolve(`${FLAT_PACKAGE}/${file}`), 'utf8')) as T;
    return { set: await json<IconifySet>('icons.json'), chars: await json<Record<string, string>>('chars.json') };
  })();
  return flatSet;
}

/** Pairs the flat set's codepoints (chars.json) with the 3D package's file names; skin-tone variants left out. */
export async function matchEmoji(): Promise<EmojiMatch> {
  const { chars } = await readFlatSet();
  const threeDFiles = (await readdir(emojiAssetsDir())).filter((file) => file.endsWith('.webp'));
  const flat = bySequence(Object.entries(chars).map(([sequence, value]) => ({ sequence, value })), 'flat');
  const threeD = bySequence(threeDFiles.map((file) => ({ sequence: file.slice(0, -'.webp'.length), value: file })), '3D');
  const all = new Set([...flat.map.keys(), ...threeD.map.keys()]);
  const kept = [...all].filter((name) => !hasSkinTone(name)).sort();
  return {
    pairs: kept.filter((name) => flat.map.has(name) && threeD.map.has(name)).map((name) => ({ name, flatIcon: flat.map.get(name)!.value, threeDFile: threeD.map.get(name)!.value })),
    skinToneVariants: all.size - kept.length,
    onlyFlat: kept.filter((name) => !threeD.map.has(name)),
    onlyThreeD: kept.filter((name) => !flat.map.has(name)),
    duplicates: [...flat.duplicates, ...threeD.duplicates].filter(({ key }) => !hasSkinTone(key)).map(({ file, reason }) => ({ file, reason })),
  };
}

/** An icon of the set as a standalone SVG document, sized at the 3D renders' scale (8 px per unit for a 32-unit set). */
export function flatIconSvg(set: IconifySet, name: string): string {
  const icon = set.icons[name];
  if (icon === undefined) throw new Error(`${name} is not an icon of ${FLAT_PACKAGE} (an alias, or missing)`);
  const left = icon.left ?? set.left ?? 0;
  const top = icon.top ?? set.top ?? 0;
  const width = icon.width ?? set.width ?? 16; // Iconify's defaults
  const height = icon.height ?? set.height ?? 16;
  const scale = THREE_D_SIDE / (set.width ?? 16);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width * scale}" height="${height * scale}" viewBox="${left} ${top} ${width} ${height}">${icon.body}</svg>`;
}

function assertNotBlank(rgb: Uint8Array, what: string): void {
  if (rgb.every((v) => v === 255)) throw new Error(`${what} rendered blank`);
}

/** Both sides of one pair: `storedSize × storedSize × 3` RGB, the emoji flattened onto white with the margin. */
async function renderPair(pair: EmojiPair, set: IconifySet, storedSize: number): Promise<{ a: Uint8Array; b: Uint8Array }> {
  // decodeRgb refuses SVG documents (they draw at whatever size they ask), so the icon is drawn to a PNG first.
  const drawn = await sharp(Buffer.from(flatIconSvg(set, pair.flatIcon))).png().toBuffer();
  const [a, b] = await Promise.all([
    decodeRgb(drawn, storedSize, { name: `${pair.flatIcon}.svg`, margin: EMOJI_MARGIN }),
    decodeRgb(path.join(emojiAssetsDir(), pair.threeDFile), storedSize, { name: pair.threeDFile, margin: EMOJI_MARGIN }),
  ]);
  assertNotBlank(a, `${pair.flatIcon}.svg`);
  assertNotBlank(b, pair.threeDFile);
  return { a, b };
}

/** Removes emoji files a new build does not list (left by an earlier, larger build): the job reads whole folders. */
async function removeStaleFiles(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const side of ['A', 'B']) {
    for (const entry of await readdir(path.join(outDir, side))) {
      if (EMOJI_PNG.test(entry) && !keep.has(entry)) await rm(path.join(outDir, side, entry), { force: true });
    }
  }
}

function chosenPairs(match: EmojiMatch, options: EmojiFlat3dOptions): EmojiPair[] {
  let pairs = match.pairs;
  if (options.only !== undefined) {
    const wanted = new Set(options.only.map(normaliseCodepoints));
    pairs = pairs.filter((pair) => wanted.has(pair.name));
    const missing = [...wanted].filter((name) => !pairs.some((pair) => pair.name === name));
    if (missing.length > 0) throw new Error(`not an emoji of both packages (skin-tone variants are left out): ${missing.join(', ')}`);
  }
  return options.limit === undefined ? pairs : pairs.slice(0, options.limit);
}

/** Builds `outDir` (A/, B/, dataset.json). An emoji that does not render is skipped and listed, never fatal. */
export async function buildEmojiFlat3dDataset(options: EmojiFlat3dOptions): Promise<EmojiFlat3dManifest> {
  const size = options.size ?? 128;
  const storedSize = referenceLoadSize(size);
  const { outDir } = options;
  const match = await matchEmoji();
  const work = chosenPairs(match, options);
  const { set } = await readFlatSet();
  await mkdir(path.join(outDir, 'A'), { recursive: true });
  await mkdir(path.join(outDir, 'B'), { recursive: true });
  await rm(path.join(outDir, DATASET_JSON), { force: true }); // no record of an earlier build while this one runs

  const written: Array<string | undefined> = new Array(work.length);
  const failed: Array<Skipped | undefined> = new Array(work.length);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, work.length);
  const worker = async (): Promise<void> => {
    while (next < work.length) {
      const index = next++;
      const pair = work[index]!;
      const file = `${pair.name}.png`;
      let pixels: { a: Uint8Array; b: Uint8Array } | undefined;
      try {
        pixels = await renderPair(pair, set, storedSize);
      } catch (err) {
        failed[index] = { file: `${pair.flatIcon} / ${pair.threeDFile}`, reason: toErrorShape(err).message };
      }
      if (pixels !== undefined) {
        const [pngA, pngB] = await Promise.all([encodePng(pixels.a, storedSize), encodePng(pixels.b, storedSize)]);
        await writeFileAtomic(path.join(outDir, 'A', file), pngA);
        await writeFileAtomic(path.join(outDir, 'B', file), pngB);
        written[index] = file;
      }
      options.onProgress?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const names = written.filter((name) => name !== undefined);
  await removeStaleFiles(outDir, new Set(names));
  // The job names each image by its path under the folder, the same in A and B, so one list serves both sides.
  const heldOut = names.filter((name) => splitOf(name, TRAINING_SEED, HELD_OUT_FRACTION) === 'test');
  const skipped = failed.filter((s) => s !== undefined);
  const flags = `--size ${size}${options.limit === undefined ? '' : ` --limit ${options.limit}`}`;
  const manifest: EmojiFlat3dManifest = {
    format: 'gan-studio.emoji-flat-3d',
    version: 1,
    recipe: `node --import tsx scripts/datasets/emoji-flat-3d.ts --out DIR ${flags}`,
    sources: {
      A: { package: FLAT_PACKAGE, version: packageVersion(FLAT_PACKAGE), licence: 'MIT', files: `icons.json SVGs (chars.json: codepoints → icon) drawn by sharp at ${THREE_D_SIDE / (set.width ?? 16)} px per unit` },
      B: { package: THREE_D_PACKAGE, version: packageVersion(THREE_D_PACKAGE), licence: 'MIT', files: 'assets/<codepoints>.webp, 256×256 RGBA' },
    },
    pairing: 'by codepoint sequence with FE0F dropped on both sides (of two 3D spellings the fully-qualified one); skin-tone variants (U+1F3FB–U+1F3FF) left out',
    size,
    storedSize,
    margin: EMOJI_MARGIN,
    complete: options.only === undefined && options.limit === undefined,
    counts: {
      pairs: names.length,
      train: names.length - heldOut.length,
      heldOut: heldOut.length,
      skipped: skipped.length,
      skinToneVariants: match.skinToneVariants,
      onlyFlat: match.onlyFlat.length,
      onlyThreeD: match.onlyThreeD.length,
      duplicateSpellings: match.duplicates.length,
    },
    split: { seed: TRAINING_SEED, heldOutFraction: HELD_OUT_FRACTION, heldOut },
    names,
    skipped,
    onlyFlat: match.onlyFlat,
    onlyThreeD: match.onlyThreeD,
    duplicateSpellings: match.duplicates,
  };
  await writeFileAtomic(path.join(outDir, DATASET_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}.`);
  return n;
}

const USAGE = '--out DIR [--size 128] [--limit N]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, size: { type: 'string' }, limit: { type: 'string' } } });
  if (!values.out) throw new Error(`Usage: node --import tsx scripts/datasets/emoji-flat-3d.ts ${USAGE}`);
  const size = positiveInteger(values.size, '--size') ?? 128;
  const limit = positiveInteger(values.limit, '--limit');
  const outDir = path.resolve(values.out);
  const started = performance.now();
  let lastShown = -1;
  const onProgress = (done: number, total: number): void => {
    const percent = total === 0 ? 100 : Math.floor((100 * done) / total);
    if (percent === lastShown && done !== total) return;
    lastShown = percent;
    const line = `emoji-flat-3d: ${done}/${total} (${percent} %)`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (percent % 10 === 0) console.log(line);
  };

  console.log(`emoji-flat-3d: ${FLAT_PACKAGE} ↔ ${THREE_D_PACKAGE} → ${outDir} (crop ${size}, stored ${referenceLoadSize(size)})`);
  const manifest = await buildEmojiFlat3dDataset({ outDir, size, ...(limit === undefined ? {} : { limit }), onProgress });
  const { counts } = manifest;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `emoji-flat-3d: ${counts.pairs} pairs (${counts.train} train, ${counts.heldOut} held out for seed ${TRAINING_SEED}), ${counts.skipped} skipped; ` +
      `left out: ${counts.skinToneVariants} skin-tone variants, ${counts.onlyFlat} only flat, ${counts.onlyThreeD} only 3D, ` +
      `${counts.duplicateSpellings} second spellings; ${seconds.toFixed(1)} s`,
  );
  for (const { file, reason } of manifest.skipped) console.log(`  skipped ${file}: ${reason}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(`emoji-flat-3d: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
