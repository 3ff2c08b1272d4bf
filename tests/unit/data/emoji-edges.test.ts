// The emoji recipe run as its users run it, on the real package files: four emoji become four edge/photo pairs.
// (Run as a process rather than imported: scripts/ is outside the tests' TypeScript project.)
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPairedDataset, readDatasetManifest } from '../../../main/data/prepare-pairs.js';
import { tempDir } from '../../support/temp-home.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const recipe = path.join(repoRoot, 'scripts/datasets/emoji-edges.ts');
const assetsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@lobehub/fluent-emoji-3d/package.json')), 'assets');

async function runRecipe(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', recipe, ...args], { cwd: repoRoot });
  return stdout;
}

function inkFraction(rgb: Uint8Array): number {
  let ink = 0;
  for (let p = 0; p < rgb.length; p += 3) if (rgb[p] === 0 && rgb[p + 1] === 0 && rgb[p + 2] === 0) ink++;
  return ink / (rgb.length / 3);
}

describe('emoji-edges recipe', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir('gan-studio-emoji-');
  });
  afterEach(() => tmp.remove());

  it('turns the first four emoji of the package into line-drawing / photo pairs at 286/256 of the size', async () => {
    const outDir = path.join(tmp.dir, 'emoji');
    const stdout = await runRecipe('--out', outDir, '--size', '128', '--limit', '4');
    const manifest = await readDatasetManifest(outDir);
    const firstFour = (await readdir(assetsDir)).filter((f) => f.endsWith('.webp')).sort().slice(0, 4);

    expect(stdout).toMatch(/4 pairs \(\d train, \d test\), 0 skipped/);
    expect(manifest.storedSize).toBe(143);
    expect(manifest.heldOutFraction).toBe(0.05);
    expect(manifest.complete).toBe(true);
    expect(manifest.skipped).toEqual([]);
    expect(manifest.pairs.map((p) => p.name)).toEqual(firstFour);
    expect((await readdir(path.join(outDir, 'a'))).sort()).toEqual(['00000.png', '00001.png', '00002.png', '00003.png']);

    const train = await loadPairedDataset(outDir, 'train');
    const test = await loadPairedDataset(outDir, 'test');
    expect(train.length + test.length).toBe(4);
    for (let i = 0; i < train.length; i++) {
      const { a, b, size } = train.read(i);
      expect(size).toBe(143);
      // A: a sparse line drawing (some ink, mostly paper); B: the emoji on white, white in the margin's corners.
      expect(inkFraction(a)).toBeGreaterThan(0.01);
      expect(inkFraction(a)).toBeLessThan(0.25);
      expect([...b.subarray(0, 3)]).toEqual([255, 255, 255]);
      expect(b.some((v) => v < 200)).toBe(true);
    }
  });
});
