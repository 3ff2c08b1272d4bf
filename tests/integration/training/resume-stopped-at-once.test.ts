// A training job resumed and stopped at once keeps the step of the checkpoint it resumed, not 0.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';

describe('a resume stopped at once', () => {
  let t: TestStudio;
  let projectId: number;
  let dataDir: string;

  beforeAll(async () => {
    t = await openTestStudio();
    projectId = (await t.call('projects.create', { name: 'Resume' })).id;
    dataDir = path.join(t.dir, 'images');
    await writeNoiseFolder(dataDir, 8, 40);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('records the checkpoint\'s step when cancelled before the engine even loaded it, and again once it had', async () => {
    const settings = { dataDir, resolution: 32 as const, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.024, seed: 4, sampleEvery: 3, checkpointEvery: 100 };
    const paused = await t.finish((await t.call('train.stylegan2', { projectId, name: 'paused', ...settings, untilStep: 2 })).jobId);
    expect(paused).toMatchObject({ status: 'succeeded', step: 2, result: { checkpointStep: 2 } });

    // Cancelled in the same tick as the resume: the engine has not read a single image yet.
    const { jobId } = await t.call('train.resume', { jobId: paused.id });
    await t.call('jobs.cancel', { jobId });
    const stopped = await t.finish(jobId);
    expect(stopped).toMatchObject({ status: 'cancelled', step: 2, total: 6, result: { step: 2, checkpointStep: 2 } });

    // And a resume of that one, stopped while it reads its images (its last report counts images, not steps).
    const again = await t.call('train.resume', { jobId: stopped.id });
    const { nextEvent } = await import('../../support/wait.js');
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === again.jobId);
    await t.call('jobs.cancel', { jobId: again.jobId });
    const stoppedAgain = await t.finish(again.jobId);
    expect(stoppedAgain.status).toBe('cancelled');
    expect(stoppedAgain.step).toBeGreaterThanOrEqual(2);
    expect((stoppedAgain.result as { step: number }).step).toBe(stoppedAgain.step);
  }, 180_000);
});
