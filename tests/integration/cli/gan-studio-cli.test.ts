// The command line on the same handlers: import a folder with a progress bar, list projects and assets.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNoiseFolder } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

const run = promisify(execFile);
let home: Awaited<ReturnType<typeof tempDir>>;

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'main/cli/gan-studio.ts', ...args], {
    env: { ...process.env, GAN_STUDIO_HOME: path.join(home.dir, 'library') },
  });
}

beforeAll(async () => {
  home = await tempDir();
});
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

  it('fails with one clear line for an unknown project', async () => {
    await expect(cli('library', 'list', '--project', 'Nope')).rejects.toMatchObject({ stderr: expect.stringMatching(/No project named "Nope"/) });
  });
});
