// Exact resume: 6 uninterrupted steps vs 3 steps → checkpoint → restore in a fresh Node process → 3 more steps give
// the same losses at steps 4–6 and bit-identical weights, optimizer moments and random-stream states.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { latestCheckpoint, loadPix2pixCheckpoint, saveCheckpoint } from '../../../main/model-files/checkpoint.js';
import { Pix2pixRun, type Pix2pixSnapshot, type Pix2pixStepReport } from '../../../models/pix2pix/train.js';
import { tempDir } from '../../support/temp-home.js';
import { resumeFixture } from './resume-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const sameBits = (x: Float32Array, y: Float32Array): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

describe('pix2pix exact resume', () => {
  it('continues in a fresh process exactly as the uninterrupted run', async () => {
    const { config, seed, dataset, augment } = resumeFixture();
    const straight = Pix2pixRun.create(config, dataset, augment, seed);
    const straightReports = Array.from({ length: 6 }, () => straight.step());
    const expected = await straight.snapshot();
    straight.dispose();

    const temp = await tempDir('gan-studio-resume-');
    try {
      const runDir = path.join(temp.dir, 'run');
      const interrupted = Pix2pixRun.create(config, dataset, augment, seed);
      const firstReports = Array.from({ length: 3 }, () => interrupted.step());
      expect(firstReports).toEqual(straightReports.slice(0, 3));
      await saveCheckpoint(runDir, await interrupted.snapshot());
      interrupted.dispose();

      const outDir = path.join(temp.dir, 'out');
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'pix2pix-resume-child.ts'), runDir, '3', outDir], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 100_000,
      });
      expect(child.status, child.stderr).toBe(0);
      const { resumedAt, reports } = JSON.parse(await readFile(path.join(outDir, 'reports.json'), 'utf8')) as { resumedAt: number; reports: Pix2pixStepReport[] };
      expect(resumedAt).toBe(3);
      // Steps 4–6: same batch composition (step 4 is the epoch's single-pair batch), rate (decayed from step 5) and losses.
      expect(reports.map((r) => [r.step, r.epoch, r.learningRate])).toEqual(straightReports.slice(3).map((r) => [r.step, r.epoch, r.learningRate]));
      expect(reports.map((r) => r.losses)).toEqual(straightReports.slice(3).map((r) => r.losses));

      const resumed: Pix2pixSnapshot = await loadPix2pixCheckpoint((await latestCheckpoint(outDir))!.dir);
      expect(resumed.state).toEqual(expected.state);
      const differing = [...expected.weights].filter(([name, t]) => !sameBits(t.data, resumed.weights.get(name)!.data)).map(([name]) => name);
      expect(differing).toEqual([]);
      for (const network of ['generator', 'discriminator'] as const) {
        const [a, b] = [expected.optimizers[network], resumed.optimizers[network]];
        expect(b.step).toBe(a.step);
        const moments = [...a.moments].filter(([name, { m, v }]) => !sameBits(m, b.moments.get(name)!.m) || !sameBits(v, b.moments.get(name)!.v));
        expect(moments.map(([name]) => name)).toEqual([]);
      }
    } finally {
      await temp.remove();
    }
  });
});
