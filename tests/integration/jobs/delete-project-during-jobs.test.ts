// Deleting a project while its jobs run: the studio cancels them first, keeps running every other project's job, and
// the deleted project's folder is gone for good, even when a task still tries to write into it.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../main/api/contract.js';
import { Library } from '../../../main/library/library.js';
import { writeNoiseFolder } from '../../support/images.js';
import { openTestStudio, type TestStudio } from '../../support/test-studio.js';
import { nextEvent } from '../../support/wait.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('deleting a project whose jobs run', () => {
  let t: TestStudio;
  let images: string;

  beforeEach(async () => {
    t = await openTestStudio();
    images = path.join(t.dir, 'images');
    await writeNoiseFolder(images, 8, 40);
  });
  afterEach(async () => {
    await t?.close();
  });

  const projectFolders = (): string[] => readdirSync(path.join(t.studio.library.home, 'projects')).filter((n) => !n.startsWith('.'));

  async function runningTraining(projectId: number): Promise<number> {
    // Long enough (40 iterations) that the delete lands mid-run; tiny enough that each iteration takes milliseconds.
    const { jobId } = await t.call('train.stylegan2', { projectId, name: 'doomed', dataDir: images, resolution: 32, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.16, seed: 1, sampleEvery: 2, checkpointEvery: 3 });
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === jobId && p.stage.startsWith('Training') && p.step >= 2, 120_000);
    return jobId;
  }

  it('cancels a running training job and a queued import, then deletes; the other project\'s import completes', async () => {
    const doomed = await t.call('projects.create', { name: 'Doomed' });
    const other = await t.call('projects.create', { name: 'Other' });
    const trainingEnd = nextEvent(t.studio.events, 'job.state', (j) => j.projectId === doomed.id && j.kind === 'train.stylegan2' && j.status !== 'running' && j.status !== 'queued', 120_000);
    const training = await runningTraining(doomed.id);
    const queuedHere = await t.call('assets.importFolder', { projectId: doomed.id, path: images });
    const elsewhere = await t.call('assets.importFolder', { projectId: other.id, path: images });

    expect(await t.call('projects.delete', { projectId: doomed.id })).toEqual({ deleted: true, cancelledJobs: 2 });
    const ended: Job = await trainingEnd;
    expect(ended).toMatchObject({ id: training, status: 'cancelled', error: 'Cancelled: its project was deleted.' });
    expect(ended.step).toBeGreaterThanOrEqual(2);
    // The other project's job runs on in the same studio and completes.
    const done = await t.finish(elsewhere.jobId);
    expect(done.status).toBe('succeeded');
    expect(t.studio.library.listAssets(other.id, { limit: 100, offset: 0 }).total).toBe(8);
    expect(() => t.studio.library.getRun(queuedHere.jobId)).toThrow(/does not exist/);
    // Gone, and still gone once everything has settled.
    await pause(500);
    expect(projectFolders()).toEqual([path.basename(other.folder)]);
    // No new job can start on it.
    expect(await t.studio.dispatch('assets.importFolder', { projectId: doomed.id, path: images })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 180_000);

  it('keeps the project, saying so, when its running job does not stop in time; a second delete then succeeds', async () => {
    const doomed = await t.call('projects.create', { name: 'Slow to stop' });
    const training = await runningTraining(doomed.id);
    const trainingEnd = nextEvent(t.studio.events, 'job.state', (j) => j.id === training && j.status === 'cancelled', 120_000);
    t.studio.jobs.stopTimeoutMs = 1; // no iteration ends within a millisecond of its cancel
    const refused = await t.studio.dispatch('projects.delete', { projectId: doomed.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BUSY', message: `Job ${training} did not stop within 1 ms of being cancelled, so the project was kept. Try deleting it again in a moment.` } });
    expect(t.studio.library.getProject(doomed.id).name).toBe('Slow to stop');
    expect(projectFolders()).toEqual([path.basename(doomed.folder)]);
    expect((await trainingEnd).error).toBeNull(); // cancelled, but not "its project was deleted"
    await t.studio.jobs.whenIdle();
    t.studio.jobs.stopTimeoutMs = 30_000;
    expect(await t.call('projects.delete', { projectId: doomed.id })).toEqual({ deleted: true, cancelledJobs: 0 });
    expect(projectFolders()).toEqual([]);
  }, 180_000);

  it('keeps a project closed to new jobs until the last of two deletes at once is done', async () => {
    const project = await t.call('projects.create', { name: 'Twice' });
    const first = await t.studio.jobs.stopProjectJobs(project.id);
    const second = await t.studio.jobs.stopProjectJobs(project.id);
    first.done(); // the first delete gave up (or finished); the second still holds the project
    first.done(); // a done() called twice counts once
    expect(await t.studio.dispatch('assets.importFolder', { projectId: project.id, path: images })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    second.done();
    const { jobId } = await t.call('assets.importFolder', { projectId: project.id, path: images });
    expect((await t.finish(jobId)).status).toBe('succeeded');
  }, 60_000);

  it('cancels an import racing the delete; no folder comes back', async () => {
    const big = path.join(t.dir, 'big');
    await writeNoiseFolder(big, 30, 768);
    const doomed = await t.call('projects.create', { name: 'Racing' });
    const { jobId } = await t.call('assets.importFolder', { projectId: doomed.id, path: big });
    const ended = nextEvent(t.studio.events, 'job.state', (j) => j.id === jobId && j.status === 'cancelled', 60_000);
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 1);
    expect(await t.call('projects.delete', { projectId: doomed.id })).toEqual({ deleted: true, cancelledJobs: 1 });
    expect((await ended).error).toBe('Cancelled: its project was deleted.');
    await pause(500);
    expect(projectFolders()).toEqual([]);
  }, 120_000);

  it('survives a project deleted under a running job behind the jobs\' back: the job fails, nothing is recreated', async () => {
    // The library call alone, as a bug elsewhere might: the job's rows vanish under it mid-import.
    const big = path.join(t.dir, 'big');
    await writeNoiseFolder(big, 30, 768);
    const doomed = await t.call('projects.create', { name: 'Underfoot' });
    const other = await t.call('projects.create', { name: 'Bystander' });
    const { jobId } = await t.call('assets.importFolder', { projectId: doomed.id, path: big });
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 1);
    t.studio.library.deleteProject(doomed.id);
    const after = await t.finish((await t.call('assets.importFolder', { projectId: other.id, path: images })).jobId);
    expect(after.status).toBe('succeeded');
    // Its record went with the project, and the job ended (the next one ran) without taking the studio down.
    expect(() => t.studio.library.getRun(jobId)).toThrow(/does not exist/);
    await pause(500);
    expect(projectFolders()).toEqual([path.basename(other.folder)]);
  }, 120_000);

  it('sweeps, at the next start, the folder of a project whose row is gone, and nothing else in the projects folder', async () => {
    const kept = await t.call('projects.create', { name: 'Kept' });
    const stray = await t.call('projects.create', { name: 'Stray project' });
    const projects = path.join(t.studio.library.home, 'projects');
    const keptName = path.basename(kept.folder);
    await mkdir(path.join(projects, '77-never-handed-out', 'assets'), { recursive: true }); // an id this library never gave
    await mkdir(path.join(projects, `${keptName}-old`, 'assets'), { recursive: true }); // the artist's copy of a live project
    await mkdir(path.join(projects, 'my notes'), { recursive: true });
    await mkdir(path.join(projects, '12-Mine'), { recursive: true }); // not a name the studio makes (capitals)
    const home = t.studio.library.home;
    const dbPath = t.studio.library.dbPath;
    await t.studio.close();
    // A crash between the row's delete and the folder's: the row is gone, the folder stays.
    const raw = new Database(dbPath);
    raw.prepare('DELETE FROM projects WHERE id = ?').run(stray.id);
    raw.close();
    const library = Library.open(home);
    try {
      expect(readdirSync(projects).sort()).toEqual([keptName, `${keptName}-old`, '77-never-handed-out', '12-Mine', 'my notes'].sort());
      expect(existsSync(kept.folder)).toBe(true);
      expect(existsSync(stray.folder)).toBe(false);
    } finally {
      library.close();
    }
    t.studio = (await import('../../../main/studio.js').then((m) => m.openStudio({ home, startEngine: false })));
  });
});
