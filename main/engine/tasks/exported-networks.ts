// What an export of a studio model writes, whatever the format: the networks of its generator, each a forward pass with
// an example input to trace it on, its input and output names and its weights' parameter paths. An image-to-image
// model is one network; a StyleGAN2 is the pair stylegan2-ada-pytorch's G splits into, so other tools can mix styles:
// the synthesis (ws → image, its constant noise maps baked in) and the mapping (z → ws, ψ 1).
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { imageToImageForward } from '../interactive-models.js';
import type { LoadedModel } from '../../model-files/model-folder.js';
import { namedVariables } from '../../../models/common/param-tree.js';
import type { StyleGAN2Config } from '../../../models/stylegan/config.js';
import { mapping, numWs, synthesis, type GeneratorWeights } from '../../../models/stylegan/networks.js';

export interface ExportedNetwork {
  part: 'generator' | 'synthesis' | 'mapping';
  forward: (x: tf.Tensor) => tf.Tensor;
  example: tf.Tensor; // NHWC for images, as tfjs computes; disposed by the plan
  inputName: string;
  outputName: string;
  weights: ReadonlyMap<string, tf.Variable>;
  metadata: Record<string, string>;
}

export interface ExportPlan {
  family: string;
  resolution: number;
  networks: ExportedNetwork[];
  /** StyleGAN2 only: its latent sizes and w̄ (the centre of truncation), for the manifest. */
  style?: { zDim: number; wDim: number; numWs: number; wAvg: number[] };
  dispose(): void;
}

const inference = { training: false };

export function exportPlan(loaded: LoadedModel, name: string): ExportPlan {
  const family = loaded.meta.family;
  if (family === 'stylegan2') return styleGAN2Plan(loaded, name);
  if (family !== 'pix2pix' && family !== 'cyclegan') throw new StudioError('MODEL_INCOMPATIBLE', `Export covers pix2pix, CycleGAN and StyleGAN2 generators; this is a ${family} model.`);
  const { forward, size, generator } = imageToImageForward(loaded);
  const example = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 11);
  return {
    family,
    resolution: size,
    networks: [
      {
        part: 'generator',
        forward: (x) => forward(x as tf.Tensor4D),
        example,
        inputName: 'input',
        outputName: 'output',
        weights: namedVariables(generator),
        metadata: { family, name, resolution: String(size), value_range: '[-1, 1]' },
      },
    ],
    dispose: () => example.dispose(),
  };
}

function styleGAN2Plan(loaded: LoadedModel, name: string): ExportPlan {
  const config = loaded.meta.config as StyleGAN2Config;
  const generator = loaded.parts['generator'] as GeneratorWeights;
  const size = config.resolution;
  const layers = numWs(size);
  const metadata = (part: string): Record<string, string> => ({ family: 'stylegan2', part, name, resolution: String(size), num_ws: String(layers), w_dim: String(config.wDim), z_dim: String(config.zDim) });
  const z = tf.randomNormal([1, config.zDim], 0, 1, 'float32', 11);
  const ws = tf.tidy(() => mapping(generator.mapping, z as tf.Tensor2D, inference));
  return {
    family: 'stylegan2',
    resolution: size,
    networks: [
      {
        part: 'synthesis',
        forward: (x) => synthesis(generator.synthesis, x as tf.Tensor3D, inference, { noiseMode: 'const' }),
        example: ws,
        inputName: 'ws',
        outputName: 'image',
        weights: namedVariables(generator.synthesis),
        metadata: metadata('synthesis'),
      },
      { part: 'mapping', forward: (x) => mapping(generator.mapping, x as tf.Tensor2D, inference), example: z, inputName: 'z', outputName: 'ws', weights: namedVariables(generator.mapping), metadata: metadata('mapping') },
    ],
    style: { zDim: config.zDim, wDim: config.wDim, numWs: layers, wAvg: Array.from(generator.mapping.wAvg.dataSync()) },
    dispose: () => tf.dispose([z, ws]),
  };
}
