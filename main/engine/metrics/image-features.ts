// Image features for KID from a network that ships with the studio: the trunk of ESRGAN-slim (idealo's RDN trained on
// DIV2K, npm @upscalerjs/esrgan-slim, MIT). Inception-v3, which KID and FID use in the literature, would have to be
// downloaded; these convolutional features of natural images need nothing outside the install. KID values are
// therefore comparable between runs of this studio, not with published numbers.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadEsrganModel } from '../esrgan-weights.js';

/** Layers whose activations are pooled into the feature vector: the global feature fusion and the first upsampling conv. */
const FEATURE_LAYERS = ['FDF', 'UPN1_Relu'];

export interface ImageFeatureExtractor {
  readonly dims: number;
  /** Images [n, H, W, 3] in [-1, 1] → one vector each: per-channel mean and standard deviation of each feature layer, unit RMS. */
  features(images: tf.Tensor4D): Float32Array[];
  dispose(): void;
}

export async function loadImageFeatureExtractor(): Promise<ImageFeatureExtractor> {
  const model = await loadEsrganModel('slim', 4);
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
