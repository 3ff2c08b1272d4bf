// CycleGAN training as the artist runs it, through the studio's jobs and the real engine process: two folders of
// unpaired images (one file broken, one not square), a pause, a lost engine, a resume — ending with exactly the model an
// uninterrupted run makes, holding both generators, and the library's record of it all.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu'; // loadModel builds the networks in this process
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../main/model-files/model-folder.js';
import type { ResnetGeneratorWeights } from '../../../models/cyclegan/networks.js';
import { translateImages } from '../../../models/cyclegan/train.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

describe('CycleGAN training job', () => {
  let t: TestStudio;
  let projectId: number;
  let dataA: string;
  let dataB: string;

  beforeAll(async () => {
    t = await openTestStudio();
    projectId = (await t.call('projects.create', { name: 'Translation' })).id;
    dataA = path.join(t.dir, 'horses');
    dataB = path.join(t.dir, 'zebras');
    await writeNoiseFolder(dataA, 4, 40);
    await writeNoiseFolder(dataB, 2, 40, 20);
    await writeFile(path.join(dataB, 'wide.png'), await noiseImage(60, 40, 'png', 9));
    await writeFile(path.join(dataB, 'broken.png'), (await noiseImage(40, 40, 'png', 5)).subarray(0, 100));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  // 32 px (stored at 36 for random crops), 4 filters, one ResNet block: a step takes a fraction of a second here.
  const settings = () => ({ dataA, dataB, imageSize: 32 as const, ngf: 4, ndf: 4, nBlocks: 1, epochs: 1, epochsDecay: 1, seed: 3, sampleEvery: 3, checkpointEvery: 100 });

  it('pauses with a checkpoint, resumes in a new engine process, and ends with the uninterrupted run\'s exact generators', async () => {
    const straight = await t.finish((await t.call('train.cyclegan', { projectId, name: 'straight', ...settings() })).jobId);
    expect(straight.status).toBe('succeeded');
    const straightResult = straight.result as { step: number; modelId: number; dataset: { skipped: Array<{ file: string }>; notices: string[]; domains: Record<string, { train: number; test: number }> } };
    const { domains } = straightResult.dataset;
    expect(domains['A']!.train + domains['A']!.test).toBe(4);
    expect(domains['B']!.train + domains['B']!.test).toBe(3);
    // Two epochs, each as long as the larger training set.
    expect(straightResult.step).toBe(2 * Math.max(domains['A']!.train, domains['B']!.train));
    expect(straightResult.dataset.skipped.map((s) => s.file)).toEqual(['B: broken.png']);
    expect(straightResult.dataset.notices).toEqual(['A: 4 images were resized to 36 px.', 'B: 1 image was not square: centre-cropped to a square.', 'B: 3 images were resized to 36 px.']);

    const paused = await t.finish((await t.call('train.cyclegan', { projectId, name: 'resumed', ...settings(), untilStep: 2 })).jobId);
    expect(paused.result).toMatchObject({ step: 2, checkpointStep: 2, modelId: null });
    const before = t.studio.engine.info().pid;
    process.kill(before!, 'SIGKILL');
    await expect.poll(() => t.studio.engine.info().state === 'ready' && t.studio.engine.info().pid !== before, { timeout: 60_000 }).toBe(true);
    const resumed = await t.finish((await t.call('train.resume', { jobId: paused.id })).jobId);
    expect(resumed.status).toBe('succeeded');
    const resumedResult = resumed.result as { step: number; modelId: number };
    expect(resumedResult.step).toBe(straightResult.step);

    const folderOf = (modelId: number): string => path.join(t.studio.library.getProject(projectId).folder, t.studio.library.getModel(modelId).folder);
    const weights = (modelId: number): Promise<Buffer> => readFile(path.join(folderOf(modelId), 'weights.bin'));
    expect((await weights(resumedResult.modelId)).equals(await weights(straightResult.modelId))).toBe(true);
    expect(t.studio.library.getModel(straightResult.modelId)).toMatchObject({ family: 'cyclegan', source: 'trained', imageSize: 32 });

    // The model folder holds both generators (no discriminators), and they translate a picture two different ways.
    const loaded = await loadModel(folderOf(straightResult.modelId), { family: 'cyclegan' });
    expect(Object.keys(loaded.parts).sort()).toEqual(['generatorAB', 'generatorBA']);
    const picture = new Uint8Array(32 * 32 * 3).map((_, i) => (i * 7) % 256);
    const [toB] = translateImages(loaded.parts['generatorAB'] as ResnetGeneratorWeights, [picture], 32);
    const [toA] = translateImages(loaded.parts['generatorBA'] as ResnetGeneratorWeights, [picture], 32);
    loaded.dispose();
    expect(toB).toHaveLength(32 * 32 * 3);
    expect(toB).not.toEqual(toA);

    // One curve per loss across the pause, without duplicate steps.
    const metrics = await t.call('runs.metrics', { jobId: resumed.id });
    expect(Object.keys(metrics).sort()).toEqual(['cycleA', 'cycleB', 'dA', 'dB', 'gA', 'gB', 'idtA', 'idtB', 'lr']);
    for (const curve of Object.values(metrics)) expect(curve.map(([step]) => step)).toEqual(Array.from({ length: straightResult.step }, (_, i) => i + 1));
    // Sample grids (before the first step, every 3 steps, at the end) were filed as the run's assets.
    const grids = await t.call('assets.list', { projectId, tag: `run ${straight.id}` });
    const expectedSteps = [0, ...Array.from({ length: straightResult.step }, (_, i) => i + 1).filter((s) => s % 3 === 0 || s === straightResult.step)];
    expect(grids.items.map((a) => a.name).sort()).toEqual(expectedSteps.map((s) => `straight step ${s}.png`).sort());
    // Two rows per domain of three 32 px tiles with 2 px gaps: input, translation, reconstruction.
    expect(grids.items[0]).toMatchObject({ width: 3 * 32 + 2 * 2, height: 4 * 32 + 3 * 2 });
  }, 300_000);

  it('refuses a missing folder, a folder without images, and a checkpoint of other settings, saying why', async () => {
    expect(await t.studio.dispatch('train.cyclegan', { projectId, name: 'x', ...settings(), dataB: path.join(t.dir, 'nope') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const empty = path.join(t.dir, 'empty');
    await mkdir(empty);
    const none = await t.finish((await t.call('train.cyclegan', { projectId, name: 'x', ...settings(), dataA: empty })).jobId);
    expect(none).toMatchObject({ status: 'failed', error: expect.stringMatching(/empty has no images to train on/) });
    const jobs = await t.call('jobs.list', { projectId });
    const paused = jobs.find((j) => j.kind === 'train.cyclegan' && (j.result as { checkpointStep?: number } | null)?.checkpointStep === 2)!;
    const checkpoint = path.join(t.studio.library.getProject(projectId).folder, 'runs', `run-${paused.id}`, 'checkpoints', 'step-000002');
    const mismatched = await t.finish((await t.call('train.cyclegan', { projectId, name: 'y', ...settings(), nBlocks: 2, continueFrom: checkpoint })).jobId);
    expect(mismatched).toMatchObject({ status: 'failed', error: expect.stringMatching(/made with nBlocks 1; these settings say 2/) });
  }, 120_000);
});
