// Upscaling library pictures as a job through the real studio and engine: each result is a 4× picture filed as an
// 'upscale' generation of its source; a picture whose file went missing is named and the rest still come out.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

describe('upscale job', () => {
  let t: TestStudio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio();
    projectId = (await t.call('projects.create', { name: 'Upscale' })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const png = (width: number, height: number, r: number): Promise<string> =>
    sharp({ create: { width, height, channels: 3, background: { r, g: 120, b: 40 } } }).png().toBuffer().then((b) => b.toString('base64'));

  it('writes each picture 4× larger as an upscale generation of it, and names one that cannot be read', async () => {
    const { imported } = await t.call('assets.upload', { projectId, files: [{ name: 'a.png', dataBase64: await png(40, 30, 200) }, { name: 'b.png', dataBase64: await png(24, 24, 60) }, { name: 'gone.png', dataBase64: await png(16, 16, 10) }] });
    const [a, b, gone] = imported;
    await rm(t.studio.library.assetFilePath(gone!.id, 'full'));
    const job = await t.finish((await t.call('upscale.assets', { projectId, assetIds: [a!.id, gone!.id, b!.id], scale: 4 })).jobId);
    expect(job.status).toBe('succeeded');
    const result = job.result as { upscaled: Array<{ assetId: number; outputAssetId: number; generationId: number }>; failed: Array<{ name: string; reason: string }> };
    expect(result.failed).toEqual([{ name: 'gone.png', reason: expect.stringMatching(/not found/) }]);
    expect(result.upscaled.map((u) => u.assetId)).toEqual([a!.id, b!.id]);
    const out = t.studio.library.getAsset(result.upscaled[0]!.outputAssetId);
    expect([out.width, out.height]).toEqual([160, 120]);
    const pixels = await sharp(path.join(t.studio.library.getProject(projectId).folder, out.path)).raw().toBuffer();
    expect(pixels[0]).toBeGreaterThan(150); // the flat colour survives: red ≈ 200
    expect(t.studio.library.getGeneration(result.upscaled[0]!.generationId)).toMatchObject({ operation: 'upscale', params: { scale: 4, model: 'esrgan-slim' }, parents: [{ assetId: a!.id, role: 'source' }] });
    expect(await t.studio.dispatch('upscale.assets', { projectId, assetIds: [999], scale: 4 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 120_000);
});
