// The pix2pix training loop: the reference's lr schedule, epochs that visit every pair once, seeded (dropout included)
// and leak-free steps, in-process snapshot/restore, and held-out evaluation in eval mode.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { pix2pixConfig } from '../../../../models/pix2pix/config.js';
import { Pix2pixRun, pix2pixLearningRate, pix2pixStepsPerEpoch, pix2pixTotalSteps, type Pix2pixSnapshot } from '../../../../models/pix2pix/train.js';
import { tinyAugment, tinyPairs } from '../../../integration/training/tiny-pairs.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

// 64 px is the smallest U-Net with a dropout level (numDowns 6: one 8·ngf level beside the innermost).
const tiny = pix2pixConfig(64, { ngf: 8, ndf: 8, batchSize: 2, epochs: 1, epochsDecay: 2 });

const sameArrays = (x: Float32Array, y: Float32Array): boolean => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
function expectSameWeights(x: Pix2pixSnapshot, y: Pix2pixSnapshot): void {
  expect([...x.weights.keys()]).toEqual([...y.weights.keys()]);
  const differing = [...x.weights].filter(([name, t]) => !sameArrays(t.data, y.weights.get(name)!.data)).map(([name]) => name);
  expect(differing).toEqual([]);
}

describe('pix2pix learning-rate schedule (junyanz lr_policy linear)', () => {
  it('holds the rate for n_epochs, then decays by 1/(n_epochs_decay + 1) per epoch', () => {
    const config = pix2pixConfig(256, { epochs: 100, epochsDecay: 100 });
    const perEpoch = pix2pixStepsPerEpoch(config, 400); // facades: 400 pairs, batch 1
    expect(perEpoch).toBe(400);
    expect(pix2pixTotalSteps(config, 400)).toBe(80_000);
    const at = (step: number): number => pix2pixLearningRate(config, step, perEpoch);
    expect(at(0)).toBe(2e-4);
    expect(at(39_999)).toBe(2e-4); // last step of epoch 100
    expect(at(40_000)).toBeCloseTo(2e-4 * (1 - 1 / 101), 15); // epoch 101
    expect(at(60_000)).toBeCloseTo(2e-4 * (1 - 51 / 101), 15); // epoch 151
    expect(at(79_999)).toBeCloseTo(2e-4 / 101, 15); // epoch 200, the last
  });

  it('counts a smaller last batch as a step: 7 pairs in batches of 2 is 4 steps an epoch', () => {
    expect(pix2pixStepsPerEpoch(tiny, 7)).toBe(4);
    expect(pix2pixTotalSteps(tiny, 7)).toBe(12);
  });
});

describe('Pix2pixRun', () => {
  it('steps at the scheduled rate, visits every pair once per epoch, stops at the end, leaks no tensors', () => {
    const dataset = tinyPairs(3, 68);
    const run = Pix2pixRun.create({ ...tiny, batchSize: 2 }, dataset, tinyAugment, 5);
    expect(run.stepsPerEpoch).toBe(2);
    expect(run.totalSteps).toBe(6);
    const first = run.step(); // creates nothing that stays: Adam's moments are host arrays
    const before = tf.memory().numTensors;
    const reports = [first];
    while (!run.done) reports.push(run.step());
    expect(tf.memory().numTensors).toBe(before);
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reports.map((r) => r.epoch)).toEqual([0, 0, 1, 1, 2, 2]);
    // Epoch 1 at 2e-4, then 1 − 1/3 and 1 − 2/3 of it.
    reports.forEach((r, i) => expect(r.learningRate).toBeCloseTo([2e-4, 2e-4, 4e-4 / 3, 4e-4 / 3, 2e-4 / 3, 2e-4 / 3][i]!, 15));
    for (const r of reports) for (const v of Object.values(r.losses)) expect(Number.isFinite(v)).toBe(true);
    // Batches of 2 then 1 per epoch; each epoch a permutation of the 3 pairs.
    for (let e = 0; e < 3; e++) expect([...dataset.reads.slice(3 * e, 3 * e + 3)].sort()).toEqual([0, 1, 2]);
    expect(() => run.step()).toThrow(/complete/);
    run.dispose();
  });

  it('takes identical steps for the same seed (dropout masks included) and different ones for another seed', () => {
    const losses = (seed: number, configSeed?: number): number[] => {
      const run = Pix2pixRun.create({ ...tiny, seed: configSeed }, tinyPairs(4, 68), tinyAugment, seed);
      const out = [1, 2, 3].flatMap(() => Object.values(run.step().losses));
      run.dispose();
      return out;
    };
    expect(losses(11)).toEqual(losses(11));
    // Same weights (config seed) but another run seed: another data order, crops and dropout masks.
    expect(losses(11, 3)).not.toEqual(losses(12, 3));
  });

  it('restores a snapshot in place and continues exactly as the uninterrupted run', async () => {
    const dataset = tinyPairs(5, 68);
    const straight = Pix2pixRun.create(tiny, dataset, tinyAugment, 9);
    const straightLosses = [1, 2, 3, 4, 5].map(() => straight.step().losses);
    const run = Pix2pixRun.create(tiny, dataset, tinyAugment, 9);
    run.step();
    run.step();
    const saved = await run.snapshot();
    // Two G forwards drew two dropout masks (one dropout level at 64 px) from the run's stream.
    const unstarted = Pix2pixRun.create(tiny, dataset, tinyAugment, 9);
    expect(saved.state.random.dropout).not.toEqual((await unstarted.snapshot()).state.random.dropout);
    unstarted.dispose();
    run.step(); // wander off, then come back
    const before = tf.memory().numTensors;
    await run.restore(saved);
    expect(tf.memory().numTensors).toBe(before);
    const resumedLosses = [3, 4, 5].map(() => run.step().losses);
    expect(resumedLosses).toEqual(straightLosses.slice(2));
    expectSameWeights(await run.snapshot(), await straight.snapshot());
    // A snapshot of another config or dataset is refused.
    await expect(run.restore({ ...saved, config: { ...saved.config, ngf: 16 } })).rejects.toThrow(/config differs in ngf/);
    const other = Pix2pixRun.create(tiny, tinyPairs(6, 68), tinyAugment, 9);
    await expect(other.restore(saved)).rejects.toThrow(/trained on 5 pairs, this dataset has 6/);
    for (const r of [straight, run, other]) r.dispose();
  });

  it('evaluates G in eval mode: deterministic, moves no running statistics, leaks nothing', async () => {
    const run = Pix2pixRun.create(tiny, tinyPairs(4, 68), tinyAugment, 2);
    for (let i = 0; i < 3; i++) run.step();
    const test = tinyPairs(3, 70, 99); // centre-cropped to 64
    const weightsBefore = await run.snapshot();
    const tensors = tf.memory().numTensors;
    const first = run.evaluate(test);
    const again = run.evaluate(test);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(again).toEqual(first);
    expect(first.pairs).toBe(3);
    expect(first.l1).toBeGreaterThan(0);
    expect(first.l1).toBeLessThan(2);
    expect(first.psnr).toBeGreaterThan(0);
    expect(first.psnr).toBeLessThan(100);
    expectSameWeights(await run.snapshot(), weightsBefore);
    run.dispose();
  });
});
