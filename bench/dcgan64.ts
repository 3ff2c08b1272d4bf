// DCGAN-64 (Radford et al. 2016; PyTorch's examples/dcgan) in plain tfjs ops: the bench's training-step workload.
// Same layers, init and step as bench/reference/dcgan.py so the two timings compare like for like.
import * as tf from '@tensorflow/tfjs-core';

export const latentSize = 100;
const ngf = 64;
const ndf = 64;

interface ConvLayer {
  filter: tf.Variable; // conv: [4, 4, in, out]; transposed conv: [4, 4, out, in] (tfjs' conv2dTranspose layout)
  gamma?: tf.Variable; // batch norm scale [out]
  beta?: tf.Variable; // batch norm shift [out]
}

function layer(shape: [number, number, number, number], batchNorm: boolean, channels: number, seed: number): ConvLayer {
  return {
    filter: tf.variable(tf.randomNormal(shape, 0, 0.02, 'float32', seed)),
    ...(batchNorm ? { gamma: tf.variable(tf.randomNormal([channels], 1, 0.02, 'float32', seed + 1)), beta: tf.variable(tf.zeros([channels])) } : {}),
  };
}

/** Training-mode batch norm over N, H, W (ε = 1e-5 as in PyTorch). */
function batchNorm(x: tf.Tensor4D, l: ConvLayer): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), l.gamma!), l.beta!) as tf.Tensor4D;
}

export interface Dcgan {
  generator: ConvLayer[];
  discriminator: ConvLayer[];
}

export function createDcgan(): Dcgan {
  return {
    // z [B, 1, 1, 100] → [4,4,512] → [8,8,256] → [16,16,128] → [32,32,64] → [64,64,3]
    generator: [
      layer([4, 4, ngf * 8, latentSize], true, ngf * 8, 1),
      layer([4, 4, ngf * 4, ngf * 8], true, ngf * 4, 3),
      layer([4, 4, ngf * 2, ngf * 4], true, ngf * 2, 5),
      layer([4, 4, ngf, ngf * 2], true, ngf, 7),
      layer([4, 4, 3, ngf], false, 3, 9),
    ],
    // [64,64,3] → [32,32,64] → [16,16,128] → [8,8,256] → [4,4,512] → [1,1,1] logit
    discriminator: [
      layer([4, 4, 3, ndf], false, ndf, 11),
      layer([4, 4, ndf, ndf * 2], true, ndf * 2, 13),
      layer([4, 4, ndf * 2, ndf * 4], true, ndf * 4, 15),
      layer([4, 4, ndf * 4, ndf * 8], true, ndf * 8, 17),
      layer([4, 4, ndf * 8, 1], false, 1, 19),
    ],
  };
}

/** z [B, 100] → images [B, 64, 64, 3] in [-1, 1]. */
export function generate(g: ConvLayer[], z: tf.Tensor2D): tf.Tensor4D {
  const batch = z.shape[0];
  let h = tf.reshape(z, [batch, 1, 1, latentSize]) as tf.Tensor4D;
  let size = 1;
  g.forEach((l, i) => {
    const first = i === 0;
    size = first ? 4 : size * 2;
    const outChannels = l.filter.shape[2]!;
    // ConvTranspose2d(k=4, s=1, p=0) for the first layer, (k=4, s=2, p=1) after: 'valid' and 'same' in tfjs.
    h = tf.conv2dTranspose(h, l.filter as tf.Tensor4D, [batch, size, size, outChannels], first ? 1 : 2, first ? 'valid' : 'same');
    h = i === g.length - 1 ? tf.tanh(h) : tf.relu(batchNorm(h, l));
  });
  return h;
}

/** images [B, 64, 64, 3] → logits [B, 1]. */
export function discriminate(d: ConvLayer[], x: tf.Tensor4D): tf.Tensor2D {
  let h = x;
  d.forEach((l, i) => {
    const last = i === d.length - 1;
    h = tf.conv2d(h, l.filter as tf.Tensor4D, last ? 1 : 2, last ? 'valid' : [[0, 0], [1, 1], [1, 1], [0, 0]]);
    if (!last) h = tf.leakyRelu(l.gamma ? batchNorm(h, l) : h, 0.2);
  });
  return tf.reshape(h, [x.shape[0], 1]);
}

const variables = (layers: ConvLayer[]): tf.Variable[] => layers.flatMap((l) => [l.filter, ...(l.gamma ? [l.gamma, l.beta!] : [])]);

export interface DcganTrainer {
  /** One D step then one G step on `real` [B, 64, 64, 3]; returns the two losses. */
  step(real: tf.Tensor4D, z: tf.Tensor2D): { lossD: number; lossG: number };
}

/** Adam(2e-4, β1 = 0.5) on both nets and binary cross-entropy on logits, as in the DCGAN paper / PyTorch example. */
export function createTrainer(net: Dcgan): DcganTrainer {
  const optD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
  const optG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
  const dVars = variables(net.discriminator);
  const gVars = variables(net.generator);
  const bce = (logits: tf.Tensor2D, label: number): tf.Scalar => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
  return {
    step(real, z) {
      return tf.tidy(() => {
        const fake = generate(net.generator, z); // detached: the D step does not reach G's variables
        const lossD = optD.minimize(() => tf.add(bce(discriminate(net.discriminator, real), 1), bce(discriminate(net.discriminator, fake), 0)) as tf.Scalar, true, dVars)!;
        const lossG = optG.minimize(() => bce(discriminate(net.discriminator, generate(net.generator, z)), 1), true, gVars)!;
        return { lossD: lossD.dataSync()[0]!, lossG: lossG.dataSync()[0]! };
      });
    },
  };
}
