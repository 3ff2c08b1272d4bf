// Runs: the job record from queued to finished, listed newest first, interrupted at startup, with metrics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, openLibraryFixture, type LibraryFixture } from './library-fixture.js';

/** The params of an 'Import folder' job, as its handler stores them. */
const importing = { path: '/photos', recursive: true };

describe('runs', () => {
  let fx: LibraryFixture;
  let projectId: number;
  beforeEach(() => {
    fx = openLibraryFixture();
    projectId = fx.library.createProject('p').id;
  });
  afterEach(() => fx.dispose());

  it('goes from queued to running to succeeded, stamping times and keeping the result', () => {
    const job = fx.library.createRun(projectId, 'library.importFolder', { path: '/photos', recursive: true });
    expect(job).toMatchObject({
      projectId, kind: 'library.importFolder', params: { path: '/photos', recursive: true },
      status: 'queued', step: 0, total: 0, error: null, result: null, startedAt: null, finishedAt: null,
    });
    const running = fx.library.updateRun(job.id, { status: 'running', total: 10 });
    expect(running.startedAt).not.toBeNull();
    expect(fx.library.updateRun(job.id, { step: 4 })).toMatchObject({ status: 'running', step: 4, total: 10 });
    const done = fx.library.updateRun(job.id, { status: 'succeeded', step: 10, result: { imported: 2, duplicates: 0, rejected: [] } });
    expect(done).toMatchObject({ status: 'succeeded', step: 10, result: { imported: 2, duplicates: 0, rejected: [] }, startedAt: running.startedAt });
    expect(done.finishedAt! >= done.startedAt!).toBe(true);
    expect(fx.library.getRun(job.id)).toEqual(done);
    // explicit times win over the automatic ones
    expect(fx.library.updateRun(job.id, { finishedAt: '2030-01-01T00:00:00.000Z' }).finishedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('validates patches and reports unknown runs and projects', () => {
    const job = fx.library.createRun(null, 'library.importFolder', importing);
    expect(errorOf(() => fx.library.updateRun(job.id, { status: 'exploded' as never })).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.updateRun(job.id, { step: -1 })).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.updateRun(job.id, { result: { n: 1n } })).code).toBe('INVALID_PARAMS');
    expect(fx.library.getRun(job.id)).toEqual(job);
    expect(errorOf(() => fx.library.updateRun(999, { step: 1 })).code).toBe('NOT_FOUND');
    expect(errorOf(() => fx.library.getRun(999)).code).toBe('NOT_FOUND');
    expect(errorOf(() => fx.library.createRun(999, 'library.importFolder', importing)).code).toBe('NOT_FOUND');
  });

  it('records a failure with its message and can clear a result', () => {
    const job = fx.library.createRun(projectId, 'library.importFolder', importing);
    fx.library.updateRun(job.id, { result: { imported: 1, duplicates: 0, rejected: [] } });
    const failed = fx.library.updateRun(job.id, { status: 'failed', error: 'out of memory', result: null });
    expect(failed).toMatchObject({ status: 'failed', error: 'out of memory', result: null });
    expect(failed.finishedAt).not.toBeNull();
  });

  it('lists newest first, per project or all, up to the limit', () => {
    const other = fx.library.createProject('other').id;
    const a = fx.library.createRun(projectId, 'library.importFolder', importing).id;
    const b = fx.library.createRun(other, 'library.importFolder', importing).id;
    const c = fx.library.createRun(null, 'library.importFolder', importing).id;
    const d = fx.library.createRun(projectId, 'library.importFolder', importing).id;
    expect(fx.library.listRuns({ limit: 10 }).map((j) => j.id)).toEqual([d, c, b, a]);
    expect(fx.library.listRuns({ limit: 2 }).map((j) => j.id)).toEqual([d, c]);
    expect(fx.library.listRuns({ projectId, limit: 10 }).map((j) => j.id)).toEqual([d, a]);
  });

  it('marks queued and running runs interrupted, leaving finished ones alone', () => {
    const queued = fx.library.createRun(projectId, 'library.importFolder', importing).id;
    const running = fx.library.updateRun(fx.library.createRun(projectId, 'library.importFolder', importing).id, { status: 'running' }).id;
    const done = fx.library.updateRun(fx.library.createRun(projectId, 'library.importFolder', importing).id, { status: 'succeeded' });
    expect(fx.library.markUnfinishedRunsInterrupted()).toBe(2);
    for (const id of [queued, running]) {
      expect(fx.library.getRun(id)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('closed') });
      expect(fx.library.getRun(id).finishedAt).not.toBeNull();
    }
    expect(fx.library.getRun(done.id)).toEqual(done);
    expect(fx.library.markUnfinishedRunsInterrupted()).toBe(0);
  });

  it('stores metrics, NaN included, and drops them with the run', () => {
    const job = fx.library.createRun(projectId, 'train.pix2pix', { projectId, dataset: 'shoes', name: 'Shoes' });
    fx.library.addMetric(job.id, 1, 'loss_g', 1.5);
    fx.library.addMetric(job.id, 2, 'loss_g', Number.NaN);
    expect(fx.raw().prepare('SELECT step, name, value FROM metrics ORDER BY step').all()).toEqual([
      { step: 1, name: 'loss_g', value: 1.5 },
      { step: 2, name: 'loss_g', value: null },
    ]);
    expect(errorOf(() => fx.library.addMetric(999, 1, 'loss', 1)).code).toBe('NOT_FOUND');
    expect(errorOf(() => fx.library.addMetric(job.id, 1.5, 'loss', 1)).code).toBe('INVALID_PARAMS');
    fx.library.deleteProject(projectId);
    expect(fx.raw().prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 });
  });

  it('refuses a job of no known kind, params its kind does not keep, and an outcome of another shape', () => {
    expect(errorOf(() => fx.library.createRun(projectId, 'stylegan.train' as never, {})).code).toBe('INVALID_PARAMS');
    expect(errorOf(() => fx.library.createRun(projectId, 'library.importFolder', { recursive: true })).code).toBe('INVALID_PARAMS');
    const job = fx.library.createRun(projectId, 'library.importFolder', importing);
    expect(errorOf(() => fx.library.updateRun(job.id, { result: { run: 1, step: 3 } })).code).toBe('INVALID_PARAMS');
    expect(fx.library.getRun(job.id).result).toBeNull();
  });

  it('lists the records older versions wrote: missing fields read as their defaults, an unreadable outcome as none', () => {
    const insert = (kind: string, params: unknown, result: unknown, at: string): number =>
      Number(
        fx
          .raw()
          .prepare(`INSERT INTO runs (project_id, kind, params, status, step, total, result, created_at) VALUES (?, ?, ?, 'cancelled', 150, 400, ?, ?)`)
          .run(projectId, kind, JSON.stringify(params), result === null ? null : JSON.stringify(result), at).lastInsertRowid,
      );
    // The first training records: settings without fp16, an outcome without latestSample or dataset, a NaN (null) PSNR.
    const pix2pix = insert(
      'train.pix2pix',
      { projectId, dataset: 'shoes', name: 'Shoes', imageSize: 128, ngf: 64, ndf: 64, epochs: 2, epochsDecay: 2, batchSize: 1, seed: 1, checkpointEvery: 500, sampleEvery: 200 },
      { run: 1, step: 150, checkpointStep: 150, modelId: null, metrics: { test_l1: 0.3, test_psnr: null }, samples: 2 },
      '2026-11-23T08:00:00.000Z',
    );
    // A resumed StyleGAN2 job with a setting since removed, and an outcome of a shape this version does not know.
    const stylegan = insert(
      'train.stylegan2',
      { projectId, dataDir: '/data/faces', name: 'Faces', resumeOf: pix2pix, oldSetting: 3 },
      { iterations: 12, kimg: 0.2 },
      '2026-11-23T09:00:00.000Z',
    );
    // A kind this version no longer has.
    const gone = insert('stylegan.train', {}, null, '2026-11-23T10:00:00.000Z');

    const listed = fx.library.listRuns({ projectId, limit: 10 });
    expect(listed.map((j) => j.id)).toEqual([stylegan, pix2pix]);
    const [faces, shoes] = listed;
    expect(shoes).toMatchObject({
      kind: 'train.pix2pix',
      params: { name: 'Shoes', dataset: 'shoes', fp16: false },
      result: { run: 1, step: 150, metrics: { test_l1: 0.3, test_psnr: null }, latestSample: null },
    });
    expect(faces).toMatchObject({ kind: 'train.stylegan2', status: 'cancelled', step: 150, params: { name: 'Faces', resumeOf: pix2pix, resolution: 64 }, result: null });
    expect(faces!.params).not.toHaveProperty('oldSetting');
    expect(fx.library.getRun(stylegan)).toEqual(faces);
    expect(errorOf(() => fx.library.getRun(gone)).code).toBe('INTERNAL');
  });
});
