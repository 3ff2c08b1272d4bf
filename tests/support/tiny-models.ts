// Real, small models for tests: freshly initialised pix2pix, StyleGAN2 and CycleGAN generators written in the shipped-model
// format, with the assets/models manifest that lists them, so the studio serves them as builtins (GAN_STUDIO_MODELS_DIR).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hostTensors, saveModel } from '../../main/model-files/model-folder.js';
import { disposeParams, namedVariables } from '../../models/common/param-tree.js';
import { cycleganConfig } from '../../models/cyclegan/config.js';
import { createCyclegan, cycleganParts } from '../../models/cyclegan/networks.js';
import { pix2pixConfig } from '../../models/pix2pix/config.js';
import { createUnetGenerator } from '../../models/pix2pix/networks.js';
import { styleGAN2Config } from '../../models/stylegan/config.js';
import { createDiscriminator, createGenerator, mapping } from '../../models/stylegan/networks.js';

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

export const tinyStyleGAN2Folder = 'tiny-stylegan2';

/**
 * An untrained StyleGAN2 generator (32 px, 8–16 channels, z and w of 512 so seeds name the reference's z) in
 * `dir/tiny-stylegan2`, added to `dir/manifest.json` beside the models already listed there. Its noise strengths are
 * set above 0 so the noise modes differ.
 */
export async function writeTinyStyleGAN2Builtin(dir: string, options: { seed?: number; withDiscriminator?: boolean } = {}): Promise<string> {
  await tf.setBackend('cpu');
  const config = styleGAN2Config(32, { mappingLayers: 2, channelBase: 256, channelMax: 16, seed: options.seed ?? 1 });
  const generator = createGenerator(config);
  // A discriminator beside G_ema, as the shipped demo models keep one, makes the model a start for fine-tuning.
  const discriminator = options.withDiscriminator ? createDiscriminator(config) : null;
  for (const [name, variable] of namedVariables(generator)) if (name.endsWith('noise.strength')) variable.assign(tf.scalar(0.3));
  // w̄ as if tracked over training (it starts at 0), so truncation pulls towards a real average image.
  tf.tidy(() => generator.mapping.wAvg.assign(tf.mean(mapping(generator.mapping, tf.randomNormal([256, config.zDim], 0, 1, 'float32', 3), { training: false }), [0, 1])));
  try {
    await saveModel(path.join(dir, tinyStyleGAN2Folder), {
      family: 'stylegan2',
      config,
      tensors: new Map([...hostTensors(generator, 'generator'), ...(discriminator ? hostTensors(discriminator, 'discriminator') : [])]),
      licence: { spdx: 'MIT' },
      provenance: { run: null, steps: 0, dataset: null, metrics: {} },
    });
  } finally {
    disposeParams(generator);
    if (discriminator) disposeParams(discriminator);
  }
  await listInManifest(dir, { folder: tinyStyleGAN2Folder, name: 'Tiny StyleGAN2', family: 'stylegan2', description: 'untrained, for tests' });
  return path.join(dir, tinyStyleGAN2Folder);
}

export const tinyCycleGANFolder = 'tiny-cyclegan';

/**
 * An untrained CycleGAN (4 filters, one ResNet block) in `dir/tiny-cyclegan`, holding both generators as a finished
 * training run saves them, added to `dir/manifest.json` as 'Tiny CycleGAN'. Its two generators are initialised apart,
 * so A → B and B → A give different pictures.
 */
export async function writeTinyCycleGANBuiltin(dir: string, options: { imageSize?: number; seed?: number } = {}): Promise<string> {
  await tf.setBackend('cpu');
  const config = cycleganConfig({ imageSize: options.imageSize ?? 32, ngf: 4, ndf: 4, nBlocks: 1, seed: options.seed ?? 1 });
  const model = createCyclegan(config);
  const { generatorAB, generatorBA } = cycleganParts(model);
  try {
    await saveModel(path.join(dir, tinyCycleGANFolder), {
      family: 'cyclegan',
      config,
      tensors: new Map([...hostTensors(generatorAB, 'generatorAB'), ...hostTensors(generatorBA, 'generatorBA')]),
      licence: { spdx: 'MIT' },
      provenance: { run: null, steps: 0, dataset: null, metrics: {} },
    });
  } finally {
    disposeParams(model);
  }
  await listInManifest(dir, { folder: tinyCycleGANFolder, name: 'Tiny CycleGAN', family: 'cyclegan', description: 'untrained, for tests' });
  return path.join(dir, tinyCycleGANFolder);
}

/** Adds a model to `dir/manifest.json`, beside the models already listed there. */
async function listInManifest(dir: string, entry: { folder: string; name: string; family: string; description: string }): Promise<void> {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = (await readFile(manifestFile, 'utf8').then(JSON.parse, () => ({ models: [] }))) as { models: unknown[] };
  manifest.models.push(entry);
  await writeFile(manifestFile, JSON.stringify(manifest));
}
