// The emoji-objects recipe run as its users run it: every emoji object of the package once, no skin-tone variants.
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
});
