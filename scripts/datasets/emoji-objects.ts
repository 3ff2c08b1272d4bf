// Recipe for the image folder the StyleGAN2 / PGGAN emoji demo trains on: one file per emoji object from the
// MIT-licensed @lobehub/fluent-emoji-3d package, leaving out the skin-tone variants (codepoints U+1F3FB–U+1F3FF),
// which repeat an object in five shades and would weigh hands and people five times over.
//
//   node --import tsx scripts/datasets/emoji-objects.ts --out DIR [--category "Smileys & Emotion"]
//
// --category keeps one of the Unicode emoji groups, as the flat package's metadata.json files its icons (the 3D package
// has no such list; the two share codepoints, paired by emoji-flat-3d.ts). One group of alike pictures is what a
// StyleGAN2 small enough for a laptop CPU learns to recognisable emoji in hours; all 1 871 objects take far longer.
//
// The files are linked (copied where links are not allowed), not converted: the training job centre-crops, flattens
// the transparency onto white and resizes to the model's size itself, with a notice.
import { copyFile, mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { emojiAssetsDir } from './emoji-edges.js';
import { matchEmoji } from './emoji-flat-3d.js';

const SKIN_TONE = /(^|-)1f3f[b-f](-|\.|$)/;

/** The package's files that are not skin-tone variants, in name order. */
export async function emojiObjectFiles(): Promise<string[]> {
  const names = await readdir(emojiAssetsDir());
  return names.filter((name) => name.endsWith('.webp') && !SKIN_TONE.test(name)).sort();
}

/** The emoji groups of the flat package's metadata.json: group name → icon names. */
async function emojiGroups(): Promise<Record<string, string[]>> {
  const file = createRequire(import.meta.url).resolve('@iconify-json/fluent-emoji-flat/metadata.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { categories: Record<string, string[]> }).categories;
}

/** The 3D files of one emoji group (skin-tone variants left out), in name order. */
export async function emojiGroupFiles(group: string): Promise<string[]> {
  const groups = await emojiGroups();
  const icons = groups[group];
  if (icons === undefined) throw new Error(`No emoji group "${group}"; the groups are: ${Object.keys(groups).join(', ')}`);
  const inGroup = new Set(icons);
  const { pairs } = await matchEmoji();
  return pairs
    .filter((pair) => inGroup.has(pair.flatIcon))
    .map((pair) => pair.threeDFile)
    .sort();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, category: { type: 'string' } } });
  if (!values.out) throw new Error('Usage: node --import tsx scripts/datasets/emoji-objects.ts --out DIR [--category GROUP]');
  const outDir = path.resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const files = values.category === undefined ? await emojiObjectFiles() : await emojiGroupFiles(values.category);
  for (const name of files) {
    const from = path.join(emojiAssetsDir(), name);
    const to = path.join(outDir, name);
    await symlink(from, to).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return;
      await copyFile(from, to);
    });
  }
  console.log(`${files.length} emoji ${values.category === undefined ? 'objects' : `of ${values.category}`} in ${outDir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
