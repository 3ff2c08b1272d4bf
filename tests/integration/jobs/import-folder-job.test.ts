// The folder import job through the real engine process and a real library: outcomes, cancel, crash, restart.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../main/api/contract.js';
import { openStudio, type Studio } from '../../../main/studio.js';
import { noiseImage, writeNoiseFolder } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';
import { nextEvent } from '../../support/wait.js';

const finished = (job: Job) => ['succeeded', 'failed', 'cancelled'].includes(job.status);

describe('library.importFolder job', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let studio: Studio;

  beforeEach(async () => {
    home = await tempDir();
    studio = await openStudio({ home: path.join(home.dir, 'library') });
  });
  afterEach(async () => {
    await studio.close();
    await home.remove();
  });

  async function startImport(dir: string): Promise<{ projectId: number; jobId: number }> {
    const project = await studio.dispatch('projects.create', { name: 'Import test' });
    if (!project.ok) throw new Error(project.error.message);
    const projectId = (project.value as { id: number }).id;
    const started = await studio.dispatch('assets.importFolder', { projectId, path: dir });
    if (!started.ok) throw new Error(started.error.message);
    return { projectId, jobId: (started.value as { jobId: number }).jobId };
  }

  it('imports the good images, lists the bad ones, and records the outcome', async () => {
    const dir = path.join(home.dir, 'in');
    await writeNoiseFolder(path.join(dir, 'nested'), 3, 64);
    await writeFile(path.join(dir, 'notes.txt'), 'not an image');
    await writeFile(path.join(dir, 'broken.png'), (await noiseImage(64, 64, 'png', 99)).subarray(0, 200));
    const { projectId, jobId } = await startImport(dir);
    const done = await nextEvent(studio.events, 'job.state', (j) => j.id === jobId && finished(j));

    expect(done.status).toBe('succeeded');
    const result = done.result as { imported: number; duplicates: number; rejected: { name: string; code: string }[] };
    expect(result.imported).toBe(3);
    expect(result.rejected.map((r) => r.name).sort()).toEqual(['broken.png', 'notes.txt']);
    const listed = studio.library.listAssets(projectId, { limit: 100, offset: 0 });
    expect(listed.total).toBe(3);
    for (const asset of listed.items) expect(existsSync(studio.library.assetFilePath(asset.id, 'thumb'))).toBe(true);
    expect(studio.library.getRun(jobId)).toMatchObject({ status: 'succeeded', step: 5, total: 5 });
  });

  it('lists a FIFO, a dangling link and a folder named a.png as skipped, with why, and never blocks on the FIFO', async () => {
    const dir = path.join(home.dir, 'odd');
    await writeNoiseFolder(dir, 2, 32);
    execFileSync('mkfifo', [path.join(dir, 'pipe.png')]);
    await symlink(path.join(dir, 'gone.png'), path.join(dir, 'dangling.png'));
    await mkdir(path.join(dir, 'a.png'));
    await writeFile(path.join(dir, 'a.png', 'inside.png'), await noiseImage(32, 32, 'png', 50));
    const project = await studio.dispatch('projects.create', { name: 'Odd entries' });
    const projectId = (project as { value: { id: number } }).value.id;
    const started = await studio.dispatch('assets.importFolder', { projectId, path: dir, recursive: false });
    const jobId = (started as { value: { jobId: number } }).value.jobId;
    const done = await nextEvent(studio.events, 'job.state', (j) => j.id === jobId && finished(j), 30_000);

    expect(done.status).toBe('succeeded');
    const result = done.result as { imported: number; rejected: { name: string; code: string; message: string }[] };
    expect(result.imported).toBe(2);
    expect(result.rejected).toEqual([
      { name: 'a.png', code: 'UNSUPPORTED_FORMAT', message: 'a.png is a folder, not an image file: skipped (import with subfolders to include what it holds).' },
      { name: 'dangling.png', code: 'NOT_FOUND', message: 'dangling.png is a link to something that does not exist: skipped.' },
      { name: 'pipe.png', code: 'UNSUPPORTED_FORMAT', message: 'pipe.png is a named pipe (FIFO), not an image file: skipped without opening it.' },
    ]);
    expect(studio.library.listAssets(projectId, { limit: 100, offset: 0 }).total).toBe(2);
  });

  it('cancels a running import and keeps what it finished', async () => {
    const dir = path.join(home.dir, 'big');
    await writeNoiseFolder(dir, 40, 768);
    const { projectId, jobId } = await startImport(dir);
    await nextEvent(studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 2);
    expect((await studio.dispatch('jobs.cancel', { jobId })).ok).toBe(true);
    const done = await nextEvent(studio.events, 'job.state', (j) => j.id === jobId && finished(j));

    expect(done.status).toBe('cancelled');
    const kept = studio.library.listAssets(projectId, { limit: 100, offset: 0 }).total;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(40);
    expect((done.result as { imported: number }).imported).toBe(kept);
  });

  it('survives the engine process being killed mid-job: job failed, engine restarted, studio usable', async () => {
    const dir = path.join(home.dir, 'big');
    await writeNoiseFolder(dir, 40, 768);
    const { projectId, jobId } = await startImport(dir);
    await nextEvent(studio.events, 'job.progress', (p) => p.jobId === jobId && p.step >= 1);
    const killedPid = studio.engine.info().pid!;
    const restarted = nextEvent(studio.events, 'engine.state', (e) => e.state === 'ready' && e.pid !== killedPid);
    process.kill(killedPid, 'SIGKILL');

    const done = await nextEvent(studio.events, 'job.state', (j) => j.id === jobId && finished(j));
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/engine process stopped unexpectedly/);
    const engine = await restarted;
    expect(engine.restarts).toBe(1);
    expect(studio.library.getRun(jobId).status).toBe('failed');
    // Assets finished before the crash are still there, and the studio still answers and runs jobs.
    expect(studio.library.listAssets(projectId, { limit: 100, offset: 0 }).total).toBeGreaterThanOrEqual(1);
    const small = path.join(home.dir, 'small');
    await writeNoiseFolder(small, 2, 32, 1000);
    const again = await studio.dispatch('assets.importFolder', { projectId, path: small });
    expect(again.ok).toBe(true);
    const second = await nextEvent(studio.events, 'job.state', (j) => j.id === (again.ok ? (again.value as { jobId: number }).jobId : -1) && finished(j));
    expect(second.status).toBe('succeeded');
  });

  it('marks jobs that were running when the studio stopped as interrupted on the next start', async () => {
    const run = studio.library.createRun(null, 'library.importFolder', { path: '/nowhere' });
    studio.library.updateRun(run.id, { status: 'running' });
    await studio.close();
    studio = await openStudio({ home: path.join(home.dir, 'library'), startEngine: false });
    expect(studio.library.getRun(run.id).status).toBe('interrupted');
  });
});
