// Latent inversion: find the w (or w+) and noise maps whose synthesis reproduces a target image, as
// stylegan2-ada-pytorch projector.py does (Karras et al. 2020 §5, "Projection of images to latent space"):
// start at w̄ of 10 000 samples, Adam with a cosine-ramped learning rate, w perturbed by decaying noise early on,
// noise maps optimised too, kept from carrying the image by an autocorrelation penalty (weight 1e5), renormalised
// after every step.
//
// The reference measures the image distance with LPIPS on VGG16 features, whose weights would have to be downloaded.
// Here it is pixel MSE plus (1 − SSIM) on [0, 1] images: no weights, and it optimises the PSNR and SSIM reported.
import * as tf from '@tensorflow/tfjs-core';
import { createAdam, type Adam } from '../common/adam.js';
import { variableFrom } from '../common/init.js';
import { psnr, ssim } from '../common/ssim.js';
import type { SynthesisLayerWeights } from './networks.js';
import { mapping, numWs, synthesis, type GeneratorWeights, type SynthesisWeights } from './networks.js';

export interface ProjectorOptions {
  space: 'w' | 'w+'; // one w for every layer (the reference) or one per layer (more faithful, less editable)
  steps: number; // num_steps 1000
  seed: number; // of the noise maps' start and the w perturbations
  initialLearningRate?: number; // 0.1
  initialNoiseFactor?: number; // 0.05: w perturbation, as a fraction of the std of w
  lrRampdownLength?: number; // 0.25: last quarter of the steps ramps the rate down (cosine)
  lrRampupLength?: number; // 0.05: first 5% ramps it up
  noiseRampLength?: number; // 0.75: the w perturbation fades out (quadratically) over the first 75%
  regularizeNoiseWeight?: number; // 1e5
  wAvgSamples?: number; // 10 000 mapped z for w̄ and the std of w
  optimizeNoise?: boolean; // default true, as the reference
}

export interface ProjectionStep {
  step: number; // steps done
  loss: number; // distance + weighted noise penalty
  distance: number; // MSE + (1 − SSIM) of this step's (perturbed) synthesis
  noisePenalty: number; // the noise maps' autocorrelation, before its weight
  learningRate: number;
}

export interface ProjectionQuality {
  psnr: number; // dB, of the unperturbed synthesis against the target as [0, 1] images
  ssim: number;
}

const inference = { training: false };

/** x [-1, 1] → [0, 1]. */
const unit = (x: tf.Tensor): tf.Tensor => tf.div(tf.add(x, 1), 2);

/** Σ over scales of the squared mean autocorrelation of a noise map with its neighbour along H and along W. */
function noiseRegularization(maps: readonly tf.Variable[]): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const map of maps) {
      let noise = tf.reshape(map, [1, map.shape[0]!, map.shape[1]!, 1]) as tf.Tensor4D;
      for (;;) {
        const size = noise.shape[1];
        // torch.roll(shifts=1) along W and along H: the last column (row) comes first.
        const rollW = tf.concat([tf.slice(noise, [0, 0, size - 1, 0], [-1, -1, 1, -1]), tf.slice(noise, [0, 0, 0, 0], [-1, -1, size - 1, -1])], 2);
        const rollH = tf.concat([tf.slice(noise, [0, size - 1, 0, 0], [-1, 1, -1, -1]), tf.slice(noise, [0, 0, 0, 0], [-1, size - 1, -1, -1])], 1);
        total = tf.add(total, tf.add(tf.square(tf.mean(tf.mul(noise, rollW))), tf.square(tf.mean(tf.mul(noise, rollH)))));
        if (size <= 8) break;
        noise = tf.avgPool(noise, 2, 2, 'valid');
      }
    }
    return total;
  });
}

/** The synthesis tree with every layer's constant noise map replaced by `maps` (in block order: conv0, conv1). */
export function withNoiseMaps(s: SynthesisWeights, maps: readonly tf.Tensor[]): SynthesisWeights {
  let next = 0;
  // Read-only use: the synthesis only reads a noise map, so a plain tensor stands in for the variable.
  const layer = (l: SynthesisLayerWeights): SynthesisLayerWeights => ({ ...l, noise: { ...l.noise, const: maps[next++]! as tf.Variable } });
  return { blocks: s.blocks.map((b) => ({ ...b, ...(b.conv0 === undefined ? {} : { conv0: layer(b.conv0) }), conv1: layer(b.conv1) })) };
}

/** The constant noise maps of a synthesis network, in the order `withNoiseMaps` takes them. */
export function noiseMapsOf(s: SynthesisWeights): tf.Variable[] {
  return s.blocks.flatMap((b) => [...(b.conv0 === undefined ? [] : [b.conv0.noise.const]), b.conv1.noise.const]);
}

/** Mean and spread of w over `samples` latents: the start point and the scale of the w perturbation. */
export function wStatistics(g: GeneratorWeights, samples: number, seed: number): { wAvg: tf.Tensor1D; wStd: number } {
  return tf.tidy(() => {
    const zDim = g.mapping.fc[0]!.weight.shape[0]!;
    const chunks: tf.Tensor2D[] = [];
    for (let done = 0; done < samples; done += 1000) {
      const n = Math.min(1000, samples - done);
      const z = tf.randomNormal([n, zDim], 0, 1, 'float32', seed + done) as tf.Tensor2D;
      chunks.push(tf.squeeze(tf.slice(mapping(g.mapping, z, inference), [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D);
    }
    const w = tf.concat(chunks, 0);
    const wAvg = tf.mean(w, 0) as tf.Tensor1D;
    const wStd = Math.sqrt(tf.sum(tf.square(tf.sub(w, wAvg))).dataSync()[0]! / samples);
    return { wAvg: tf.keep(wAvg), wStd };
  });
}

export class Projector {
  readonly #synthesis: SynthesisWeights;
  readonly #target: tf.Tensor4D; // [1, res, res, 3] in [-1, 1]
  readonly #options: Required<ProjectorOptions>;
  readonly #wOpt: tf.Variable; // [1, 1, wDim] (W) or [1, numWs, wDim] (W+)
  readonly #noise: tf.Variable[];
  readonly #adam: Adam;
  readonly #wStd: number;
  readonly #numWs: number;
  #step = 0;

  constructor(generator: GeneratorWeights, target: tf.Tensor4D, options: ProjectorOptions) {
    this.#options = {
      initialLearningRate: 0.1,
      initialNoiseFactor: 0.05,
      lrRampdownLength: 0.25,
      lrRampupLength: 0.05,
      noiseRampLength: 0.75,
      regularizeNoiseWeight: 1e5,
      wAvgSamples: 10_000,
      optimizeNoise: true,
      ...options,
    };
    if (!(Number.isInteger(options.steps) && options.steps > 0)) throw new RangeError(`projector: steps must be a positive integer, got ${options.steps}`);
    const resolution = generator.synthesis.blocks.at(-1)!.resolution;
    if (target.shape.join() !== [1, resolution, resolution, 3].join()) throw new RangeError(`projector: the target must be [1, ${resolution}, ${resolution}, 3]`);
    this.#numWs = numWs(resolution);
    this.#target = tf.keep(target.clone());
    const { wAvg, wStd } = wStatistics(generator, this.#options.wAvgSamples, options.seed);
    this.#wStd = wStd;
    const layers = options.space === 'w' ? 1 : this.#numWs;
    this.#wOpt = variableFrom(tf.tidy(() => tf.tile(tf.reshape(wAvg, [1, 1, -1]), [1, layers, 1])));
    wAvg.dispose();
    // The reference starts the noise maps afresh from N(0, 1) (projector.py: buf[:] = torch.randn_like(buf)).
    this.#noise = noiseMapsOf(generator.synthesis).map((map, i) => variableFrom(tf.randomNormal(map.shape, 0, 1, 'float32', options.seed * 7919 + i)));
    this.#synthesis = withNoiseMaps(generator.synthesis, this.#noise);
    this.#adam = createAdam({ learningRate: this.#options.initialLearningRate, beta1: 0.9, beta2: 0.999 });
  }

  get stepCount(): number {
    return this.#step;
  }

  get done(): boolean {
    return this.#step >= this.#options.steps;
  }

  /** One Adam step of w (and the noise maps) towards the target. */
  step(): ProjectionStep {
    const o = this.#options;
    const t = this.#step / o.steps;
    const wNoiseScale = this.#wStd * o.initialNoiseFactor * Math.max(0, 1 - t / o.noiseRampLength) ** 2;
    let ramp = Math.min(1, (1 - t) / o.lrRampdownLength);
    ramp = (0.5 - 0.5 * Math.cos(ramp * Math.PI)) * Math.min(1, t / o.lrRampupLength);
    const learningRate = o.initialLearningRate * ramp;
    this.#adam.setLearningRate(learningRate);
    const perturbation = tf.randomNormal(this.#wOpt.shape, 0, wNoiseScale, 'float32', o.seed * 104_729 + this.#step);
    let distance = 0;
    let penalty = 0;
    const variables = o.optimizeNoise ? [this.#wOpt, ...this.#noise] : [this.#wOpt];
    const loss = this.#adam.minimize(() => {
      const image = this.#synthesize(tf.add(this.#wOpt, perturbation));
      const d = this.#distance(image);
      const reg = noiseRegularization(this.#noise);
      distance = d.dataSync()[0]!;
      penalty = reg.dataSync()[0]!;
      return tf.add(d, tf.mul(reg, o.regularizeNoiseWeight));
    }, variables);
    const value = loss.dataSync()[0]!;
    tf.dispose([loss, perturbation]);
    // Renormalise the noise maps to zero mean, unit variance, so they cannot grow into the image.
    for (const map of this.#noise) {
      tf.tidy(() => {
        const centred = tf.sub(map, tf.mean(map));
        map.assign(tf.mul(centred, tf.rsqrt(tf.mean(tf.square(centred)))));
      });
    }
    this.#step++;
    return { step: this.#step, loss: value, distance, noisePenalty: penalty, learningRate };
  }

  /** The latent so far: [numWs × wDim] for W+, [wDim] for W. */
  latent(): Float32Array {
    return this.#wOpt.dataSync().slice() as Float32Array;
  }

  /** The noise maps so far, in synthesis layer order, concatenated. */
  noiseMaps(): Float32Array {
    const parts = this.#noise.map((m) => m.dataSync() as Float32Array);
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  /** The current (unperturbed) synthesis [1, res, res, 3] in about [-1, 1]; the caller disposes it. */
  image(): tf.Tensor4D {
    return tf.tidy(() => this.#synthesize(this.#wOpt));
  }

  /** PSNR and SSIM of the current synthesis against the target. */
  quality(): ProjectionQuality {
    return tf.tidy(() => {
      const [x, y] = [tf.clipByValue(unit(this.image()), 0, 1), unit(this.#target)];
      return { psnr: psnr(x, y), ssim: ssim(x as tf.Tensor4D, y as tf.Tensor4D).dataSync()[0]! };
    });
  }

  dispose(): void {
    this.#adam.dispose();
    tf.dispose([this.#wOpt, this.#target, ...this.#noise]);
  }

  #synthesize(w: tf.Tensor): tf.Tensor4D {
    const ws = w.shape[1] === 1 ? tf.tile(w, [1, this.#numWs, 1]) : w;
    return synthesis(this.#synthesis, ws as tf.Tensor3D, inference, { noiseMode: 'const' });
  }

  /** MSE + (1 − SSIM), both on [0, 1] images. */
  #distance(image: tf.Tensor4D): tf.Scalar {
    const [x, y] = [unit(image) as tf.Tensor4D, unit(this.#target) as tf.Tensor4D];
    return tf.add(tf.mean(tf.squaredDifference(x, y)), tf.sub(1, ssim(x, y)));
  }
}
