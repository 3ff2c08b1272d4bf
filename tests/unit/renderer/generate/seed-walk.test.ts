// "Animate selected" of the Generate view: selected seeds become keyframes the contract accepts, the frame count is
// the engine's, settings out of the contract's bounds are named, and the job's result reads back as files.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../../main/api/contract.js';
import { checkWalkSettings, DEFAULT_WALK, seedKeyframes, walkFrameCount } from '../../../../renderer/src/lib/generate/seed-walk.js';

const interpolate = methods['stylegan.interpolate'].params;

describe('seed walk', () => {
  it('turns seeds in pick order into keyframes with the grid’s truncation, valid for stylegan.interpolate', () => {
    const keyframes = seedKeyframes([7, 3], 0.7, null);
    expect(keyframes).toEqual([
      { kind: 'seed', seed: 7, truncationPsi: 0.7 },
      { kind: 'seed', seed: 3, truncationPsi: 0.7 },
    ]);
    expect(seedKeyframes([1, 2], 0.5, 3)[1]).toEqual({ kind: 'seed', seed: 2, truncationPsi: 0.5, truncationCutoff: 3 });
    const parsed = interpolate.parse({ projectId: 1, modelId: 2, keyframes, ...DEFAULT_WALK, formats: ['gif', 'webm'] });
    expect(parsed.keyframes).toEqual(keyframes);
    expect([parsed.framesPerTransition, parsed.fps, parsed.loop]).toEqual([24, 24, true]); // the contract's defaults
  });

  it('counts frames as the engine renders them: a loop comes back to the first seed without drawing it twice', () => {
    expect(walkFrameCount(2, { framesPerTransition: 3, fps: 24, loop: true })).toBe(6);
    expect(walkFrameCount(2, { framesPerTransition: 3, fps: 24, loop: false })).toBe(4);
    expect(walkFrameCount(4, DEFAULT_WALK)).toBe(96);
  });

  it('names the first setting out of the contract’s bounds', () => {
    expect(checkWalkSettings(DEFAULT_WALK)).toBeNull();
    expect(checkWalkSettings({ ...DEFAULT_WALK, framesPerTransition: 1 })).toMatch(/Frames per transition/);
    expect(checkWalkSettings({ ...DEFAULT_WALK, framesPerTransition: 2.5 })).toMatch(/whole number/);
    expect(checkWalkSettings({ ...DEFAULT_WALK, fps: Number.NaN })).toMatch(/Frames per second/);
    expect(checkWalkSettings({ ...DEFAULT_WALK, fps: 61 })).toMatch(/Frames per second/);
    expect(interpolate.safeParse({ projectId: 1, modelId: 2, keyframes: seedKeyframes([1, 2], 1, null), fps: 61 }).success).toBe(false);
  });
});
