// assets.lineage through the real studio: a sketch rendered by pix2pix and then upscaled reads back as two steps, newest
// first, each naming its model, recipe and parent pictures; a deleted parent drops out without breaking the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseImage } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyPix2pixBuiltin } from '../../support/tiny-models.js';

describe('assets.lineage', () => {
  let t: TestStudio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: 64 });
      },
    });
    projectId = (await t.call('projects.create', { name: 'Lineage' })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('walks from an upscaled rendering back to the sketch it started as', async () => {
    const [model] = await t.call('models.list', { projectId });
    const saved = await t.call('sketch.save', { projectId, modelId: model!.id, sketchPngBase64: (await noiseImage(64, 64, 'png', 5)).toString('base64') });
    const job = await t.finish((await t.call('upscale.assets', { projectId, assetIds: [saved.outputAsset.id], scale: 2 })).jobId);
    expect(job.status).toBe('succeeded');
    const upscaled = (job.result as { upscaled: Array<{ outputAssetId: number }> }).upscaled[0]!.outputAssetId;

    const steps = await t.call('assets.lineage', { projectId, assetId: upscaled });
    expect(steps.map((s) => s.operation)).toEqual(['upscale', 'sketch2photo']);
    expect(steps[0]).toMatchObject({ output: { id: upscaled, width: 128 }, params: { scale: 2 }, parents: [{ role: 'source', asset: { id: saved.outputAsset.id } }] });
    expect(steps[1]).toMatchObject({
      generationId: saved.generationId,
      model: { id: model!.id, name: model!.name, family: 'pix2pix' },
      output: { id: saved.outputAsset.id },
      parents: [{ asset: { id: saved.sketchAsset.id, origin: 'sketch' } }],
    });
    // The sketch itself was drawn, not generated; the rendering's lineage is the second step alone.
    expect(await t.call('assets.lineage', { projectId, assetId: saved.sketchAsset.id })).toEqual([]);
    expect((await t.call('assets.lineage', { projectId, assetId: saved.outputAsset.id })).map((s) => s.generationId)).toEqual([saved.generationId]);

    // Deleting the sketch leaves the rest of the story.
    await t.call('assets.delete', { projectId, assetIds: [saved.sketchAsset.id] });
    const after = await t.call('assets.lineage', { projectId, assetId: upscaled });
    expect(after.map((s) => s.operation)).toEqual(['upscale', 'sketch2photo']);
    expect(after[1]!.parents).toEqual([]);

    const other = (await t.call('projects.create', { name: 'Elsewhere' })).id;
    expect(await t.studio.dispatch('assets.lineage', { projectId: other, assetId: upscaled })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.studio.dispatch('assets.lineage', { projectId, assetId: 99_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 120_000);
});
