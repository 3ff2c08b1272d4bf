// Run checkpoints (main/model-files/checkpoint.ts): folder layout, keep-last-K, incomplete folders ignored, a failed write
// (disk full) leaving the previous checkpoint loadable, and a roundtrip that restores a run exactly.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { durableIo, type FolderIo } from '../../../main/model-files/atomic-folder.js';
import { checkpointFolder, latestCheckpoint, listCheckpoints, loadPix2pixCheckpoint, saveCheckpoint } from '../../../main/model-files/checkpoint.js';
import { loadModel } from '../../../main/model-files/model-folder.js';
import { pix2pixConfig } from '../../../models/pix2pix/config.js';
import { Pix2pixRun, type Pix2pixSnapshot } from '../../../models/pix2pix/train.js';
import { tinyAugment, tinyPairs } from '../../integration/training/tiny-pairs.js';
import { tempDir } from '../../support/temp-home.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const config = pix2pixConfig(32, { ngf: 8, ndf: 8, batchSize: 2, epochs: 2, epochsDecay: 2 });
let temp: { dir: string; remove(): Promise<void> };
beforeEach(async () => {
  temp = await tempDir('gan-studio-checkpoint-');
});
afterEach(async () => temp.remove());

const sameBits = (x: Float32Array, y: Float32Array): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

function expectSameSnapshot(x: Pix2pixSnapshot, y: Pix2pixSnapshot): void {
  expect(y.state).toEqual(x.state);
  expect(y.config).toEqual(x.config);
  expect([...y.weights.keys()]).toEqual([...x.weights.keys()]);
  expect([...x.weights].filter(([name, t]) => !sameBits(t.data, y.weights.get(name)!.data) || t.shape.join() !== y.weights.get(name)!.shape.join())).toEqual([]);
  for (const network of ['generator', 'discriminator'] as const) {
    const [a, b] = [x.optimizers[network], y.optimizers[network]];
    expect([b.step, b.learningRate]).toEqual([a.step, a.learningRate]);
    expect([...b.moments.keys()]).toEqual([...a.moments.keys()]);
    for (const [name, { m, v }] of a.moments) expect(sameBits(m, b.moments.get(name)!.m) && sameBits(v, b.moments.get(name)!.v), name).toBe(true);
  }
}

describe('checkpoints', () => {
  it('writes step folders with the model files, state.json and optimizer.bin; keeps the last K; reads back exactly', async () => {
    const run = Pix2pixRun.create(config, tinyPairs(3, 36), tinyAugment, 1);
    const snapshots: Pix2pixSnapshot[] = [];
    for (let i = 0; i < 4; i++) {
      run.step();
      snapshots.push(await run.snapshot());
      await saveCheckpoint(temp.dir, snapshots.at(-1)!, { keep: 2, provenance: { run: 'run-7' } });
    }
    expect(await fs.readdir(path.join(temp.dir, 'checkpoints'))).toEqual(['step-000003', 'step-000004']);
    expect((await fs.readdir(checkpointFolder(temp.dir, 4))).sort()).toEqual(['model.json', 'optimizer.bin', 'state.json', 'weights.bin']);
    expect(await latestCheckpoint(temp.dir)).toEqual({ dir: checkpointFolder(temp.dir, 4), step: 4 });
    expect((await listCheckpoints(temp.dir)).map((c) => c.step)).toEqual([4, 3]);
    expectSameSnapshot(snapshots[3]!, await loadPix2pixCheckpoint(checkpointFolder(temp.dir, 4)));
    // A checkpoint is also a model folder: its G and D load as a model.
    const model = await loadModel(checkpointFolder(temp.dir, 4), { family: 'pix2pix' });
    expect(Object.keys(model.parts)).toEqual(['generator', 'discriminator']);
    expect(model.meta.provenance).toMatchObject({ run: 'run-7', steps: 4 });
    model.dispose();
    run.dispose();
  });

  it('ignores incomplete and damaged step folders when finding the latest', async () => {
    const run = Pix2pixRun.create(config, tinyPairs(3, 36), tinyAugment, 1);
    run.step();
    await saveCheckpoint(temp.dir, await run.snapshot());
    // A folder that never got its files, and one whose optimizer.bin lost its tail.
    await fs.mkdir(checkpointFolder(temp.dir, 9));
    await fs.writeFile(path.join(checkpointFolder(temp.dir, 9), 'model.json'), '{');
    await fs.cp(checkpointFolder(temp.dir, 1), checkpointFolder(temp.dir, 8), { recursive: true });
    const state = path.join(checkpointFolder(temp.dir, 8), 'state.json');
    await fs.writeFile(state, JSON.stringify({ ...(JSON.parse(await fs.readFile(state, 'utf8')) as object), step: 8 }));
    await fs.truncate(path.join(checkpointFolder(temp.dir, 8), 'optimizer.bin'), 16);
    expect(await latestCheckpoint(temp.dir)).toEqual({ dir: checkpointFolder(temp.dir, 1), step: 1 });
    expect(await latestCheckpoint(path.join(temp.dir, 'no-such-run'))).toBeNull();
    run.dispose();
  });

  it('leaves the previous checkpoint loadable when a save fails midway (disk full), and resumes from it', async () => {
    const dataset = tinyPairs(3, 36);
    const run = Pix2pixRun.create(config, dataset, tinyAugment, 4);
    run.step();
    const saved = await run.snapshot();
    await saveCheckpoint(temp.dir, saved);
    run.step();
    const diskFull: FolderIo = {
      async writeFile(file, data) {
        if (path.basename(file) === 'optimizer.bin') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return durableIo.writeFile(file, data);
      },
    };
    await expect(saveCheckpoint(temp.dir, await run.snapshot(), { io: diskFull })).rejects.toThrow(/ENOSPC/);
    expect(await fs.readdir(path.join(temp.dir, 'checkpoints'))).toEqual(['step-000001']);
    const latest = await latestCheckpoint(temp.dir);
    expect(latest?.step).toBe(1);
    const restored = await loadPix2pixCheckpoint(latest!.dir);
    expectSameSnapshot(saved, restored);
    const resumed = await Pix2pixRun.resume(restored, dataset, tinyAugment);
    expect(resumed.stepCount).toBe(1);
    resumed.step();
    expectSameSnapshot(await run.snapshot(), await resumed.snapshot());
    for (const r of [run, resumed]) r.dispose();
  });
});
