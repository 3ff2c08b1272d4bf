import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatestJob, type JobRun } from '../../renderer/src/lib/latest-job.svelte.js';
import type { Studio } from '../../renderer/src/lib/studio.js';
import { noiseImage } from '../support/images.js';
import { openTestStudio, type TestStudio } from '../support/test-studio.js';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { inProcessStudio } from './in-process-studio.js';

/** Real inversions of a tiny StyleGAN2: the jobs LatestJob starts, follows and cancels are the studio's own. */
describe('LatestJob (the one job a view started) on a real studio', () => {
  let t: TestStudio;
  let studio: Studio;
  let projectId: number;
  let modelId: number;
  let assetId: number;

  beforeAll(async () => {
    t = await openTestStudio({ builtinModels: (dir) => writeTinyStyleGAN2Builtin(dir) });
    studio = inProcessStudio(t.studio);
    projectId = (await t.call('projects.create', { name: 'Jobs' })).id;
    modelId = (await t.call('models.list', { projectId, family: 'stylegan2' }))[0]!.id;
    const upload = await t.call('assets.upload', { projectId, files: [{ name: 'target.png', dataBase64: (await noiseImage(32, 32, 'png')).toString('base64') }] });
    assetId = upload.imported[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const invert = (steps: number) => () => studio.call('stylegan.invert', { projectId, modelId, assetId, steps });

  it('is busy from the call until the job ends, and keeps the run the view recorded', async () => {
    const latest = new LatestJob<JobRun & { steps: number }>(studio, 'inversion');
    expect(latest.busy).toBe(false);
    const started = latest.launch(invert(20), (watch) => ({ projectId, watch, steps: 20 }));
    expect(latest.starting).toBe(true);
    expect(latest.busy).toBe(true);
    const outcome = await started;
    expect(outcome.ok).toBe(true);
    expect(latest.run?.steps).toBe(20);
    expect(latest.runOf(projectId)).toBe(latest.run);
    expect(latest.runOf(projectId + 1)).toBeNull();
    await expect.poll(() => latest.run?.watch.status === 'succeeded', { timeout: 60_000 }).toBe(true);
    expect(latest.running).toBe(false);
    expect(latest.busy).toBe(false);
    expect(latest.run?.watch.progress?.step).toBe(20);
  });

  it('cancels the job under way, and says there is nothing to cancel once it has ended', async () => {
    const latest = new LatestJob<JobRun>(studio, 'inversion');
    expect(await latest.cancel()).toEqual({ ok: true, value: false });
    await latest.launch(invert(5000), (watch) => ({ projectId, watch }));
    await expect.poll(() => (latest.run?.watch.progress?.step ?? 0) > 0, { timeout: 60_000 }).toBe(true);
    expect(await latest.cancel()).toEqual({ ok: true, value: true });
    await expect.poll(() => latest.run?.watch.status === 'cancelled', { timeout: 60_000 }).toBe(true);
    expect(latest.busy).toBe(false);
    expect(await latest.cancel()).toEqual({ ok: true, value: false });
  });

  it('turns a refused call into the message to show and keeps the previous run', async () => {
    const latest = new LatestJob<JobRun>(studio, 'inversion');
    await latest.launch(invert(10), (watch) => ({ projectId, watch }));
    const previous = latest.run;
    const outcome = await latest.launch(() => studio.call('stylegan.invert', { projectId, modelId, assetId, steps: 1 }), (watch) => ({ projectId, watch }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/^Could not start the inversion: .*steps/);
    expect(latest.run).toBe(previous);
    expect(latest.starting).toBe(false);
  });
});
