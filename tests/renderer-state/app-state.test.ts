// ProjectsState (the project picker's state) on a real studio: a delete the studio answers BUSY keeps the project
// listed with the code to act on, and trying again once the job stopped deletes it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectsState } from '../../renderer/src/lib/app-state.svelte.js';
import { writeNoiseFolder } from '../support/images.js';
import { openTestStudio, type TestStudio } from '../support/test-studio.js';
import { nextEvent } from '../support/wait.js';
import { inProcessStudio } from './in-process-studio.js';

describe('ProjectsState.delete on a real studio', () => {
  let t: TestStudio;
  let projects: ProjectsState;
  let images: string;

  beforeAll(async () => {
    t = await openTestStudio();
    projects = new ProjectsState(inProcessStudio(t.studio));
    images = path.join(t.dir, 'images');
    await writeNoiseFolder(images, 60, 256);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers BUSY when a job of the project does not stop in time, keeps it listed, and deletes it on a second try', async () => {
    const doomed = await t.call('projects.create', { name: 'Slow to stop' });
    const { jobId } = await t.call('assets.importFolder', { projectId: doomed.id, path: images });
    await nextEvent(t.studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 1, 60_000);
    t.studio.jobs.stopTimeoutMs = 1; // no image is imported within a millisecond of the cancel

    const refused = await projects.delete(doomed.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'BUSY', message: expect.stringMatching(/so the project was kept/) } });
    expect(projects.items.map((p) => p.name)).toContain('Slow to stop');

    await t.studio.jobs.whenIdle();
    t.studio.jobs.stopTimeoutMs = 30_000;
    expect(await projects.delete(doomed.id)).toEqual({ ok: true, value: { deleted: true, cancelledJobs: 0 } });
    expect(projects.items.map((p) => p.name)).not.toContain('Slow to stop');
  }, 120_000);

  it('says a project deleted meanwhile (elsewhere) is gone, and no longer lists it', async () => {
    const gone = await t.call('projects.create', { name: 'Deleted elsewhere' });
    await projects.refresh();
    expect(projects.items.map((p) => p.name)).toContain('Deleted elsewhere');
    await t.call('projects.delete', { projectId: gone.id });
    expect(await projects.delete(gone.id)).toEqual({ ok: true, value: { deleted: false, cancelledJobs: 0 } });
    expect(projects.items.map((p) => p.name)).not.toContain('Deleted elsewhere');
  });
});
