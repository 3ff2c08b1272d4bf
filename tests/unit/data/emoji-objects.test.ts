// The emoji-objects recipe run as its users run it: every emoji object of the package once, no skin-tone variants;
// or one emoji group of them.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-home.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('emoji-objects recipe', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => tmp.remove());

  it('links 1871 readable emoji, the grinning face among them and no skin-tone variant', async () => {
    const out = path.join(tmp.dir, 'emoji');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/datasets/emoji-objects.ts'), '--out', out], { cwd: repoRoot });
    expect(stdout).toContain('1871 emoji objects');
    const names = await readdir(out);
    expect(names).toHaveLength(1871);
    expect(names.filter((n) => /1f3f[b-f]/.test(n))).toEqual([]);
    expect(names).toContain('1f600.webp');
    expect((await sharp(path.join(out, '1f600.webp')).metadata()).width).toBe(256);
  }, 60_000);

  it('keeps one emoji group with --category, and names the groups when asked for one that does not exist', async () => {
    const out = path.join(tmp.dir, 'smileys');
    const run = (category: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/datasets/emoji-objects.ts'), '--out', out, '--category', category], { cwd: repoRoot });
    const { stdout } = await run('Smileys & Emotion');
    expect(stdout).toContain('167 emoji of Smileys & Emotion');
    const names = await readdir(out);
    expect(names).toHaveLength(167);
    expect(names).toEqual(expect.arrayContaining(['1f600.webp', '1f60d.webp', '2764-fe0f.webp'])); // grinning face, heart eyes, red heart
    expect(names).not.toContain('1f951.webp'); // avocado: Food & Drink
    expect(names.filter((n) => /1f3f[b-f]/.test(n))).toEqual([]);
    await expect(run('Faces')).rejects.toThrow(/No emoji group "Faces"; the groups are: Activities, .*Smileys & Emotion/);
  }, 60_000);
});
