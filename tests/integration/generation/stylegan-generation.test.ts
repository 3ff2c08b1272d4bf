// Seeds and style mixes through the real studio: a builtin StyleGAN2 served from a models folder, drawn by the real engine
// process, saved as generations that record how to draw them again, and exported with that recipe embedded.
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngText } from '../../../main/generation/png-text.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyPix2pixBuiltin, writeTinyStyleGAN2Builtin } from '../../support/tiny-models.js';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { nextEvent } from '../../support/wait.js';

const raw = async (pngBase64: string): Promise<Buffer> => sharp(Buffer.from(pngBase64, 'base64')).raw().toBuffer();
const meanAbsDiff = (a: Buffer, b: Buffer): number => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;

describe('StyleGAN2 seeds and style mixing', () => {
  let t: TestStudio;
  let modelId: number;
  let sketchModelId: number;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir, { imageSize: 64 });
        await writeTinyStyleGAN2Builtin(dir);
      },
    });
    projectId = (await t.call('projects.create', { name: 'Seeds' })).id;
    const [style] = await t.call('models.list', { projectId, family: 'stylegan2' });
    expect(style).toMatchObject({ name: 'Tiny StyleGAN2', family: 'stylegan2', source: 'builtin', imageSize: 32 });
    modelId = style!.id;
    sketchModelId = (await t.call('models.list', { projectId, family: 'pix2pix' }))[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('draws each seed the same every time, different seeds differently, and ψ = 0 the one average image', async () => {
    const first = await t.call('stylegan.generate', { modelId, seeds: [0, 1, 2] });
    const again = await t.call('stylegan.generate', { modelId, seeds: [2, 0] });
    expect(first.size).toBe(32);
    const [s0, s1, s2] = await Promise.all(first.imagesPngBase64.map(raw));
    const [t2, t0] = await Promise.all(again.imagesPngBase64.map(raw));
    expect(s0!.length).toBe(32 * 32 * 3);
    expect(t0!.equals(s0!)).toBe(true); // a seed is its image, whatever else is in the batch
    expect(t2!.equals(s2!)).toBe(true);
    expect(meanAbsDiff(s0!, s1!)).toBeGreaterThan(1);
    const average = await t.call('stylegan.generate', { modelId, seeds: [0, 1], truncationPsi: 0 });
    const [a0, a1] = await Promise.all(average.imagesPngBase64.map(raw));
    expect(a0!.equals(a1!)).toBe(true);
    // Truncating only the first (coarse) layer keeps the seeds apart; random noise changes the fine detail.
    const coarse = await t.call('stylegan.generate', { modelId, seeds: [0, 1], truncationPsi: 0, truncationCutoff: 1 });
    const [c0, c1] = await Promise.all(coarse.imagesPngBase64.map(raw));
    expect(meanAbsDiff(c0!, c1!)).toBeGreaterThan(0.5);
    const noisy = await raw((await t.call('stylegan.generate', { modelId, seeds: [0], noiseMode: 'random' })).imagesPngBase64[0]!);
    expect(noisy.equals(s0!)).toBe(false);
  }, 60_000);

  it('saves seeds as generations with their recipe, exported with it embedded', async () => {
    const { items } = await t.call('stylegan.save', { projectId, modelId, seeds: [7, 8], truncationPsi: 0.7 });
    expect(items.map((i) => i.seed)).toEqual([7, 8]);
    const drawn = await t.call('stylegan.generate', { modelId, seeds: [7], truncationPsi: 0.7 });
    const file = path.join(t.studio.library.getProject(projectId).folder, items[0]!.asset.path);
    expect((await sharp(file).raw().toBuffer()).equals(await raw(drawn.imagesPngBase64[0]!))).toBe(true);
    const record = t.studio.library.getGeneration(items[0]!.generationId);
    expect(record).toMatchObject({ operation: 'sample', modelId, params: { seed: 7, truncationPsi: 0.7, noiseMode: 'const' } });
    const exported = await t.call('assets.export', { projectId, assetId: items[0]!.asset.id, format: 'png' });
    const recipe = JSON.parse(readPngText(readFileSync(exported.path))['gan-studio']!) as { generation: { params: { seed: number } } };
    expect(recipe.generation.params.seed).toBe(7);
  }, 60_000);

  it('refuses a sketch model, bad seeds and too many at once, with the reason', async () => {
    expect(await t.studio.dispatch('stylegan.generate', { modelId: sketchModelId, seeds: [1] })).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE' } });
    expect(await t.studio.dispatch('stylegan.generate', { modelId, seeds: [-1] })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await t.studio.dispatch('stylegan.generate', { modelId, seeds: Array.from({ length: 65 }, (_, i) => i) })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  });

  it('lays out the w layers by resolution: 32 px has 8, coarse 4–8 px and middle 16–32 px as the paper groups them', async () => {
    expect(await t.call('stylegan.layout', { modelId })).toEqual({
      resolution: 32,
      numWs: 8,
      wsResolutions: [4, 8, 8, 16, 16, 32, 32, 32],
      groups: { coarse: [0, 1, 2], middle: [3, 4, 5, 6, 7], fine: [] }, // fine styles start at 64 px
    });
  });

  it('mixes per layer: all of source A is exactly A\'s image, coarse from B is neither, and a half blend moves smoothly', async () => {
    const a = { kind: 'seed' as const, seed: 3, truncationPsi: 0.8 };
    const b = { kind: 'seed' as const, seed: 4, truncationPsi: 0.8 };
    const rows = (f: (layer: number) => [number, number]): number[][] => Array.from({ length: 8 }, (_, l) => f(l));
    const [seedA, seedB] = await Promise.all([3, 4].map(async (seed) => raw((await t.call('stylegan.generate', { modelId, seeds: [seed], truncationPsi: 0.8 })).imagesPngBase64[0]!)));
    const allA = await raw((await t.call('stylegan.mix', { modelId, sources: [a, b], layerWeights: rows(() => [1, 0]) })).imagePngBase64);
    expect(allA.equals(seedA!)).toBe(true);
    const coarseB = await raw((await t.call('stylegan.mix', { modelId, sources: [a, b], layerWeights: rows((l) => (l < 3 ? [0, 1] : [1, 0])) })).imagePngBase64);
    expect(meanAbsDiff(coarseB, seedA!)).toBeGreaterThan(0.5);
    expect(meanAbsDiff(coarseB, seedB!)).toBeGreaterThan(0.5);
    // A small step of one slider moves the image a little, a large one more.
    const blend = async (w: number): Promise<Buffer> => raw((await t.call('stylegan.mix', { modelId, sources: [a, b], layerWeights: rows((l) => (l === 4 ? [1 - w, w] : [1, 0])) })).imagePngBase64);
    const [small, large] = [meanAbsDiff(await blend(0.1), allA), meanAbsDiff(await blend(1), allA)];
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
  }, 60_000);

  it('mixes stored latents of the model, refuses another model\'s, and saves a mix with its sources and weights', async () => {
    const photo = (await t.call('stylegan.save', { projectId, modelId, seeds: [11] })).items[0]!.asset; // stands in for an inverted photo
    const w = new Float32Array(512).map((_, i) => Math.sin(i));
    const latent = t.studio.library.addLatent({ projectId, modelId, kind: 'w', data: w, sourceAssetId: photo.id });
    const other = t.studio.library.addModel({ projectId, name: 'Other', family: 'stylegan2', source: 'trained', config: { imageSize: 32 }, folder: 'models/other', description: '' });
    const foreign = t.studio.library.addLatent({ projectId, modelId: other.id, kind: 'w', data: w, sourceAssetId: null });
    const seed = { kind: 'seed' as const, seed: 5 };
    const weights = Array.from({ length: 8 }, (_, l) => (l < 3 ? [1, 0] : [0.25, 0.75]));
    const request = { modelId, sources: [{ kind: 'latent' as const, latentId: latent.id }, seed], layerWeights: weights };
    const rendered = await raw((await t.call('stylegan.mix', request)).imagePngBase64);
    expect(await t.studio.dispatch('stylegan.mix', { ...request, sources: [{ kind: 'latent', latentId: foreign.id }, seed] })).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/belongs to “Other”/) } });
    expect(await t.studio.dispatch('stylegan.mix', { ...request, layerWeights: weights.map(() => [0.5, 0.2]) })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await t.studio.dispatch('stylegan.mix', { ...request, layerWeights: weights.map(() => [1]) })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });

    const saved = await t.call('stylegan.saveMix', { projectId, ...request });
    const file = path.join(t.studio.library.getProject(projectId).folder, saved.asset.path);
    expect((await sharp(file).raw().toBuffer()).equals(rendered)).toBe(true);
    expect(t.studio.library.getGeneration(saved.generationId)).toMatchObject({
      operation: 'mix',
      params: { sources: request.sources, layerWeights: weights, noiseMode: 'const' },
      parents: [{ assetId: photo.id, role: 'source 0' }],
    });
  }, 60_000);

  it('inverts a picture as a job: previews, a latent with its noise maps, a reconstruction the mix view redraws exactly', async () => {
    const wide = path.join(t.dir, 'wide.png');
    await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toFile(wide);
    const [picture] = (await t.call('assets.upload', { projectId, files: [{ name: 'wide.png', dataBase64: (await readFile(wide)).toString('base64') }] })).imported;
    const { jobId } = await t.call('stylegan.invert', { projectId, modelId, assetId: picture!.id, space: 'w+', steps: 40, seed: 2 });
    const job = await nextEvent(t.studio.events, 'job.state', (j) => j.id === jobId && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(j.status), 120_000);
    expect(job.status).toBe('succeeded');
    const result = job.result as { notices: string[]; previews: number; latentId: number; generationId: number; outputAssetId: number; psnr: number; ssim: number };
    expect(result.notices).toEqual(['The picture is 48×32: its centre square was used.']);
    expect(result.previews).toBeGreaterThan(5);
    expect(result.psnr).toBeGreaterThan(5);
    const latent = t.studio.library.getLatent(result.latentId);
    expect(latent).toMatchObject({ modelId, kind: 'w+', sourceAssetId: picture!.id });
    expect(latent.data).toHaveLength(8 * 512);
    expect(latent.noise).not.toBeNull();
    expect(t.studio.library.getGeneration(result.generationId)).toMatchObject({ operation: 'invert', params: { space: 'w+', latentId: latent.id }, parents: [{ assetId: picture!.id, role: 'target' }] });
    // Opened in the mix view as source A with all weight on it, the latent redraws the reconstruction pixel for pixel.
    const redrawn = await raw((await t.call('stylegan.mix', { modelId, sources: [{ kind: 'latent', latentId: latent.id }, { kind: 'seed', seed: 1 }], layerWeights: Array.from({ length: 8 }, () => [1, 0]) })).imagePngBase64);
    const output = path.join(t.studio.library.getProject(projectId).folder, t.studio.library.getAsset(result.outputAssetId).path);
    expect(meanAbsDiff(redrawn, await sharp(output).raw().toBuffer())).toBeLessThan(0.01);
    expect(await t.studio.dispatch('stylegan.invert', { projectId, modelId: sketchModelId, assetId: picture!.id })).toMatchObject({ ok: false, error: { code: 'MODEL_INCOMPATIBLE' } });
  }, 180_000);

  it('exports a looping latent walk through seeds and a stored latent as GIF and WebM, filed with its keyframes', async () => {
    const picture = (await t.call('stylegan.save', { projectId, modelId, seeds: [21] })).items[0]!.asset;
    const latent = t.studio.library.addLatent({ projectId, modelId, kind: 'w', data: new Float32Array(512).map((_, i) => Math.cos(i)), sourceAssetId: picture.id });
    const keyframes = [{ kind: 'seed' as const, seed: 1 }, { kind: 'seed' as const, seed: 2 }, { kind: 'latent' as const, latentId: latent.id }];
    const { jobId } = await t.call('stylegan.interpolate', { projectId, modelId, keyframes, framesPerTransition: 4, fps: 8 });
    const job = await nextEvent(t.studio.events, 'job.state', (j) => j.id === jobId && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(j.status), 120_000);
    expect(job.status).toBe('succeeded');
    const result = job.result as { files: Array<{ format: string; path: string; bytes: number }>; generationId: number; assetId: number };
    expect(result.files.map((f) => f.format)).toEqual(['gif', 'webm']);
    const gif = result.files[0]!.path;
    const meta = await sharp(gif, { pages: -1 }).metadata();
    expect(meta.pages).toBe(12); // 3 transitions (the last back to the start) × 4 frames
    // The walk starts on seed 1's image (GIF palettes cost a little precision).
    const seed1 = await raw((await t.call('stylegan.generate', { modelId, seeds: [1] })).imagesPngBase64[0]!);
    expect(meanAbsDiff(await sharp(gif, { page: 0 }).removeAlpha().raw().toBuffer(), seed1)).toBeLessThan(4);
    expect(meanAbsDiff(await sharp(gif, { page: 2 }).removeAlpha().raw().toBuffer(), seed1)).toBeGreaterThan(1);
    expect(readFileSync(result.files[1]!.path).readUInt32BE(0)).toBe(0x1a45dfa3);
    expect(t.studio.library.getGeneration(result.generationId)).toMatchObject({
      operation: 'interpolate',
      outputAssetId: result.assetId,
      params: { keyframes, framesPerTransition: 4, loop: true, fps: 8 },
      parents: [{ assetId: picture.id, role: 'keyframe 2' }],
    });
  }, 120_000);
});
