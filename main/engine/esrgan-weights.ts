// The pretrained ESRGAN networks that ship in npm (@upscalerjs/esrgan-slim and -medium, MIT: idealo's RDN trained on
// DIV2K, Keras layers models converted to tfjs), loaded from the installed package; nothing is downloaded.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type EsrganSize = 'slim' | 'medium';
export type EsrganScale = 2 | 3 | 4 | 8;

/** The folder of an installed package whose "exports" hide its package.json: up from its entry point. */
async function packageRoot(name: string): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const manifest = await readFile(path.join(dir, 'package.json'), 'utf8').then((text) => JSON.parse(text) as { name?: string }, () => null);
    if (manifest?.name === name) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Could not find the folder of ${name}`);
    dir = parent;
  }
}

/** The x`scale` network of `@upscalerjs/esrgan-<size>`: RGB in [0, 255] → RGB in [0, 255], `scale` times larger. */
export async function loadEsrganModel(size: EsrganSize, scale: EsrganScale): Promise<tfl.LayersModel> {
  const dir = path.join(await packageRoot(`@upscalerjs/esrgan-${size}`), 'models', `x${scale}`);
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  const buffers = await Promise.all(json.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))));
  const weightData = Buffer.concat(buffers);
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  );
}
