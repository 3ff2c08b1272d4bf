// StyleGAN2 (and PGGAN) training as the artist runs it: a folder of images (one broken, one not square), the job, a pause, a lost
// engine, a resume — ending with exactly the model an uninterrupted run makes, and the library's record of it all.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import '@tensorflow/tfjs-backend-cpu'; // loadModel builds the networks in this process
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJobOf, isTrainingJob, type JobProgress } from '../../../main/api/contract.js';
import { loadModel } from '../../../main/model-files/model-folder.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { writeTinyStyleGAN2Builtin } from '../../support/tiny-models.js';
import { nextEvent } from '../../support/wait.js';

describe('StyleGAN2 training job', () => {
  let t: TestStudio;
  let projectId: number;
  let dataDir: string;

  beforeAll(async () => {
    // A shipped-like model that keeps its discriminator: a start for fine-tuning.
    t = await openTestStudio({ builtinModels: (dir) => writeTinyStyleGAN2Builtin(dir, { withDiscriminator: true }) });
    projectId = (await t.call('projects.create', { name: 'Faces' })).id;
    dataDir = path.join(t.dir, 'images');
    await writeNoiseFolder(dataDir, 8, 40);
    await writeFile(path.join(dataDir, 'wide.png'), await noiseImage(60, 40, 'png', 9));
    await writeFile(path.join(dataDir, 'broken.png'), (await noiseImage(40, 40, 'png', 5)).subarray(0, 100));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  // 32 px, 8–16 channels, batch 4, 6 iterations (R1 on the first): seconds per job on this CPU.
  const settings = () => ({ dataDir, resolution: 32 as const, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.024, seed: 4, sampleEvery: 3, checkpointEvery: 100 });

  it('pauses with a checkpoint, resumes in a new engine process, and ends with the uninterrupted run\'s exact weights', async () => {
    // What the run read from the folder is published while it still runs, not only in its final record.
    const published = nextEvent(t.studio.events, 'job.state', (j) => j.status === 'running' && (j.result as { dataset?: unknown } | null)?.dataset !== undefined, 180_000);
    const straight = await t.finish((await t.call('train.stylegan2', { projectId, name: 'straight', ...settings() })).jobId);
    expect(straight.status).toBe('succeeded');
    expect((await published).result).toMatchObject({ step: 0, dataset: { notices: ['1 image was not square: centre-cropped to a square.', '9 images were resized to 32 px.'] } });
    const straightResult = straight.result as { step: number; modelId: number; dataset: { train: number; test: number; skipped: Array<{ file: string }>; notices: string[] } };
    expect(straightResult.step).toBe(6);
    // KID (ESRGAN-slim features) measured once at the end, and kept as the run's quality metric.
    expect(isTrainingJob(straight) ? straight.result?.metrics['kid'] : null).toBeGreaterThan(0);
    // The broken file is named and skipped; the wide one is cropped with a notice; the rest are resized with one.
    expect(straightResult.dataset.skipped.map((s) => s.file)).toEqual(['broken.png']);
    expect(straightResult.dataset.train + straightResult.dataset.test).toBe(9);
    expect(straightResult.dataset.notices).toEqual(['1 image was not square: centre-cropped to a square.', '9 images were resized to 32 px.']);

    const paused = await t.finish((await t.call('train.stylegan2', { projectId, name: 'resumed', ...settings(), untilStep: 2 })).jobId);
    expect(paused.result).toMatchObject({ step: 2, checkpointStep: 2, modelId: null });
    const before = t.studio.engine.info().pid;
    process.kill(before!, 'SIGKILL');
    await expect.poll(() => t.studio.engine.info().state === 'ready' && t.studio.engine.info().pid !== before, { timeout: 60_000 }).toBe(true);
    const resumed = await t.finish((await t.call('train.resume', { jobId: paused.id })).jobId);
    expect(resumed.status).toBe('succeeded');
    const resumedResult = resumed.result as { step: number; modelId: number };
    expect(resumedResult.step).toBe(6);

    const folderOf = (modelId: number): string => path.join(t.studio.library.getProject(projectId).folder, t.studio.library.getModel(modelId).folder);
    const weights = (modelId: number): Promise<Buffer> => readFile(path.join(folderOf(modelId), 'weights.bin'));
    expect((await weights(resumedResult.modelId)).equals(await weights(straightResult.modelId))).toBe(true);
    // The saved model is G_ema as "generator", loadable as a stylegan2 model, and listed with its family.
    const loaded = await loadModel(folderOf(straightResult.modelId), { family: 'stylegan2' });
    expect(Object.keys(loaded.parts)).toEqual(['generator']);
    loaded.dispose();
    expect(t.studio.library.getModel(straightResult.modelId)).toMatchObject({ family: 'stylegan2', source: 'trained' });

    // One loss curve across the pause, without duplicate iterations; R1 logged on its iteration only.
    const metrics = await t.call('runs.metrics', { jobId: resumed.id });
    expect(metrics['gMain']!.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics['r1']!.map(([step]) => step)).toEqual([1]);
    // Seed grids (before the first iteration, then every 3) were filed as the run's assets. The resumed run drew the
    // same grids as the straight one, so the library holds each image once, tagged with both runs.
    const grids = (run: number): Promise<string[]> => t.call('assets.list', { projectId, tag: `run ${run}` }).then((r) => r.items.map((a) => a.name).sort());
    expect(await grids(straight.id)).toEqual(['straight step 0.png', 'straight step 3.png', 'straight step 6.png']);
    expect(await grids(paused.id)).toEqual(await grids(straight.id));
  }, 300_000);

  it('sends each seed grid (its asset and step) and KID on the job\'s progress, as they are made', async () => {
    const progress: JobProgress[] = [];
    const off = t.studio.events.on('job.progress', (p) => progress.push(p));
    // Its own seed: grids of the same pixels as another run's would be that run's assets (one file per content).
    const job = await t.finish((await t.call('train.stylegan2', { projectId, name: 'watched', ...settings(), seed: 11, kidEvery: 4 })).jobId).finally(off);
    expect(job.status).toBe('succeeded');
    const mine = progress.filter((p) => p.jobId === job.id);

    // Grids before the first iteration, then every 3: each travels with its step and is the asset the Library shows.
    const grids = [...new Map(mine.flatMap((p) => (p.sample ? [[p.sample.assetId, p.sample.step] as const] : []))).entries()];
    expect(grids.map(([, step]) => step)).toEqual([0, 3, 6]);
    for (const [assetId, step] of grids) expect(t.studio.library.getAsset(assetId)).toMatchObject({ name: `watched step ${step}.png`, origin: 'sample', tags: [`run ${job.id}`] });

    // KID at iteration 4 (kidEvery) and at the end, with the iteration it was measured at; the last is the run's.
    const kids = [...new Map(mine.flatMap((p) => (p.evaluation ? [[p.evaluation.step, p.evaluation.values['kid']] as const] : []))).entries()];
    expect(kids.map(([step]) => step)).toEqual([4, 6]);
    for (const [, kid] of kids) expect(kid).toEqual(expect.any(Number));
    expect(kids.at(-1)![1]).toBe(isTrainingJob(job) ? job.result?.metrics['kid'] : null);
  }, 180_000);

  it('refuses a missing folder, a folder without images, and a checkpoint of other settings, saying why', async () => {
    expect(await t.studio.dispatch('train.stylegan2', { projectId, name: 'x', ...settings(), dataDir: path.join(t.dir, 'nope') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const empty = path.join(t.dir, 'empty');
    await (await import('node:fs/promises')).mkdir(empty);
    await writeFile(path.join(empty, 'notes.txt'), 'not an image');
    const none = await t.finish((await t.call('train.stylegan2', { projectId, name: 'x', ...settings(), dataDir: empty })).jobId);
    expect(none).toMatchObject({ status: 'failed', error: expect.stringMatching(/has no images to train on/) });
    const jobs = await t.call('jobs.list', { projectId });
    const paused = jobs.find((j) => j.kind === 'train.stylegan2' && (j.result as { checkpointStep?: number } | null)?.checkpointStep === 2)!;
    const checkpoint = path.join(t.studio.library.getProject(projectId).folder, 'runs', `run-${paused.id}`, 'checkpoints', 'step-000002');
    const mismatched = await t.finish((await t.call('train.stylegan2', { projectId, name: 'y', ...settings(), channelMax: 32, continueFrom: checkpoint })).jobId);
    expect(mismatched).toMatchObject({ status: 'failed', error: expect.stringMatching(/made with channelMax 16; these settings say 32/) });
    const badFineTune = await t.finish((await t.call('train.stylegan2', { projectId, name: 'y', ...settings(), channelMax: 32, fineTuneFrom: checkpoint })).jobId);
    expect(badFineTune).toMatchObject({ status: 'failed', error: expect.stringMatching(/made with channelMax 16; these settings say 32/) });
    expect(await t.studio.dispatch('train.stylegan2', { projectId, name: 'y', ...settings(), continueFrom: checkpoint, fineTuneFrom: checkpoint })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/either continues a checkpoint or fine-tunes from one/) },
    });
  }, 120_000);

  it('trains a progressive GAN that grows to 32 px, whose model then draws seeds (ψ 1 only)', async () => {
    const settings = { dataDir, resolution: 32 as const, fmapBase: 64, fmapMax: 16, batchSize: 4, lodTrainingKimg: 0.008, lodTransitionKimg: 0.008, totalKimg: 0.06, seed: 2, sampleEvery: 5, checkpointEvery: 100 };
    const job = await t.finish((await t.call('train.pggan', { projectId, name: 'grown', ...settings })).jobId);
    expect(job.status).toBe('succeeded');
    const result = job.result as { step: number; modelId: number };
    expect(result.step).toBe(15);
    const metrics = await t.call('runs.metrics', { jobId: job.id });
    expect(metrics['resolution']!.map(([, r]) => r)).toEqual([4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 32, 32, 32, 32]);
    expect(t.studio.library.getModel(result.modelId)).toMatchObject({ family: 'pggan', imageSize: 32 });
    const first = await t.call('stylegan.generate', { modelId: result.modelId, seeds: [0, 1] });
    const again = await t.call('stylegan.generate', { modelId: result.modelId, seeds: [1] });
    expect(first.size).toBe(32);
    expect(again.imagesPngBase64[0]).toBe(first.imagesPngBase64[1]);
    expect(first.imagesPngBase64[0]).not.toBe(first.imagesPngBase64[1]);
    expect(await t.studio.dispatch('stylegan.generate', { modelId: result.modelId, seeds: [0], truncationPsi: 0.7 })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/no w space/) } });
  }, 180_000);

  it("fine-tunes another run's checkpoint on other images: its first grid is the source's, and the model names where it started", async () => {
    const jobs = await t.call('jobs.list', { projectId });
    const source = jobs.find((j) => j.kind === 'train.stylegan2' && (j.result as { checkpointStep?: number } | null)?.checkpointStep === 2)!;
    const checkpoint = path.join(t.studio.library.getProject(projectId).folder, 'runs', `run-${source.id}`, 'checkpoints', 'step-000002');
    const otherImages = path.join(t.dir, 'other-images');
    await writeNoiseFolder(otherImages, 3, 32, 77);
    // Other images (3 of them), batch and length than the source's: only the network sizes must match.
    const job = await t.finish((await t.call('train.stylegan2', { projectId, name: 'tuned', ...settings(), dataDir: otherImages, batchSize: 2, totalKimg: 0.004, sampleEvery: 100, fineTuneFrom: checkpoint })).jobId);
    expect(job.status).toBe('succeeded');
    const result = job.result as { step: number; modelId: number };
    expect(result.step).toBe(2); // counted from 0, not from the source's step 2
    // The step-0 grid is G_ema as the source left it; a run from scratch with the same seed draws another.
    const runFolder = (id: number): string => path.join(t.studio.library.getProject(projectId).folder, 'runs', `run-${id}`);
    const scratch = await t.finish((await t.call('train.stylegan2', { projectId, name: 'scratch', ...settings(), dataDir: otherImages, batchSize: 2, totalKimg: 0.002, sampleEvery: 100 })).jobId);
    const grid = (id: number, step: number): Promise<Buffer> => readFile(path.join(runFolder(id), 'samples', `step-${String(step).padStart(6, '0')}.png`));
    const sourceGridAt2 = await t.finish((await t.call('train.stylegan2', { projectId, name: 'source again', ...settings(), untilStep: 2, sampleEvery: 2 })).jobId);
    expect((await grid(job.id, 0)).equals(await grid(sourceGridAt2.id, 2))).toBe(true);
    expect((await grid(job.id, 0)).equals(await grid(scratch.id, 0))).toBe(false);
    const model = JSON.parse(await readFile(path.join(t.studio.library.getProject(projectId).folder, t.studio.library.getModel(result.modelId).folder, 'model.json'), 'utf8'));
    expect(model.provenance).toMatchObject({ steps: 2, fineTunedFrom: checkpoint });

    // The Train view names the source run by one of its jobs: the run's latest checkpoint is the start.
    const byRun = await t.finish((await t.call('train.stylegan2', { projectId, name: 'tuned by run', ...settings(), dataDir: otherImages, batchSize: 2, totalKimg: 0.002, fineTuneFrom: { run: source.id } })).jobId);
    expect(byRun.status).toBe('succeeded');
    expect(isJobOf(byRun, 'train.stylegan2') && byRun.params.fineTuneFrom).toBe(runFolder(source.id));
    expect(await t.studio.dispatch('train.stylegan2', { projectId, name: 'z', ...settings(), fineTuneFrom: { run: job.id + 1000 } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // A model that keeps its discriminator (the shipped ones do) is a start too; one trained here keeps only G_ema.
    const startable = await t.call('train.fineTuneModels', { projectId });
    expect(startable).toEqual([{ modelId: expect.any(Number), name: 'Tiny StyleGAN2', source: 'builtin', resolution: 32, channelBase: 256, channelMax: 16, mappingLayers: 2 }]);
    const fromModel = await t.finish((await t.call('train.stylegan2', { projectId, name: 'tuned from model', ...settings(), dataDir: otherImages, batchSize: 2, totalKimg: 0.002, sampleEvery: 100, fineTuneFrom: { model: startable[0]!.modelId } })).jobId);
    expect(fromModel.status).toBe('succeeded');
    // Its first grid's first tile is the model's own seed 0, as Generate draws it.
    const tile = await sharp(await grid(fromModel.id, 0)).extract({ left: 0, top: 0, width: 32, height: 32 }).removeAlpha().raw().toBuffer();
    const drawn = await t.call('stylegan.generate', { modelId: startable[0]!.modelId, seeds: [0] });
    expect(tile.equals(await sharp(Buffer.from(drawn.imagesPngBase64[0]!, 'base64')).removeAlpha().raw().toBuffer())).toBe(true);
    expect(await t.studio.dispatch('train.stylegan2', { projectId, name: 'z', ...settings(), fineTuneFrom: { model: result.modelId } })).toMatchObject({
      ok: false,
      error: { code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/keeps no discriminator to fine-tune with/) },
    });

    const pggan = (await t.call('jobs.list', { projectId })).find((j) => j.kind === 'train.pggan')!;
    expect(await t.studio.dispatch('train.stylegan2', { projectId, name: 'z', ...settings(), fineTuneFrom: { run: pggan.id } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/not a StyleGAN2 training run of this project/) },
    });
  }, 180_000);
});
