// The CycleGAN training loop: epochs over the larger domain with random partners from the other, the reference's lr
// schedule, leak-free steps, sample rows of both cycles, and exact resume through a checkpoint folder — image pools included.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomCropAndFlip } from '../../../../models/common/crop-and-flip.js';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { latestCheckpoint, loadCycleGANCheckpoint, RUN_TENSORS_BIN, saveCheckpoint } from '../../../../main/model-files/checkpoint.js';
import { cycleganConfig } from '../../../../models/cyclegan/config.js';
import { CycleGANRun, type CycleGANSnapshot, type CycleGANStepReport, type UnpairedDatasets } from '../../../../models/cyclegan/train.js';
import { tinyPairs } from '../../../integration/training/tiny-pairs.js';
import { tempDir } from '../../../support/temp-home.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

/**
 * 32 px, ngf = ndf = 4, one ResNet block, and a pool of 2 so it is full after two steps and swaps from then on.
 * 3 A and 2 B images stored at 36 px (the reference's load size for 32): 3 steps an epoch, 1 epoch + 2 decaying.
 */
const config = cycleganConfig({ imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, poolSize: 2, epochs: 1, epochsDecay: 2 });
const seed = 2024;

/** Two unpaired sets from the tiny paired fixture: A its blocky images, B (another seed) its shifted inverted ones. */
function datasets(): UnpairedDatasets & { readsA: number[]; readsB: number[] } {
  const a = tinyPairs(3, 36, 1);
  const b = tinyPairs(2, 36, 2);
  return {
    a: { size: 36, length: 3, read: (i) => a.read(i).a },
    b: { size: 36, length: 2, read: (i) => b.read(i).b },
    readsA: a.reads,
    readsB: b.reads,
  };
}

const sameBits = (x: Float32Array, y: Float32Array): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
const differingTensors = (x: ReadonlyMap<string, { data: Float32Array }>, y: ReadonlyMap<string, { data: Float32Array }>): string[] =>
  [...x].filter(([name, t]) => y.get(name) === undefined || !sameBits(t.data, y.get(name)!.data)).map(([name]) => name);

describe('CycleGANRun', () => {
  it('steps through epochs of max(|A|, |B|) at the scheduled rate, meets every A once an epoch, fills its pools and leaks no tensors', () => {
    const data = datasets();
    const run = CycleGANRun.create(config, data, randomCropAndFlip, seed);
    expect(run.stepsPerEpoch).toBe(3);
    expect(run.totalSteps).toBe(9);
    const reports = [run.step()];
    expect(run.poolSizes).toEqual({ fakeA: 1, fakeB: 1 });
    const before = tf.memory().numTensors;
    while (!run.done) reports.push(run.step());
    expect(tf.memory().numTensors).toBe(before);
    expect(run.poolSizes).toEqual({ fakeA: 2, fakeB: 2 });
    expect(reports.map((r) => r.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    // Epoch 1 at 2e-4, then 1 − 1/3 and 1 − 2/3 of it (lr_policy linear).
    reports.forEach((r, i) => expect(r.learningRate).toBeCloseTo([2e-4, 4e-4 / 3, 2e-4 / 3][Math.floor(i / 3)]!, 15));
    for (const r of reports) {
      expect(Object.keys(r.losses).sort()).toEqual(['cycleA', 'cycleB', 'dA', 'dB', 'gA', 'gB', 'idtA', 'idtB']);
      for (const v of Object.values(r.losses)) expect(Number.isFinite(v)).toBe(true);
    }
    // Each epoch reads every A image once, in a shuffled order; B is drawn at random, once per A.
    for (let e = 0; e < 3; e++) expect([...data.readsA.slice(3 * e, 3 * e + 3)].sort()).toEqual([0, 1, 2]);
    expect(data.readsB).toHaveLength(9);
    expect(new Set(data.readsB)).toEqual(new Set([0, 1]));
    expect(() => run.step()).toThrow(/complete/);
    run.dispose();
  });

  it('samples rows of A → B → A and B → A → B from centre crops, the same as translating them, without leaking', () => {
    const data = datasets();
    const run = CycleGANRun.create(config, data, randomCropAndFlip, seed);
    run.step();
    const before = tf.memory().numTensors;
    const rows = run.sample([data.a.read(0), data.a.read(1)], [data.b.read(0)], 36);
    expect(tf.memory().numTensors).toBe(before);
    expect(rows.map((row) => row.map((tile) => tile.length))).toEqual(Array.from({ length: 3 }, () => [32 * 32 * 3, 32 * 32 * 3, 32 * 32 * 3]));
    const [a0, fakeB0, recA0] = rows[0]!;
    expect(run.translate('AtoB', [a0!])[0]).toEqual(fakeB0);
    expect(run.translate('BtoA', [fakeB0!])[0]).toEqual(recA0);
    const [b0, fakeA0] = rows[2]!;
    expect(run.translate('BtoA', [b0!])[0]).toEqual(fakeA0);
    // The two generators are different networks: the same input goes two different ways.
    expect(run.translate('AtoB', [a0!])[0]).not.toEqual(run.translate('BtoA', [a0!])[0]);
    run.dispose();
  });

  it('continues from a checkpoint exactly as the uninterrupted run: same losses, weights, Adam moments, streams and pools', async () => {
    const straight = CycleGANRun.create(config, datasets(), randomCropAndFlip, seed);
    const straightReports = Array.from({ length: 6 }, () => straight.step());
    const expected = await straight.snapshot();
    straight.dispose();

    const temp = await tempDir('gan-studio-cyclegan-');
    try {
      const runDir = path.join(temp.dir, 'run');
      const interrupted = CycleGANRun.create(config, datasets(), randomCropAndFlip, seed);
      expect(Array.from({ length: 3 }, () => interrupted.step())).toEqual(straightReports.slice(0, 3));
      const atPause = await interrupted.snapshot();
      expect([...atPause.runTensors.keys()]).toEqual(['fakeAPool.0', 'fakeAPool.1', 'fakeBPool.0', 'fakeBPool.1']);
      await saveCheckpoint(runDir, atPause);
      interrupted.dispose();

      const dir = (await latestCheckpoint(runDir))!.dir;
      const saved = await loadCycleGANCheckpoint(dir);
      expect(differingTensors(atPause.runTensors, saved.runTensors)).toEqual([]);
      const resumed = await CycleGANRun.resume(saved, datasets(), randomCropAndFlip);
      const resumedReports: CycleGANStepReport[] = Array.from({ length: 3 }, () => resumed.step());
      expect(resumedReports).toEqual(straightReports.slice(3));
      const after: CycleGANSnapshot = await resumed.snapshot();
      resumed.dispose();
      expect(after.state).toEqual(expected.state);
      expect(differingTensors(expected.weights, after.weights)).toEqual([]);
      expect(differingTensors(expected.runTensors, after.runTensors)).toEqual([]);
      for (const network of ['generator', 'discriminator'] as const) {
        const [x, y] = [expected.optimizers[network], after.optimizers[network]];
        expect([y.step, y.learningRate]).toEqual([x.step, x.learningRate]);
        expect([...x.moments].filter(([name, { m, v }]) => !sameBits(m, y.moments.get(name)!.m) || !sameBits(v, y.moments.get(name)!.v))).toEqual([]);
      }

      // The pools are state that matters: the same checkpoint with its pools emptied trains on to other losses.
      const emptied = await CycleGANRun.resume({ ...saved, runTensors: new Map() }, datasets(), randomCropAndFlip);
      const emptiedReports = Array.from({ length: 3 }, () => emptied.step());
      emptied.dispose();
      expect(emptiedReports.map((r) => [r.losses.dA, r.losses.dB])).not.toEqual(straightReports.slice(3).map((r) => [r.losses.dA, r.losses.dB]));

      // A damaged pool file is refused by name rather than resumed from.
      await writeFile(path.join(dir, RUN_TENSORS_BIN), Buffer.alloc(atPause.runTensors.size * 32 * 32 * 3 * 4));
      await expect(loadCycleGANCheckpoint(dir)).rejects.toThrow(/run-tensors\.bin is corrupted/);
    } finally {
      await temp.remove();
    }
  });

  it('refuses a snapshot made on datasets of other lengths or with a pool slot missing', async () => {
    const run = CycleGANRun.create(config, datasets(), randomCropAndFlip, seed);
    run.step();
    const snapshot = await run.snapshot();
    run.dispose();
    const longer = { ...datasets(), b: { size: 36, length: 3, read: () => new Uint8Array(36 * 36 * 3) } };
    await expect(CycleGANRun.resume(snapshot, longer, randomCropAndFlip)).rejects.toThrow(/3 A and 2 B images, these datasets have 3 and 3/);
    const gap = new Map([...snapshot.runTensors].map(([name, image]) => [name.replace(/\.0$/, '.1'), image]));
    await expect(CycleGANRun.resume({ ...snapshot, runTensors: gap }, datasets(), randomCropAndFlip)).rejects.toThrow(/fakeAPool lacks slot 0/);
  });
});
