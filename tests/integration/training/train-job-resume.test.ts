// Training as the artist runs it, through the studio's jobs and the real engine process: prepare a dataset from
// photos, train, pause, lose the engine, resume — and end with exactly the model an uninterrupted run makes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, MethodName, ParamsIn, ResultOf } from '../../../main/api/contract.js';
import { call as cliCall } from '../../../main/cli/call.js';
import { openStudio, type Studio } from '../../../main/studio.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';
import { nextEvent } from '../../support/wait.js';

const ended = (job: Job): boolean => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status);

describe('pix2pix training job', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let studio: Studio;
  let projectId: number;

  // The CLI's own caller: a value, or an error naming the code.
  const call = <M extends MethodName>(method: M, params: ParamsIn<M>): Promise<ResultOf<M>> => cliCall(studio, method, params);
  const finish = (jobId: number): Promise<Job> => nextEvent(studio.events, 'job.state', (j) => j.id === jobId && ended(j), 180_000);

  beforeAll(async () => {
    home = await tempDir();
    studio = await openStudio({ home: path.join(home.dir, 'library') });
    projectId = (await call('projects.create', { name: 'Training' })).id;
    const photos = path.join(home.dir, 'photos');
    await writeNoiseFolder(photos, 6, 80);
    await (await import('node:fs/promises')).writeFile(path.join(photos, 'broken.png'), (await noiseImage(80, 80, 'png', 5)).subarray(0, 100));
    const prepared = await finish((await call('datasets.prepare', { projectId, name: 'noise', source: { kind: 'photos', dir: photos }, imageSize: 64 })).jobId);
    expect(prepared.status).toBe('succeeded');
    const [dataset] = await call('datasets.list', { projectId });
    // The broken file is named and skipped; the rest train.
    expect(dataset).toMatchObject({ name: 'noise', storedSize: 72, complete: true });
    expect(dataset!.train + dataset!.test).toBe(6);
    expect(dataset!.skipped.map((s) => s.file)).toEqual(['broken.png']);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await home?.remove();
  });

  const settings = { dataset: 'noise', imageSize: 64 as const, ngf: 8, ndf: 8, epochs: 1, epochsDecay: 1, seed: 3, sampleEvery: 2, checkpointEvery: 100 };

  it('pauses with a checkpoint, resumes in a new engine process, and ends with the uninterrupted run\'s exact weights', async () => {
    const straight = await finish((await call('train.start', { projectId, name: 'straight', ...settings })).jobId);
    expect(straight.status).toBe('succeeded');
    const straightResult = straight.result as { step: number; modelId: number };
    expect(straightResult.step).toBeGreaterThanOrEqual(8); // 2 epochs of the training split

    const paused = await finish((await call('train.start', { projectId, name: 'resumed', ...settings, untilStep: 3 })).jobId);
    expect(paused.status).toBe('succeeded'); // stopped where asked, with a checkpoint and no model yet
    expect(paused.result).toMatchObject({ step: 3, checkpointStep: 3, modelId: null });
    // A resumed run must not depend on anything the old engine process held.
    const before = studio.engine.info().pid;
    process.kill(before!, 'SIGKILL');
    await expect.poll(() => studio.engine.info().state === 'ready' && studio.engine.info().pid !== before, { timeout: 60_000 }).toBe(true);

    const resumed = await finish((await call('train.resume', { jobId: paused.id })).jobId);
    expect(resumed.status).toBe('succeeded');
    const resumedResult = resumed.result as { step: number; modelId: number; checkpointStep: number };
    expect(resumedResult.step).toBe(straightResult.step);

    const weights = async (modelId: number): Promise<Buffer> => {
      const model = studio.library.getModel(modelId);
      return readFile(path.join(studio.library.getProject(projectId).folder, model.folder, 'weights.bin'));
    };
    expect((await weights(resumedResult.modelId)).equals(await weights(straightResult.modelId))).toBe(true);

    // One loss curve for the whole run: the resumed job's metrics continue the first job's, without duplicate steps.
    const metrics = await call('runs.metrics', { jobId: resumed.id });
    expect(metrics['gL1']!.map(([step]) => step)).toEqual(Array.from({ length: straightResult.step }, (_, i) => i + 1));
    expect(await call('runs.metrics', { jobId: paused.id })).toEqual(metrics);
    // A checkpoint folder copied from elsewhere starts a new run at its step and ends at the same weights too.
    const pausedCheckpoint = path.join(studio.library.getProject(projectId).folder, 'runs', `run-${paused.id}`, 'checkpoints', 'step-000003');
    const mismatched = await finish((await call('train.start', { projectId, name: 'other', ...settings, ngf: 16, continueFrom: pausedCheckpoint })).jobId);
    expect(mismatched).toMatchObject({ status: 'failed', error: expect.stringMatching(/made with ngf 8; these settings say 16/) });
    const continued = await finish((await call('train.start', { projectId, name: 'continued', ...settings, continueFrom: pausedCheckpoint })).jobId);
    expect(continued.result).toMatchObject({ step: straightResult.step });
    expect((await weights((continued.result as { modelId: number }).modelId)).equals(await weights(straightResult.modelId))).toBe(true);

    // Sample grids were filed as assets of the project.
    const samples = studio.library.listAssets(projectId, { limit: 100, offset: 0 }).items.filter((a) => a.origin === 'sample');
    expect(samples.length).toBeGreaterThan(0);
  }, 300_000);

  it('refuses to resume a finished run or start on a missing dataset, with clear messages', async () => {
    const jobs = await call('jobs.list', { projectId });
    const done = jobs.find((j) => j.kind === 'train.pix2pix' && j.status === 'succeeded' && (j.result as { modelId: number | null }).modelId !== null)!;
    expect(await studio.dispatch('train.resume', { jobId: done.id })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await studio.dispatch('train.start', { projectId, name: 'x', ...settings, dataset: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await studio.dispatch('train.start', { projectId, name: 'x', ...settings, dataset: '../escape' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
  });
});
