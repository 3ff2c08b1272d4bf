// Upload batching: no call carries more than 16 files or 48 MB, order is kept, oversized files are set aside.
import { describe, expect, it } from 'vitest';
import { MAX_BYTES_PER_CALL, MAX_FILES_PER_CALL, planUploads, toBase64 } from '../../../renderer/src/lib/file-upload.js';

const MB = 1024 * 1024;
const files = (...sizes: number[]) => sizes.map((size, i) => ({ name: `f${i}`, size }));

describe('planUploads', () => {
  it('splits by file count', () => {
    const plan = planUploads(files(...Array.from({ length: 40 }, () => 1000)));
    expect(plan.batches.map((b) => b.length)).toEqual([MAX_FILES_PER_CALL, MAX_FILES_PER_CALL, 8]);
    expect(plan.batches.flat().map((f) => f.name)).toEqual(Array.from({ length: 40 }, (_, i) => `f${i}`));
  });

  it('splits by bytes, never exceeding the budget per call', () => {
    const plan = planUploads(files(20 * MB, 20 * MB, 20 * MB, 8 * MB, 40 * MB));
    expect(plan.batches.map((b) => b.map((f) => f.name))).toEqual([['f0', 'f1'], ['f2', 'f3'], ['f4']]);
    for (const batch of plan.batches) expect(batch.reduce((sum, f) => sum + f.size, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
  });

  it('sets aside files over the per-call budget', () => {
    const plan = planUploads(files(1000, MAX_BYTES_PER_CALL + 1, 2000));
    expect(plan.tooLarge.map((f) => f.name)).toEqual(['f1']);
    expect(plan.batches.map((b) => b.map((f) => f.name))).toEqual([['f0', 'f2']]);
  });

  it('makes no call for no files', () => {
    expect(planUploads([])).toEqual({ batches: [], tooLarge: [] });
  });
});

describe('toBase64', () => {
  it('matches Node for bytes longer than one chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
