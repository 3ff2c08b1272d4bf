import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixState } from '../../renderer/src/lib/mix/mix-state.svelte.js';
import type { Studio } from '../../renderer/src/lib/studio.js';
import { openTestStudio, type TestStudio } from '../support/test-studio.js';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { inProcessStudio, valueOf } from './in-process-studio.js';

/** RGB bytes of a PNG given as a data URL or as base64. */
async function rgbOf(png: string): Promise<Buffer> {
  const base64 = png.replace(/^data:image\/png;base64,/, '');
  return sharp(Buffer.from(base64, 'base64')).removeAlpha().raw().toBuffer();
}

/** The Mix view's state on a tiny StyleGAN2 of a real studio: what the preview shows while weights move, and saving. */
describe('MixState (the Mix view) on a real studio', () => {
  let t: TestStudio;
  let studio: Studio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({ builtinModels: (dir) => writeTinyStyleGAN2Builtin(dir) });
    studio = inProcessStudio(t.studio);
    projectId = (await t.call('projects.create', { name: 'Mixes' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A mix of two fixed seeds on the tiny model, its first frame drawn. */
  async function loadedMix(): Promise<MixState> {
    const mix = new MixState(studio);
    await mix.models.load(projectId);
    await expect.poll(() => mix.layout !== null, { timeout: 30_000 }).toBe(true);
    const [a, b] = mix.sources;
    mix.setSeed(a!.uid, 1);
    mix.setSeed(b!.uid, 2);
    await expect.poll(() => mix.preview?.version === mix.version && !mix.rendering, { timeout: 30_000 }).toBe(true);
    return mix;
  }

  it('shows the frame of the latest weights after a burst of slider moves, the same the back end draws for them', async () => {
    const mix = await loadedMix();
    const numWs = mix.layout!.numWs;
    const before = mix.version;
    // Every layer dragged through 12 positions, as fast as events come: most requests are superseded on the way.
    for (let step = 0; step <= 12; step++) for (let l = 0; l < numWs; l++) mix.setLayerShare(l, step / 12);
    expect(mix.version).toBeGreaterThan(before + numWs);
    await expect.poll(() => mix.preview?.version === mix.version && !mix.rendering, { timeout: 30_000 }).toBe(true);
    expect(mix.renderError).toBeNull();
    expect(mix.rows.every((row) => row[0] === 0 && row[1] === 1)).toBe(true);
    const direct = valueOf(await studio.call('stylegan.mix', mix.request()!));
    expect((await rgbOf(mix.preview!.dataUrl)).equals(await rgbOf(direct.imagePngBase64))).toBe(true);
  });

  it('with every layer all A, shows exactly the image Generate draws for seed A', async () => {
    const mix = await loadedMix();
    for (let l = 0; l < mix.layout!.numWs; l++) mix.setLayerShare(l, 0);
    await expect.poll(() => mix.preview?.version === mix.version && !mix.rendering, { timeout: 30_000 }).toBe(true);
    const a = mix.sources[0]!;
    if (a.kind !== 'seed') throw new Error('source A is a seed');
    const drawn = valueOf(await studio.call('stylegan.generate', { modelId: mix.models.id!, seeds: [a.seed], truncationPsi: a.psi, noiseMode: 'const' }));
    const fromB = valueOf(await studio.call('stylegan.generate', { modelId: mix.models.id!, seeds: [2], truncationPsi: a.psi, noiseMode: 'const' }));
    const shown = await rgbOf(mix.preview!.dataUrl);
    expect(shown.equals(await rgbOf(drawn.imagesPngBase64[0]!))).toBe(true);
    expect(shown.equals(await rgbOf(fromB.imagesPngBase64[0]!))).toBe(false);
  });

  it('saves what is shown with its weights once; a change makes the next save a new generation', async () => {
    const mix = await loadedMix();
    mix.applyPreset('coarse-b');
    const first = await mix.save(projectId);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.fresh).toBe(true);
    const again = await mix.save(projectId);
    expect(again).toMatchObject({ ok: true, value: { fresh: false, generationId: first.value.generationId } });
    const [made] = await t.call('assets.lineage', { projectId, assetId: first.value.asset.id });
    expect(made).toMatchObject({ generationId: first.value.generationId, operation: 'mix' });
    expect(made!.params).toMatchObject({ layerWeights: mix.rows, sources: [{ kind: 'seed', seed: 1 }, { kind: 'seed', seed: 2 }] });

    mix.setLayerShare(0, 0.5);
    const changed = await mix.save(projectId);
    expect(changed).toMatchObject({ ok: true, value: { fresh: true } });
    expect(changed.ok && changed.value.generationId).not.toBe(first.value.generationId);
    expect(await mix.save(null)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Open or create a project first/) } });
  });
});
