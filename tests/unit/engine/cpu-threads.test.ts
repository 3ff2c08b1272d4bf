// GAN_STUDIO_CPU_THREADS: a positive integer caps the native kernels' threads; anything else keeps the default.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuThreadsOverride, selectBackend } from '../../../main/engine/backend-ladder.js';

describe('GAN_STUDIO_CPU_THREADS', () => {
  const before = process.env['GAN_STUDIO_CPU_THREADS'];
  afterAll(() => {
    if (before === undefined) delete process.env['GAN_STUDIO_CPU_THREADS'];
    else process.env['GAN_STUDIO_CPU_THREADS'] = before;
  });

  it('reads only positive integers', () => {
    expect(cpuThreadsOverride('1')).toBe(1);
    expect(cpuThreadsOverride('12')).toBe(12);
    for (const ignored of [undefined, '', '0', '-2', '1.5', 'two']) expect(cpuThreadsOverride(ignored)).toBeUndefined();
  });

  it('runs the native kernels on that many threads, and they still compute', async () => {
    process.env['GAN_STUDIO_CPU_THREADS'] = '1';
    const backend = await selectBackend('cpu');
    expect(backend.device).toMatch(/^CPU, native kernels via ONNX Runtime \(\d+ ops, 1 thread\)$/);
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const sum = tf.conv2d(x, tf.ones([2, 2, 1, 1]), 1, 'valid');
    expect(Array.from(await sum.data())).toEqual([10]);
  });
});
