// The command line on the same handlers: import a folder with a progress bar, list projects, assets and models, and
// render a sketch file.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readPngText } from '../../../main/generation/png-text.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';
import { writeTinyPix2pixBuiltin } from '../../support/tiny-models.js';

const run = promisify(execFile);
let home: Awaited<ReturnType<typeof tempDir>>;

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'main/cli/gan-studio.ts', ...args], {
    env: { ...process.env, GAN_STUDIO_HOME: path.join(home.dir, 'library'), GAN_STUDIO_MODELS_DIR: path.join(home.dir, 'models') },
  });
}

beforeAll(async () => {
  home = await tempDir();
  await writeTinyPix2pixBuiltin(path.join(home.dir, 'models'), { imageSize: 32 });
}, 60_000);
afterAll(() => home.remove());

describe('gan-studio CLI', () => {
  it('imports a folder into a new project and reports what it refused', async () => {
    const dir = path.join(home.dir, 'photos');
    await writeNoiseFolder(dir, 3, 48);
    await writeFile(path.join(dir, 'list.csv'), 'a,b');
    const { stdout } = await cli('library', 'import', dir, '--project', 'Photos');
    expect(stdout).toMatch(/succeeded: 3 imported, 0 duplicates, 1 rejected into "Photos"/);
    expect(stdout).toMatch(/rejected list\.csv/);
  });

  it('lists projects and assets, as JSON too', async () => {
    const { stdout: projects } = await cli('library', 'list', '--json');
    expect(JSON.parse(projects)).toEqual([expect.objectContaining({ name: 'Photos', assetCount: 3 })]);
    const { stdout: assets } = await cli('library', 'list', '--project', 'photos', '--json');
    const parsed = JSON.parse(assets) as { total: number; items: { width: number }[] };
    expect(parsed.total).toBe(3);
    expect(parsed.items.every((a) => a.width === 48)).toBe(true);
  });

  it('renders a sketch file with a model named on the command line, recipe embedded', async () => {
    const { stdout: listed } = await cli('models', 'list', '--json');
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ name: 'Tiny sketch model', family: 'pix2pix', imageSize: 32 })]);
    const input = path.join(home.dir, 'sketch.png');
    await writeFile(input, await noiseImage(50, 40, 'png', 3));
    const output = path.join(home.dir, 'out', 'photo.png');
    await mkdir(path.dirname(output));
    const { stdout } = await cli('sketch2photo', '--model', 'tiny sketch model', input, output);
    expect(stdout).toMatch(/32×32 from Tiny sketch model/);
    const meta = await sharp(output).metadata();
    expect([meta.width, meta.height]).toEqual([32, 32]);
    expect(readPngText(await readFile(output))['gan-studio']).toContain('sketch2photo');
    await expect(cli('sketch2photo', '--model', '99', input, output)).rejects.toMatchObject({ stderr: expect.stringMatching(/No model "99"/) });
  });

  it('fails with one clear line for an unknown project', async () => {
    await expect(cli('library', 'list', '--project', 'Nope')).rejects.toMatchObject({ stderr: expect.stringMatching(/No project named "Nope"/) });
  });
});
