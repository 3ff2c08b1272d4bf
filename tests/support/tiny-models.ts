// Real, small models for tests: a freshly initialised pix2pix written in the shipped-model format, with the
// assets/models manifest that lists it, so the studio serves it as a builtin (GAN_STUDIO_MODELS_DIR).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hostTensors, saveModel } from '../../main/models/model-folder.js';
import { disposeParams, namedVariables } from '../../models/common/param-tree.js';
import { pix2pixConfig } from '../../models/pix2pix/config.js';
import { createUnetGenerator } from '../../models/pix2pix/networks.js';

export const tinyPix2pixFolder = 'tiny-pix2pix';

/**
 * An untrained pix2pix generator in `dir/tiny-pix2pix`. Its N(0, 0.02) filters are scaled up so activations keep
 * their size through the U-Net: the output is a visible pattern that follows the sketch instead of flat grey.
 */
export async function writeTinyPix2pixBuiltin(dir: string, options: { imageSize?: number; seed?: number } = {}): Promise<string> {
  await tf.setBackend('cpu');
  const config = pix2pixConfig(options.imageSize ?? 64, { ngf: 8, ndf: 8, seed: options.seed ?? 1 });
  const generator = createUnetGenerator(config);
  for (const [name, variable] of namedVariables(generator)) if (name.endsWith('filter')) variable.assign(tf.mul(variable, 5));
  try {
    await saveModel(path.join(dir, tinyPix2pixFolder), {
      family: 'pix2pix',
      config,
      tensors: hostTensors(generator, 'generator'),
      licence: { spdx: 'MIT' },
      provenance: { run: null, steps: 0, dataset: null, metrics: {} },
    });
  } finally {
    disposeParams(generator);
  }
  const manifest = { models: [{ folder: tinyPix2pixFolder, name: 'Tiny sketch model', family: 'pix2pix', description: 'untrained, for tests' }] };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return path.join(dir, tinyPix2pixFolder);
}
