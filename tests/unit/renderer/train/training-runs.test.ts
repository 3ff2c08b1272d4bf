// Training runs as listed: a run and the jobs that resumed it are one row with the newest job's status, read from
// their typed outcomes; live progress read as epoch and speed.
import { describe, expect, it } from 'vitest';
import type { Job, JobKind } from '../../../../main/api/contract.js';
import {
  epochOfStage,
  epochOfStep,
  formatRate,
  plannedSteps,
  RateMeter,
  runSource,
  runSummary,
  trainingRuns,
} from '../../../../renderer/src/lib/train/training-runs.js';
import { jobRecord, trainingOutcome, type JobFields } from '../../../support/job-records.js';

const shoes = { name: 'Shoes', dataset: 'shoes', imageSize: 128, ngf: 32, epochs: 2, epochsDecay: 2, sampleEvery: 100 };
/** What the other kinds listed beside training runs store. */
const otherParams: Partial<Record<JobKind, Record<string, unknown>>> = {
  'dataset.preparePairs': { name: 'shoes', source: { kind: 'side-by-side', dir: '/data/shoes' }, imageSize: 128 },
  'library.importFolder': { path: '/photos', recursive: true },
};

let nextId = 1;
function job(over: Partial<JobFields> = {}): Job {
  const kind = over.kind ?? 'train.pix2pix';
  return jobRecord({ id: nextId++, params: otherParams[kind] ?? shoes, ...over });
}

describe('trainingRuns', () => {
  it('lists only training jobs, newest run first', () => {
    const runs = trainingRuns(
      [job({ id: 3 }), job({ id: 4, kind: 'dataset.preparePairs' }), job({ id: 7 }), job({ id: 5, kind: 'library.importFolder' })],
      ['train.pix2pix'],
    );
    expect(runs.map((r) => r.rootId)).toEqual([7, 3]);
  });

  it('folds a paused run and the job that resumed it into one row, with the newest job’s status and step', () => {
    const paused = job({
      id: 10,
      status: 'cancelled',
      step: 150,
      total: 400,
      result: trainingOutcome({ run: 10, step: 150, checkpointStep: 150, modelId: null, metrics: { test_l1: 0.3, test_psnr: 14.2 }, samples: 2 }),
    });
    const resumed = job({ id: 12, status: 'running', step: 210, total: 400, params: { ...paused.params, resumeOf: 10 } });
    const [run, ...rest] = trainingRuns([resumed, job({ id: 11, kind: 'dataset.preparePairs' }), paused], ['train.pix2pix']);
    expect(rest).toEqual([]);
    expect(run).toMatchObject({ rootId: 10, status: 'running', step: 210, total: 400, psnr: 14.2, l1: 0.3, modelId: null, resumable: false });
    expect(run!.job.id).toBe(12);
    expect(run!.jobs.map((j) => j.id)).toEqual([12, 10]);
    expect(run!.settings).toMatchObject({ name: 'Shoes', dataset: 'shoes', epochs: 2, epochsDecay: 2 });
  });

  it('offers Resume for a paused, failed or interrupted run only (and one stopped early, below)', () => {
    const statuses = ['cancelled', 'failed', 'interrupted', 'running', 'queued', 'succeeded'] as const;
    const runs = trainingRuns(
      statuses.map((status, i) => job({ id: 100 + i, status })),
      ['train.pix2pix'],
    );
    expect(Object.fromEntries(runs.map((r) => [r.status, r.resumable]))).toEqual({
      cancelled: true,
      failed: true,
      interrupted: true,
      running: false,
      queued: false,
      succeeded: false,
    });
  });

  it('tells a run that reached "stop after" (succeeded, no model) from a finished one, at the step it ended', () => {
    const [stopped] = trainingRuns(
      [job({ id: 30, step: 24, total: 36, params: { ...shoes, name: 'S', untilStep: 25 }, result: trainingOutcome({ run: 30, step: 25, checkpointStep: 25, modelId: null, metrics: {} }) })],
      ['train.pix2pix'],
    );
    expect(stopped).toMatchObject({ status: 'succeeded', stoppedEarly: true, modelId: null, step: 25, total: 36, resumable: true });
    const [finished] = trainingRuns([job({ id: 31, step: 36, total: 36, result: trainingOutcome({ step: 36, modelId: 4, metrics: {} }) })], ['train.pix2pix']);
    expect(finished).toMatchObject({ stoppedEarly: false, modelId: 4, step: 36 });
  });

  it('gives a finished run its model, and a run whose outcome the library could not read (null) nothing', () => {
    const [done] = trainingRuns([job({ id: 20, result: trainingOutcome({ run: 20, step: 400, modelId: 9, metrics: { test_psnr: 18.5 } }) })], ['train.pix2pix']);
    expect(done).toMatchObject({ modelId: 9, psnr: 18.5 });
    // tests/unit/library/run-store.test.ts: a stored outcome of an unknown shape is read as null.
    const [odd] = trainingRuns([job({ id: 21, result: null })], ['train.pix2pix']);
    expect(odd).toMatchObject({ modelId: null, psnr: null, dataset: null, latestSample: null, settings: { name: 'Shoes', dataset: 'shoes', epochs: 2 } });
  });

  it('lists StyleGAN2 runs beside pix2pix ones, each with its family, settings and what it read from its folder', () => {
    const stylegan = job({
      id: 40,
      kind: 'train.stylegan2',
      status: 'cancelled',
      step: 3,
      total: 6,
      params: { name: 'Faces', dataDir: '/data/faces/', resolution: 32, channelBase: 256, channelMax: 16, batchSize: 4, totalKimg: 0.024, sampleEvery: 3 },
      result: trainingOutcome({
        run: 40,
        step: 3,
        checkpointStep: 3,
        modelId: null,
        metrics: { kid: 0.25 },
        samples: 2,
        latestSample: { assetId: 7, step: 3 },
        dataset: { train: 7, test: 1, skipped: [{ file: 'notes.txt', reason: 'not an image' }], notices: ['2 images were not square: centre-cropped'] },
      }),
    });
    const resumed = job({ id: 42, kind: 'train.stylegan2', status: 'running', step: 4, total: 6, params: { ...stylegan.params, resumeOf: 40 } });
    const runs = trainingRuns([resumed, job({ id: 41 }), stylegan], ['train.pix2pix', 'train.stylegan2']);
    expect(runs.map((r) => [r.rootId, r.family])).toEqual([
      [41, 'pix2pix'],
      [40, 'stylegan2'],
    ]);
    const run = runs[1]!;
    expect(run).toMatchObject({ status: 'running', step: 4, psnr: null, kid: 0.25 });
    expect(run.settings).toMatchObject({ name: 'Faces', dataset: '', dataDir: '/data/faces/', imageSize: 32, channelBase: 256, channelMax: 16, batchSize: 4, totalKimg: 0.024 });
    // The resumed job has not read its images yet: the paused one's reading stands, and its sample grid.
    expect(run.dataset).toEqual({ train: 7, test: 1, skipped: [{ file: 'notes.txt', reason: 'not an image' }], notices: ['2 images were not square: centre-cropped'], domains: [] });
    expect(run.latestSample).toEqual({ assetId: 7, step: 3 });
    expect(runSource(run.settings)).toBe('faces');
    expect(runSource(runs[0]!.settings)).toBe('shoes');
  });

  it('reads a CycleGAN run’s two folders, its per-folder counts and its settings line', () => {
    const cyclegan = job({
      id: 60,
      kind: 'train.cyclegan',
      status: 'cancelled',
      step: 5,
      total: 12,
      params: { name: 'Squares ↔ circles', dataA: '/data/squares', dataB: '/data/circles/', imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, epochs: 1, epochsDecay: 1, batchSize: 1 },
      result: trainingOutcome({
        step: 5,
        modelId: null,
        metrics: {},
        dataset: {
          train: 11,
          test: 1,
          skipped: [{ file: 'B: broken.png', reason: 'not an image' }],
          notices: ['A: 6 images were resized'],
          domains: { A: { train: 6, test: 0 }, B: { train: 5, test: 1 } },
        },
      }),
    });
    const [run] = trainingRuns([cyclegan], ['train.cyclegan']);
    expect(run).toMatchObject({ family: 'cyclegan', status: 'cancelled', resumable: true, total: 12 });
    expect(run!.settings).toMatchObject({ dataA: '/data/squares', dataB: '/data/circles/', nBlocks: 1, epochs: 1, epochsDecay: 1 });
    expect(run!.dataset?.domains).toEqual([
      { label: 'A', train: 6, test: 0 },
      { label: 'B', train: 5, test: 1 },
    ]);
    expect(runSource(run!.settings)).toBe('squares ↔ circles');
    expect(runSummary(run!)).toBe('CycleGAN on “squares ↔ circles” · 32 px · ngf 4 · 1 ResNet block · batch 1');
  });

  it('words each family’s settings line as the run monitor shows it', () => {
    const runs = trainingRuns(
      [
        job({ id: 70 }),
        job({ id: 71, kind: 'train.stylegan2', params: { name: 'F', dataDir: '/d/faces', resolution: 64, channelBase: 4096, channelMax: 128, batchSize: 16 } }),
        job({ id: 72, kind: 'train.pggan', params: { name: 'P', dataDir: '/d/faces', resolution: 32, fmapBase: 64, fmapMax: 16, batchSize: 4 } }),
      ],
      ['train.pix2pix', 'train.stylegan2', 'train.pggan'],
    );
    expect(runs.map(runSummary)).toEqual([
      'PGGAN on “faces” · 32 px · feature maps 64/16 · batch 4',
      'StyleGAN2 on “faces” · 64 px · channels 4096/128 · batch 16',
      'Pix2Pix on “shoes” · 128 px · ngf 32',
    ]);
  });

  it('plans a StyleGAN2 run’s iterations from its settings when the job record has no total', () => {
    const [run] = trainingRuns(
      [job({ id: 50, kind: 'train.stylegan2', step: 6, total: 0, params: { name: 'F', dataDir: '/f', batchSize: 4, totalKimg: 0.024 }, result: trainingOutcome({ step: 6, modelId: 3, metrics: { kid: 0.1 } }) })],
      ['train.stylegan2'],
    );
    expect(run).toMatchObject({ step: 6, total: 6, modelId: 3, kid: 0.1 });
    expect(plannedSteps({ totalKimg: 500, batchSize: 16 })).toBe(31_250);
    expect(plannedSteps({ totalKimg: null, batchSize: 16 })).toBe(0);
  });
});

describe('progress readings', () => {
  it('reads the epoch from the stage text, or works it out from the step', () => {
    expect(epochOfStage('Training, epoch 3')).toBe(3);
    expect(epochOfStage('Loading the dataset')).toBeNull();
    expect(epochOfStep(0, 400, 4)).toBe(0);
    expect(epochOfStep(100, 400, 4)).toBe(1);
    expect(epochOfStep(101, 400, 4)).toBe(2);
    expect(epochOfStep(400, 400, 4)).toBe(4);
    expect(epochOfStep(10, 0, 4)).toBeNull();
  });

  it('measures steps per second over a window, and starts over when a resumed run goes back', () => {
    const meter = new RateMeter(10_000);
    expect(meter.perSecond()).toBeNull();
    meter.add(0, 0);
    meter.add(2, 200);
    expect(meter.perSecond()).toBeNull(); // too short to tell
    for (let t = 1; t <= 30; t++) meter.add(t * 4, t * 1000);
    expect(meter.perSecond()).toBeCloseTo(4, 5);
    meter.add(50, 31_000); // back to a checkpoint
    expect(meter.perSecond()).toBeNull();
    meter.add(53, 32_000);
    expect(meter.perSecond()).toBeCloseTo(3, 5);
  });

  it('words the speed for the reader', () => {
    expect(formatRate(12.4)).toBe('12 steps/s');
    expect(formatRate(2.345)).toBe('2.3 steps/s');
    expect(formatRate(0.42)).toBe('0.42 steps/s');
    expect(formatRate(0.05)).toBe('1 step every 20 s');
    expect(formatRate(null)).toBe('');
  });
});
