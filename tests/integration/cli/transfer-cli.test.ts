// `gan-studio transfer` on the command line: picture files translated B → A by a model named on the command line into
// an output folder, a missing file named, and a clear line when no pictures are given.
import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';
import { writeTinyCycleGANBuiltin } from '../../support/tiny-models.js';

const run = promisify(execFile);
let home: Awaited<ReturnType<typeof tempDir>>;

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'main/cli/gan-studio.ts', ...args], {
    env: { ...process.env, GAN_STUDIO_HOME: path.join(home.dir, 'library'), GAN_STUDIO_MODELS_DIR: path.join(home.dir, 'models') },
  });
}

beforeAll(async () => {
  home = await tempDir();
  await writeTinyCycleGANBuiltin(path.join(home.dir, 'models'), { imageSize: 32 });
}, 60_000);
afterAll(() => home.remove());

describe('gan-studio transfer', () => {
  it('translates picture files with a named model into --out, and names a file it could not read', async () => {
    const zebra = path.join(home.dir, 'zebra.png');
    const wide = path.join(home.dir, 'wide.jpg');
    await writeFile(zebra, await noiseImage(32, 32, 'png', 1));
    await writeFile(wide, await noiseImage(64, 40, 'jpeg', 2));
    const out = path.join(home.dir, 'out');
    const { stdout } = await cli('transfer', '--model', 'tiny cyclegan', '--direction', 'BtoA', '--out', out, '--project', 'Zebras', zebra, wide, path.join(home.dir, 'missing.png'));
    expect(stdout).toContain(`succeeded: 2 translated B → A with Tiny CycleGAN into ${out}, 1 rejected.`);
    expect(stdout).toMatch(/rejected missing\.png: missing\.png was not found/);
    expect(stdout).toContain('Note: 1 image was not square: centre-cropped to a square.');
    expect((await readdir(out)).sort()).toEqual(['wide-BtoA.png', 'zebra-BtoA.png']);
    expect(await sharp(path.join(out, 'wide-BtoA.png')).metadata()).toMatchObject({ width: 32, height: 32, format: 'png' });
  }, 90_000);

  it('asks for pictures when given neither files nor --folder', async () => {
    await expect(cli('transfer', '--model', 'tiny cyclegan', '--direction', 'AtoB')).rejects.toMatchObject({ stderr: expect.stringMatching(/Give either --folder DIR or picture files/) });
  }, 60_000);
});
