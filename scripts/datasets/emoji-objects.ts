// Recipe for the image folder the StyleGAN2 / PGGAN emoji demo trains on: one file per emoji object from the
// MIT-licensed @lobehub/fluent-emoji-3d package, leaving out the skin-tone variants (codepoints U+1F3FB–U+1F3FF),
// which repeat an object in five shades and would weigh hands and people five times over.
//
//   node --import tsx scripts/datasets/emoji-objects.ts --out DIR
//
// The files are linked (copied where links are not allowed), not converted: the training job centre-crops, flattens
// the transparency onto white and resizes to the model's size itself, with a notice.
import { copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { emojiAssetsDir } from './emoji-edges.js';

const SKIN_TONE = /(^|-)1f3f[b-f](-|\.|$)/;

/** The package's files that are not skin-tone variants, in name order. */
export async function emojiObjectFiles(): Promise<string[]> {
  const names = await readdir(emojiAssetsDir());
  return names.filter((name) => name.endsWith('.webp') && !SKIN_TONE.test(name)).sort();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('Usage: node --import tsx scripts/datasets/emoji-objects.ts --out DIR');
  const outDir = path.resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const files = await emojiObjectFiles();
  for (const name of files) {
    const from = path.join(emojiAssetsDir(), name);
    const to = path.join(outDir, name);
    await symlink(from, to).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return;
      await copyFile(from, to);
    });
  }
  console.log(`${files.length} emoji objects in ${outDir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
