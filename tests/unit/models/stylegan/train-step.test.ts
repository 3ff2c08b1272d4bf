import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ortKernelStats } from '../../../../main/engine/ort-kernels/index.js';
import { equalizedConv2d } from '../../../../models/common/equalized.js';
import { seededTrainMode } from '../../../../models/common/mode.js';
import { disposeParams, namedVariables } from '../../../../models/common/param-tree.js';
import { seededRandom } from '../../../../models/common/seeded-random.js';
import { styleGAN2Config } from '../../../../models/stylegan/config.js';
import { createDiscriminator, createGenerator, createStyleGAN2, discriminator } from '../../../../models/stylegan/networks.js';
import { createStyleGAN2Trainer, discriminatorAdamSettings, emaBeta, updateGeneratorEma } from '../../../../models/stylegan/train-step.js';
import { microConfig, useCpuWithOrtKernels } from './micro.js';

useCpuWithOrtKernels();

describe('StyleGAN2 R1 penalty (a gradient of a gradient)', () => {
  const scalar = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0]!);
  // Directional derivatives along random directions over every element (single elements drown in float32 noise), in
  // the integral form f(p + hu) − f(p − hu) = ∫₋ₕʰ ⟨∇f(p + su), u⟩ ds (midpoint rule), exact across lrelu's kinks.
  // R1 itself jumps where a weight flips an lrelu mask after it (‖∇ₓD‖ changes by a step, which no autodiff sees),
  // so each check perturbs weights that no mask depends on.
  const h = 1e-2;
  const midpoints = Array.from({ length: 10 }, (_, k) => -h + (2 * h * (k + 0.5)) / 10);
  function checkDirectional(f: () => tf.Scalar, variable: tf.Variable, seed: number): { difference: number; integral: number } {
    const original = variable.clone();
    const u = tf.randomNormal(variable.shape, 0, 1, 'float32', seed);
    const moveTo = (s: number): void => variable.assign(tf.tidy(() => tf.add(original, tf.mul(u, s))));
    moveTo(h);
    const plus = scalar(f);
    moveTo(-h);
    const difference = plus - scalar(f);
    let sum = 0;
    for (const s of midpoints) {
      moveTo(s);
      const { value, grads } = tf.variableGrads(f, [variable]);
      sum += scalar(() => tf.sum(tf.mul(grads[variable.name]!, u)));
      tf.dispose([value, ...Object.values(grads)]);
    }
    variable.assign(original);
    tf.dispose([original, u]);
    return { difference, integral: (sum / midpoints.length) * 2 * h };
  }

  it('‖∇ₓD(x)‖² differentiates through the whole D\'s backward pass: its gradient for D\'s last layers matches finite differences', () => {
    const d = createDiscriminator(microConfig());
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const sumD = (img: tf.Tensor): tf.Scalar => tf.sum(discriminator(d, img as tf.Tensor4D, { training: true }));
    // The inner gradient ∂ΣD/∂x first, along a direction v.
    const v = tf.randomNormal(x.shape, 0, 1, 'float32', 8);
    const at = (s: number): tf.Tensor => tf.add(x, tf.mul(v, s));
    const innerDifference = scalar(() => sumD(at(h))) - scalar(() => sumD(at(-h)));
    const innerIntegral = (midpoints.reduce((sum, s) => sum + scalar(() => tf.sum(tf.mul(tf.grad(sumD)(at(s)), v))), 0) / midpoints.length) * 2 * h;
    expect(Math.abs(innerIntegral)).toBeGreaterThan(1e-4);
    expect(Math.abs(innerDifference - innerIntegral) / Math.abs(innerIntegral)).toBeLessThan(0.02);
    // R1 for the logit layer (its gradient runs back through every conv of D's input gradient) and the FC before it.
    const r1 = (): tf.Scalar => tf.tidy(() => tf.sum(tf.square(tf.grad(sumD)(x))));
    for (const [path, seed] of [['epilogue.out.weight', 9], ['epilogue.fc.weight', 10]] as const) {
      const { difference, integral } = checkDirectional(r1, namedVariables(d).get(path)!, seed);
      expect(Math.abs(integral), path).toBeGreaterThan(1e-6);
      expect(Math.abs(difference - integral) / Math.abs(integral), path).toBeLessThan(0.02);
    }
    tf.dispose([x, v]);
    disposeParams(d);
  });

  it('the gradient of an input gradient reaches a strided equalized conv\'s weights correctly (native kernels)', () => {
    const d = createDiscriminator(microConfig());
    const block = d.blocks[0]!;
    const x = tf.randomUniform([2, 32, 32, block.conv1.weight.shape[2]!], -1, 1, 'float32', 11) as tf.Tensor4D;
    // A smooth function of the conv's output, so the weight moves no mask.
    const f = (img: tf.Tensor): tf.Scalar => tf.sum(tf.softplus(equalizedConv2d(block.conv1, img as tf.Tensor4D, { down: 2 })));
    const r = (): tf.Scalar => tf.tidy(() => tf.sum(tf.square(tf.grad(f)(x))));
    const { difference, integral } = checkDirectional(r, block.conv1.weight, 12);
    expect(Math.abs(integral)).toBeGreaterThan(1e-4);
    expect(Math.abs(difference - integral) / Math.abs(integral)).toBeLessThan(0.02);
    x.dispose();
    disposeParams(d);
  });
});

describe('StyleGAN2 training iteration', () => {
  it('moves G and D, runs R1 only when asked, keeps w̄ moving, and leaks nothing', () => {
    const model = createStyleGAN2(microConfig());
    const stream = seededRandom(3);
    const trainer = createStyleGAN2Trainer(model, { mode: seededTrainMode(() => stream.seed()) });
    const reals = tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const snapshot = (tree: unknown): Map<string, Float32Array> => new Map([...namedVariables(tree)].map(([p, v]) => [p, (v.dataSync() as Float32Array).slice()]));
    const g0 = snapshot(model.generator);
    const d0 = snapshot(model.discriminator);
    const first = trainer.step(reals, true); // compiles kernels, creates moments
    const before = tf.memory().numTensors;
    const second = trainer.step(reals, false);
    expect(tf.memory().numTensors).toBe(before);
    expect(first.r1).toBeGreaterThan(0);
    expect(second.r1).toBeUndefined();
    for (const v of [first.gMain, first.dFake, first.dReal, second.gMain, second.dReal]) expect(Number.isFinite(v)).toBe(true);
    const moved = (start: Map<string, Float32Array>, tree: unknown, path: string): boolean => {
      const now = namedVariables(tree).get(path)!.dataSync();
      return now.some((v, i) => v !== start.get(path)![i]);
    };
    expect(moved(g0, model.generator, 'synthesis.blocks.1.conv0.weight')).toBe(true);
    expect(moved(g0, model.generator, 'mapping.wAvg')).toBe(true); // w̄ tracks the mapped w
    expect(moved(g0, model.generator, 'synthesis.blocks.1.conv0.noise.const')).toBe(false); // a buffer, never trained
    expect(moved(d0, model.discriminator, 'epilogue.out.weight')).toBe(true);
    // Dmain once and Dreg once on the first iteration, Dmain on the second: D's Adam took 3 steps, G's 2.
    expect(trainer.optimizers.discriminator.step).toBe(3);
    expect(trainer.optimizers.generator.step).toBe(2);
    trainer.dispose();
    reals.dispose();
    disposeParams(model);
  });

  it('with DiffAugment, the same seeds repeat an iteration exactly, and the augmentation changes what D sees', () => {
    const reals = tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const iterate = (augment: string): number[] => {
      const model = createStyleGAN2(microConfig({ augment }));
      const stream = seededRandom(3);
      const trainer = createStyleGAN2Trainer(model, { mode: seededTrainMode(() => stream.seed()) });
      const losses = [trainer.step(reals, true), trainer.step(reals, false)].flatMap((l) => [l.gMain, l.dReal, l.dFake, l.r1 ?? 0]);
      trainer.dispose();
      disposeParams(model);
      return losses;
    };
    const augmented = iterate('color,translation,cutout');
    for (const v of augmented) expect(Number.isFinite(v)).toBe(true);
    expect(augmented[3]).toBeGreaterThan(0); // R1 differentiates through the augmentation to the un-augmented reals
    expect(iterate('color,translation,cutout')).toEqual(augmented);
    const plain = iterate('');
    expect(plain[1]).not.toBe(augmented[1]);
    reals.dispose();
  });

  it('the 64 px demo model\'s iteration reuses its native kernels: once warm, an iteration builds no ORT session', () => {
    // Its cycle of 283 (op, shape) graphs outgrew the former LRU cap of 256, so every iteration rebuilt most of them.
    const model = createStyleGAN2(styleGAN2Config(64, { channelBase: 1024, channelMax: 64, mappingLayers: 2, batchSize: 8, seed: 1, augment: 'color,translation,cutout' }));
    const stream = seededRandom(3);
    const trainer = createStyleGAN2Trainer(model, { mode: seededTrainMode(() => stream.seed()) });
    const reals = tf.randomUniform([8, 64, 64, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    trainer.step(reals, true);
    trainer.step(reals, false);
    const built = ortKernelStats().built;
    trainer.step(reals, false);
    expect(ortKernelStats().sessions).toBeGreaterThan(256);
    expect(ortKernelStats().built).toBe(built);
    trainer.dispose();
    reals.dispose();
    disposeParams(model);
  });

  it('lazy regularisation scales D\'s Adam by c = 16/17 (lr·c, β^c); the EMA follows G at first and then averages', () => {
    const config = microConfig();
    const d = discriminatorAdamSettings(config);
    expect(d.learningRate).toBeCloseTo(0.0025 * (16 / 17), 12);
    expect(d.beta1).toBe(0);
    expect(d.beta2).toBeCloseTo(0.99 ** (16 / 17), 12);
    expect(emaBeta(config, 0)).toBe(0); // no images seen: G_ema = G
    // Half-life min(emaKimg·1000, 5% of images seen): after 10k images it is 500 images, so β = 0.5^(batch/500).
    expect(emaBeta(config, 10_000)).toBeCloseTo(0.5 ** (4 / 500), 12);
    expect(emaBeta(config, 1e9)).toBeCloseTo(0.5 ** (4 / (config.emaKimg * 1000)), 12);

    const g = createGenerator(config);
    const ema = createGenerator({ ...config, seed: 99 });
    updateGeneratorEma(ema, g, 0);
    for (const [path, v] of namedVariables(ema)) expect(Array.from(v.dataSync())).toEqual(Array.from(namedVariables(g).get(path)!.dataSync()));
    const weight = namedVariables(g).get('synthesis.blocks.0.conv1.weight')!;
    const start = weight.dataSync()[0]!;
    weight.assign(tf.add(weight, 1));
    updateGeneratorEma(ema, g, 0.75);
    expect(namedVariables(ema).get('synthesis.blocks.0.conv1.weight')!.dataSync()[0]).toBeCloseTo(start + 0.25, 5);
    disposeParams(g);
    disposeParams(ema);
  });
});
