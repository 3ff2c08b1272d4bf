// assets.export through a real studio: exports of the same picture at once each get a file of their own.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../main/api/contract.js';
import { call } from '../../../main/cli/call.js';
import { openStudio, type Studio } from '../../../main/studio.js';
import { noiseImage } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let studio: Studio;

beforeAll(async () => {
  home = await tempDir();
  studio = await openStudio({ home: path.join(home.dir, 'library'), startEngine: false });
});
afterAll(async () => {
  await studio.close();
  await home.remove();
});

describe('assets.export', () => {
  it('writes 8 concurrent exports of portrait.png as 8 distinct files with the picture in each', async () => {
    const project = await call(studio, 'projects.create', { name: 'Exports' });
    const original = await noiseImage(24, 16, 'png', 3);
    const uploaded = await call(studio, 'assets.upload', { projectId: project.id, files: [{ name: 'portrait.png', dataBase64: original.toString('base64') }] });
    const assetId = uploaded.imported[0]!.id;

    const exports: Array<ResultOf<'assets.export'>> = await Promise.all(
      Array.from({ length: 8 }, () => call(studio, 'assets.export', { projectId: project.id, assetId, format: 'png' })),
    );

    const exportsDir = path.join(project.folder, 'exports');
    expect(new Set(exports.map((e) => e.path)).size).toBe(8);
    expect(readdirSync(exportsDir).sort()).toEqual(['portrait-2.png', 'portrait-3.png', 'portrait-4.png', 'portrait-5.png', 'portrait-6.png', 'portrait-7.png', 'portrait-8.png', 'portrait.png']);
    const expected = await sharp(original).raw().toBuffer();
    for (const e of exports) {
      expect(path.dirname(e.path)).toBe(exportsDir);
      expect(e.fileName).toBe(path.basename(e.path));
      const bytes = readFileSync(e.path);
      expect(bytes.length).toBe(e.bytes);
      expect((await sharp(bytes).raw().toBuffer()).equals(expected)).toBe(true);
    }
  });
});
