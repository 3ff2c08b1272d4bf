// Job records as the contract types them: each kind's outcome schema reads what its job stores, whole or stopped part
// way, and refuses other shapes (which the library then reads as no outcome: tests/unit/library/run-store.test.ts).
import { describe, expect, it } from 'vitest';
import { InterpolateOutcome, InvertOutcome, isJobOf, isTrainingJob, Job, rootRunOf, TransferOutcome } from '../../../main/api/contract.js';

describe('job outcomes', () => {
  it('read a finished inversion, and a stopped one with its ids still null; not another kind’s result', () => {
    const done = { notices: ['The picture is 64×48: its centre square was used.'], previews: 20, latentId: 4, generationId: 7, outputAssetId: 12, psnr: 18.25, ssim: 0.61 };
    expect(InvertOutcome.parse(done)).toEqual(done);
    const stopped = { notices: [], previews: 3, latentId: null, generationId: null, outputAssetId: null, psnr: null, ssim: null };
    expect(InvertOutcome.parse(stopped)).toEqual(stopped);
    expect(InvertOutcome.safeParse({ files: [] }).success).toBe(false);
  });

  it('read a latent walk’s files and the GIF’s asset; not another kind’s result', () => {
    const files = [
      { format: 'gif', path: '/p/exports/tiny-walk-3.gif', bytes: 1234 },
      { format: 'webm', path: '/p/exports/tiny-walk-3.webm', bytes: 987 },
    ];
    expect(InterpolateOutcome.parse({ files, generationId: 5, assetId: 9 })).toEqual({ files, generationId: 5, assetId: 9 });
    expect(InterpolateOutcome.parse({ files: [], generationId: null, assetId: null })).toEqual({ files: [], generationId: null, assetId: null });
    expect(InterpolateOutcome.safeParse({ imported: 3 }).success).toBe(false);
  });

  it('read a transfer batch as the contract shapes it; not the engine task’s own result', () => {
    const outcome = { direction: 'BtoA', exportDir: '/x', translated: 0, items: [], rejected: [], notices: [] };
    expect(TransferOutcome.parse(outcome)).toEqual(outcome);
    expect(TransferOutcome.safeParse({ pictures: 3 }).success).toBe(false);
  });
});

describe('job records', () => {
  const record = (kind: string, params: object, result: unknown = null) =>
    Job.parse({ id: 5, projectId: 1, kind, params, status: 'succeeded', step: 0, total: 0, error: null, result, createdAt: '2026-12-06T00:00:00.000Z', startedAt: null, finishedAt: null });

  it('narrow on kind, and tell the run a training job belongs to', () => {
    const resumed = record('train.pggan', { projectId: 1, dataDir: '/d', name: 'P', resumeOf: 3 });
    const imported = record('library.importFolder', { path: '/p' }, { imported: 2, duplicates: 0, rejected: [] });
    expect(isJobOf(resumed, 'train.pggan') && resumed.params.fmapBase).toBe(2048);
    expect(isTrainingJob(resumed)).toBe(true);
    expect(isJobOf(imported, 'library.importFolder') && imported.result?.imported).toBe(2);
    expect(isTrainingJob(imported)).toBe(false);
    expect(rootRunOf(resumed.id, resumed.params)).toBe(3);
    expect(rootRunOf(imported.id, imported.params)).toBe(5);
  });
});
