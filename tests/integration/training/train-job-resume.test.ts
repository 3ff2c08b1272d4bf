// Training as the artist runs it, through the studio's jobs and the real engine process: prepare a dataset from
// photos, train, pause, lose the engine, resume — and end with exactly the model an uninterrupted run makes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrainingJob, type JobProgress } from '../../../main/api/contract.js';
import { splitOf } from '../../../main/data/prepare-pairs.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

describe('pix2pix training job', () => {
  let t: TestStudio;
  let projectId: number;

  // The CLI's own caller: a value, or an error naming the code.

  beforeAll(async () => {
    t = await openTestStudio();
    projectId = (await t.call('projects.create', { name: 'Training' })).id;
    const photos = path.join(t.dir, 'photos');
    await writeNoiseFolder(photos, 6, 80);
    await (await import('node:fs/promises')).writeFile(path.join(photos, 'broken.png'), (await noiseImage(80, 80, 'png', 5)).subarray(0, 100));
    const prepared = await t.finish((await t.call('datasets.prepare', { projectId, name: 'noise', source: { kind: 'photos', dir: photos }, imageSize: 64 })).jobId);
    expect(prepared.status).toBe('succeeded');
    const [dataset] = await t.call('datasets.list', { projectId });
    // The broken file is named and skipped; the rest train.
    expect(dataset).toMatchObject({ name: 'noise', storedSize: 72, complete: true });
    expect(dataset!.train + dataset!.test).toBe(6);
    expect(dataset!.skipped.map((s) => s.file)).toEqual(['broken.png']);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const settings = { dataset: 'noise', imageSize: 64 as const, ngf: 8, ndf: 8, epochs: 1, epochsDecay: 1, seed: 3, sampleEvery: 2, checkpointEvery: 100 };

  it('pauses with a checkpoint, resumes in a new engine process, and ends with the uninterrupted run\'s exact weights', async () => {
    const straight = await t.finish((await t.call('train.start', { projectId, name: 'straight', ...settings })).jobId);
    expect(straight.status).toBe('succeeded');
    const straightResult = straight.result as { step: number; modelId: number };
    expect(straightResult.step).toBeGreaterThanOrEqual(8); // 2 epochs of the training split

    const paused = await t.finish((await t.call('train.start', { projectId, name: 'resumed', ...settings, untilStep: 3 })).jobId);
    expect(paused.status).toBe('succeeded'); // stopped where asked, with a checkpoint and no model yet
    expect(paused.result).toMatchObject({ step: 3, checkpointStep: 3, modelId: null });
    // A resumed run must not depend on anything the old engine process held.
    const before = t.studio.engine.info().pid;
    process.kill(before!, 'SIGKILL');
    await expect.poll(() => t.studio.engine.info().state === 'ready' && t.studio.engine.info().pid !== before, { timeout: 60_000 }).toBe(true);

    const resumed = await t.finish((await t.call('train.resume', { jobId: paused.id })).jobId);
    expect(resumed.status).toBe('succeeded');
    const resumedResult = resumed.result as { step: number; modelId: number; checkpointStep: number };
    expect(resumedResult.step).toBe(straightResult.step);

    const weights = async (modelId: number): Promise<Buffer> => {
      const model = t.studio.library.getModel(modelId);
      return readFile(path.join(t.studio.library.getProject(projectId).folder, model.folder, 'weights.bin'));
    };
    expect((await weights(resumedResult.modelId)).equals(await weights(straightResult.modelId))).toBe(true);

    // One loss curve for the whole run: the resumed job's metrics continue the first job's, without duplicate steps.
    const metrics = await t.call('runs.metrics', { jobId: resumed.id });
    expect(metrics['gL1']!.map(([step]) => step)).toEqual(Array.from({ length: straightResult.step }, (_, i) => i + 1));
    expect(await t.call('runs.metrics', { jobId: paused.id })).toEqual(metrics);
    // A checkpoint folder copied from elsewhere starts a new run at its step and ends at the same weights too.
    const pausedCheckpoint = path.join(t.studio.library.getProject(projectId).folder, 'runs', `run-${paused.id}`, 'checkpoints', 'step-000003');
    const mismatched = await t.finish((await t.call('train.start', { projectId, name: 'other', ...settings, ngf: 16, continueFrom: pausedCheckpoint })).jobId);
    expect(mismatched).toMatchObject({ status: 'failed', error: expect.stringMatching(/made with ngf 8; these settings say 16/) });
    const continued = await t.finish((await t.call('train.start', { projectId, name: 'continued', ...settings, continueFrom: pausedCheckpoint })).jobId);
    expect(continued.result).toMatchObject({ step: straightResult.step });
    expect((await weights((continued.result as { modelId: number }).modelId)).equals(await weights(straightResult.modelId))).toBe(true);

    // Sample grids were filed as assets of the project.
    const samples = t.studio.library.listAssets(projectId, { limit: 100, offset: 0 }).items.filter((a) => a.origin === 'sample');
    expect(samples.length).toBeGreaterThan(0);
  }, 300_000);

  it('refuses to resume a finished run or start on a missing dataset, with clear messages', async () => {
    const jobs = await t.call('jobs.list', { projectId });
    const done = jobs.find((j) => j.kind === 'train.pix2pix' && j.status === 'succeeded' && (j.result as { modelId: number | null }).modelId !== null)!;
    expect(await t.studio.dispatch('train.resume', { jobId: done.id })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await t.studio.dispatch('train.start', { projectId, name: 'x', ...settings, dataset: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.studio.dispatch('train.start', { projectId, name: 'x', ...settings, dataset: '../escape' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  });

  it('sends each sample grid (its asset and step) and the held-out PSNR and L1 on the job\'s progress, as they are made', async () => {
    // Photos named so that one lands in the held-out split (a hash of its name), which the metrics are measured on.
    const photos = path.join(t.dir, 'held-out-photos');
    await mkdir(photos);
    const names = Array.from({ length: 200 }, (_, i) => `p${i}.png`);
    const heldOut = names.find((name) => splitOf(name, 'gan-studio', 0.05) === 'test')!;
    const chosen = [...names.filter((name) => splitOf(name, 'gan-studio', 0.05) === 'train').slice(0, 3), heldOut];
    for (const [i, name] of chosen.entries()) await writeFile(path.join(photos, name), await noiseImage(80, 80, 'png', 20 + i));
    const prepared = await t.finish((await t.call('datasets.prepare', { projectId, name: 'held out', source: { kind: 'photos', dir: photos }, imageSize: 64 })).jobId);
    expect(prepared.result).toMatchObject({ train: 3, test: 1 });

    const progress: JobProgress[] = [];
    const off = t.studio.events.on('job.progress', (p) => progress.push(p));
    const job = await t.finish((await t.call('train.start', { projectId, name: 'watched', ...settings, dataset: 'held out' })).jobId).finally(off);
    expect(job.status).toBe('succeeded');
    const mine = progress.filter((p) => p.jobId === job.id);

    // Every grid travels with its step, is the library asset it was filed as (named and tagged as the Library shows it).
    const grids = [...new Map(mine.flatMap((p) => (p.sample ? [[p.sample.assetId, p.sample.step] as const] : []))).entries()];
    expect(grids.map(([, step]) => step)).toEqual([0, 2, 4, 6]);
    for (const [assetId, step] of grids) expect(t.studio.library.getAsset(assetId)).toMatchObject({ name: `watched step ${step}.png`, origin: 'sample', tags: [`run ${job.id}`] });
    expect(isTrainingJob(job) && job.result?.latestSample).toEqual({ assetId: grids.at(-1)![0], step: 6 });

    // Held-out PSNR and L1, measured with each grid, with the step they were measured at; the last is the outcome's.
    const evaluations = [...new Map(mine.flatMap((p) => (p.evaluation ? [[p.evaluation.step, p.evaluation.values] as const] : []))).entries()];
    expect(evaluations.map(([step]) => step)).toEqual([0, 2, 4, 6]);
    for (const [, values] of evaluations) expect(Object.keys(values).sort()).toEqual(['test_l1', 'test_psnr']);
    expect(evaluations.at(-1)![1]).toEqual(isTrainingJob(job) ? job.result?.metrics : null);
    expect(await t.call('runs.metrics', { jobId: job.id })).toMatchObject({ test_psnr: evaluations.map(([step, values]) => [step, values['test_psnr']]) });
  }, 180_000);
});
