// Native kernels also run inside worker threads (the engine may move work off its own event loop there):
// a conv computed in a Worker with native kernels matches the same conv with tfjs's reference kernel here.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { randomTensor, relativeError } from './parity-harness.js';

// The worker loads TypeScript sources through tsx's API, as vitest does for this file.
const workerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  (async () => {
    const { register } = await import('tsx/esm/api');
    register();
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const { installOrtKernels, ortKernelStats } = await import(workerData.kernelsUrl);
    await tf.setBackend('cpu');
    installOrtKernels({ threads: 1 });
    const x = tf.tensor4d(workerData.x, workerData.xShape);
    const w = tf.tensor4d(workerData.w, workerData.wShape);
    const y = tf.conv2d(x, w, 2, 'same');
    parentPort.postMessage({ values: Array.from(y.dataSync()), shape: y.shape, nativeRuns: ortKernelStats().runs['Conv2D'] ?? 0 });
  })().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

describe('native kernels in a worker thread', () => {
  it('compute the same conv as the reference kernel', async () => {
    await tf.setBackend('cpu');
    const x = randomTensor([2, 9, 9, 3], 5);
    const w = randomTensor([3, 3, 3, 4], 6);
    const want = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same');
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        kernelsUrl: new URL('../../../main/engine/ort-kernels/index.ts', import.meta.url).href,
        x: Array.from(x.dataSync()),
        xShape: x.shape,
        w: Array.from(w.dataSync()),
        wShape: w.shape,
      },
    });
    const reply = await new Promise<{ values?: number[]; shape?: number[]; nativeRuns?: number; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply.error).toBeUndefined();
    expect(reply.nativeRuns).toBeGreaterThan(0);
    expect(reply.shape).toEqual(want.shape);
    expect(relativeError(reply.values!, want.dataSync())).toBeLessThanOrEqual(1e-4);
    tf.dispose([x, w, want]);
  });
});
