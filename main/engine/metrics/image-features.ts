// Image features for KID from a network that ships with the studio: the trunk of ESRGAN-slim (idealo's RDN trained on
// DIV2K, npm @upscalerjs/esrgan-slim, MIT). Inception-v3, which KID and FID use in the literature, would have to be
// downloaded; these convolutional features of natural images need nothing outside the install. KID values are
// therefore comparable between runs of this studio, not with published numbers.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Layers whose activations are pooled into the feature vector: the global feature fusion and the first upsampling conv. */
const FEATURE_LAYERS = ['FDF', 'UPN1_Relu'];

export interface ImageFeatureExtractor {
  readonly dims: number;
  /** Images [n, H, W, 3] in [-1, 1] → one vector each: per-channel mean and standard deviation of each feature layer, unit RMS. */
  features(images: tf.Tensor4D): Float32Array[];
  dispose(): void;
}

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

export async function loadImageFeatureExtractor(): Promise<ImageFeatureExtractor> {
  const dir = path.join(await packageRoot('@upscalerjs/esrgan-slim'), 'models', 'x4');
  const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  const buffers = await Promise.all(json.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))));
  const weightData = Buffer.concat(buffers);
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  );
  const trunk = tfl.model({ inputs: model.inputs, outputs: FEATURE_LAYERS.map((name) => model.getLayer(name).output as tfl.SymbolicTensor) });
  const dims = FEATURE_LAYERS.reduce((n, name) => n + 2 * (model.getLayer(name).outputShape as number[]).at(-1)!, 0);
  return {
    dims,
    features(images) {
      return tf.tidy(() => {
        // The network takes pixels in [0, 255].
        const outputs = trunk.predict(tf.mul(tf.add(images, 1), 127.5), { batchSize: 16 }) as tf.Tensor4D[];
        const pooled = tf.concat(outputs.flatMap((o) => { const { mean, variance } = tf.moments(o, [1, 2]); return [mean, tf.sqrt(variance)]; }), 1);
        // Each vector scaled to unit RMS: this network's activations run to the hundreds, which would put the cubic
        // kernel's x·y/d in the thousands (KID in the billions); on the unit scale x·y/d is a cosine in [−1, 1].
        const normalised = tf.div(pooled, tf.sqrt(tf.add(tf.mean(tf.square(pooled), 1, true), 1e-12)));
        const rows = normalised.arraySync() as number[][];
        return rows.map((row) => Float32Array.from(row));
      });
    },
    dispose: () => model.dispose(),
  };
}
