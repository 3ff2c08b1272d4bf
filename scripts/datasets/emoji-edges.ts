// Recipe for the edges → 3D-emoji sketch-to-photo dataset, made from the MIT-licensed @lobehub/fluent-emoji-3d package.
//
//   node --import tsx scripts/datasets/emoji-edges.ts --out DIR [--size 128] [--limit N]
//
// Every emoji (256×256 WebP with transparency) is composited on white with a margin, stored at pix2pix's load
// size for the training size (286/256 of it: 143 for 128) as B, with its pen-like edges as A; 5 % held out.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { preparePairs, type PreparedDatasetManifest } from '../../main/data/prepare-pairs.js';

/** The package's folder of ~3391 emoji, `<codepoints>.webp`, 256×256 RGBA. */
export function emojiAssetsDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('@lobehub/fluent-emoji-3d/package.json');
  return path.join(path.dirname(packageJson), 'assets');
}

/** pix2pix's load_size for a crop size: 286 for 256 (junyanz defaults), so 143 for 128. */
export function storedSizeFor(size: number): number {
  return Math.round((size * 286) / 256);
}

// The emoji touch their 256 px frame; drawn at 256 inside a white 286 canvas, the centre crop of a stored pair
// shows the whole emoji at the training size, and a random crop shifts it by at most the slack (15 px at 128).
export const EMOJI_MARGIN = (286 - 256) / 2 / 256;
const HELD_OUT_FRACTION = 0.05;
const SEED = 'emoji-edges';

export interface EmojiEdgesOptions {
  outDir: string;
  size?: number; // training crop side in pixels; default 128
  limit?: number; // only the first N emoji in file-name order
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Builds the dataset into `outDir` (a/, b/, dataset.json); see prepare-pairs.ts for the layout. */
export async function buildEmojiEdgesDataset(options: EmojiEdgesOptions): Promise<PreparedDatasetManifest> {
  const size = options.size ?? 128;
  return preparePairs(
    { kind: 'photos', dir: emojiAssetsDir(), margin: EMOJI_MARGIN },
    {
      outDir: options.outDir,
      storedSize: storedSizeFor(size),
      heldOutFraction: HELD_OUT_FRACTION,
      seed: SEED,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}.`);
  return n;
}

const USAGE = '--out DIR [--size 128] [--limit N]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, size: { type: 'string' }, limit: { type: 'string' } },
  });
  if (!values.out) throw new Error(`Usage: node --import tsx scripts/datasets/emoji-edges.ts ${USAGE}`);
  const size = positiveInteger(values.size, '--size') ?? 128;
  const limit = positiveInteger(values.limit, '--limit');
  const outDir = path.resolve(values.out);

  // Ctrl-C stops after the pairs in hand and still writes a manifest for what was done.
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = performance.now();
  let lastShown = -1;
  const onProgress = (done: number, total: number): void => {
    const percent = total === 0 ? 100 : Math.floor((100 * done) / total);
    if (percent === lastShown && done !== total) return;
    lastShown = percent;
    const line = `emoji-edges: ${done}/${total} (${percent} %)`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (percent % 10 === 0) console.log(line);
  };

  console.log(`emoji-edges: ${emojiAssetsDir()} → ${outDir} (crop ${size}, stored ${storedSizeFor(size)})`);
  const manifest = await buildEmojiEdgesDataset({
    outDir,
    size,
    ...(limit === undefined ? {} : { limit }),
    signal: controller.signal,
    onProgress,
  });
  const seconds = (performance.now() - started) / 1000;
  const test = manifest.pairs.filter((p) => p.split === 'test').length;
  console.log(
    `emoji-edges: ${manifest.pairs.length} pairs (${manifest.pairs.length - test} train, ${test} test), ` +
      `${manifest.skipped.length} skipped, ${seconds.toFixed(1)} s`,
  );
  for (const { file, reason } of manifest.skipped.slice(0, 10)) console.log(`  skipped ${file}: ${reason}`);
  if (manifest.skipped.length > 10) console.log(`  … and ${manifest.skipped.length - 10} more (see dataset.json)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(`emoji-edges: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
