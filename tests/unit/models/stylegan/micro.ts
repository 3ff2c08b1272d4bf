// What the StyleGAN2 model tests share: a network of a few thousand weights at 32 px, and the engine's native kernels
// under tfjs-cpu as the studio trains with them.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { styleGAN2Config, type StyleGAN2Config } from '../../../../models/stylegan/config.js';

export const microConfig = (overrides: Partial<StyleGAN2Config> = {}): StyleGAN2Config =>
  styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, batchSize: 4, seed: 5, ...overrides });

/** tfjs-cpu with the ORT kernels installed for the file's tests. */
export function useCpuWithOrtKernels(): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    installOrtKernels();
  });
  afterAll(() => uninstallOrtKernels());
}
