// StyleGAN2 networks: the reference's parameter counts, shapes, ws layout, truncation, noise modes, gradients and leaks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { evalMode, seededTrainMode, trainMode } from '../../../../models/common/mode.js';
import { countParameters, disposeParams, namedVariables, trainableVariables } from '../../../../models/common/param-tree.js';
import { seededRandom } from '../../../../models/common/seeded-random.js';
import { channelsAt, styleGAN2Config, styleGAN2TinyConfig, type StyleGAN2Config } from '../../../../models/stylegan/config.js';
import {
  createDiscriminator,
  createGenerator,
  createStyleGAN2,
  discriminator,
  generator,
  mapping,
  numWs,
  styleMixingRegularization,
  synthesis,
  wsResolutions,
  type GeneratorWeights,
} from '../../../../models/stylegan/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/**
 * Trainable parameters by the reference's layer shapes (training/networks.py, c_dim 0, architecture skip / resnet):
 *   FC(in, out) = in·out + out;
 *   SynthesisLayer(in, out) = affine FC(w, in) + out·in·3·3 + noise_strength 1 + bias out;
 *   ToRGB(in) = FC(w, in) + 3·in + 3;  const = C4·4·4;
 *   D block(tmp, out) = [fromrgb 3·tmp + tmp] + conv0 tmp·tmp·9 + tmp + conv1 tmp·out·9 + out + skip tmp·out;
 *   epilogue(C) = (C + 1)·C·9 + C + FC(16C, C) + FC(C, 1).
 */
function referenceCounts(c: StyleGAN2Config): { g: number; d: number } {
  const fc = (i: number, o: number): number => i * o + o;
  const ch = (r: number): number => channelsAt(c, r);
  const layer = (i: number, o: number): number => fc(c.wDim, i) + o * i * 9 + 1 + o;
  const torgb = (i: number): number => fc(c.wDim, i) + c.imgChannels * i + c.imgChannels;
  let g = fc(c.zDim, c.wDim) + (c.mappingLayers - 1) * fc(c.wDim, c.wDim);
  for (let r = 4; r <= c.resolution; r *= 2) g += (r === 4 ? ch(4) * 16 : layer(ch(r / 2), ch(r))) + layer(ch(r), ch(r)) + torgb(ch(r));
  let d = 0;
  for (let r = c.resolution; r > 4; r /= 2) {
    const [tmp, out] = [ch(r), ch(r / 2)];
    d += (r === c.resolution ? fc(c.imgChannels, tmp) : 0) + fc(tmp * 9, tmp) + tmp * out * 9 + out + tmp * out;
  }
  const c4 = ch(4);
  d += (c4 + 1) * c4 * 9 + c4 + fc(16 * c4, c4) + fc(c4, 1);
  return { g, d };
}

/** A generator small enough for gradient tests: 32 px, 8–16 channels, z and w of 32. */
const microConfig = (overrides: Partial<StyleGAN2Config> = {}): StyleGAN2Config =>
  styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, ...overrides });

/** Gives every layer's noise a visible strength (they start at 0, so the noise modes would not differ). */
function strengthenNoise(g: GeneratorWeights, strength = 0.5): void {
  for (const [path, v] of namedVariables(g)) if (path.endsWith('noise.strength')) v.assign(tf.scalar(strength));
}

describe('StyleGAN2 parameter counts', () => {
  it('the formula reproduces the reference\'s own summary at 1024 px (train.py --cfg=auto, map 2): G 28,794,124, D 29,012,513', () => {
    // Printed by stylegan2-ada-pytorch's training loop (misc.print_module_summary) for channel_base 32768, channel_max 512.
    const counts = referenceCounts({ ...styleGAN2Config(256), resolution: 1024, channelBase: 32768, mappingLayers: 2 });
    expect(counts).toEqual({ g: 28_794_124, d: 29_012_513 });
    // With the paper's 8 mapping layers: StyleGAN2 config-f's 30,370,060.
    expect(referenceCounts({ ...styleGAN2Config(256), resolution: 1024, channelBase: 32768 }).g).toBe(30_370_060);
  });

  it('tiny 64 px (channelBase 4096, channelMax 128): G 4,102,488 (2,101,248 of them mapping), D 1,465,025', () => {
    const config = styleGAN2TinyConfig(64, { seed: 1 });
    const { generator: g, discriminator: d } = createStyleGAN2(config);
    expect(referenceCounts(config)).toEqual({ g: 4_102_488, d: 1_465_025 });
    expect(countParameters(g.mapping)).toBe(8 * (512 * 512 + 512));
    expect(countParameters(g)).toBe(4_102_488);
    expect(countParameters(d)).toBe(1_465_025);
    // Buffers, not parameters (as the reference's register_buffer): w_avg and one noise image per synthesis layer.
    const buffers = [...namedVariables(g)].filter(([, v]) => !v.trainable).map(([p, v]) => [p, v.shape]);
    expect(buffers).toContainEqual(['mapping.wAvg', [512]]);
    expect(buffers).toContainEqual(['synthesis.blocks.4.conv0.noise.const', [64, 64]]);
    expect(buffers).toHaveLength(1 + (2 * 5 - 1));
    disposeParams(g);
    disposeParams(d);
  });

  it('256 px reference config (channelBase 16384 as cfg paper256/auto, mapping 8): G 24,767,458, D 24,001,089; 512-channel layers match the 1024 px summary', () => {
    const config = styleGAN2Config(256, { seed: 2 });
    const g = createGenerator(config);
    expect(countParameters(g)).toBe(24_767_458);
    expect(countParameters(g)).toBe(referenceCounts(config).g);
    // synthesis.b8.conv1 2,622,465 and synthesis.b4.torgb 264,195 in the reference's summary.
    expect(countParameters(g.synthesis.blocks[1]!.conv1)).toBe(2_622_465);
    expect(countParameters(g.synthesis.blocks[0]!.torgb)).toBe(264_195);
    disposeParams(g);
    const d = createDiscriminator(config);
    expect(countParameters(d)).toBe(24_001_089);
    // b4.conv 2,364,416, b4.fc 4,194,816, b4.out 513, b8.skip 262,144.
    expect([countParameters(d.epilogue.conv), countParameters(d.epilogue.fc), countParameters(d.epilogue.out)]).toEqual([2_364_416, 4_194_816, 513]);
    expect(countParameters(d.blocks.at(-1)!.skip)).toBe(262_144);
    disposeParams(d);
  });
});

describe('StyleGAN2 shapes and ws layout', () => {
  it('numWs = 2·log2(res) − 2 (one per conv and the last toRGB; 18 at 1024 px) and each ws index\'s resolution', () => {
    expect([32, 64, 128, 256, 1024].map(numWs)).toEqual([8, 10, 12, 14, 18]);
    expect(wsResolutions(64)).toEqual([4, 8, 8, 16, 16, 32, 32, 64, 64, 64]);
    expect(wsResolutions(32)).toEqual([4, 8, 8, 16, 16, 32, 32, 32]);
  });

  for (const resolution of [32, 64]) {
    it(`tiny ${resolution} px: mapping [B, numWs, 512], synthesis [B, ${resolution}, ${resolution}, 3], D [B, 1]; nothing leaks`, () => {
      const config = styleGAN2TinyConfig(resolution, { seed: 3 });
      const { generator: g, discriminator: d } = createStyleGAN2(config);
      const before = tf.memory().numTensors;
      const z = tf.randomNormal([2, 512], 0, 1, 'float32', 4) as tf.Tensor2D;
      const ws = mapping(g.mapping, z, evalMode);
      expect(ws.shape).toEqual([2, numWs(resolution), 512]);
      // w is broadcast: every layer gets the same w.
      expect(tf.tidy(() => maxAbsDiff(tf.slice(ws, [0, 0, 0], [-1, 1, -1]), tf.slice(ws, [0, numWs(resolution) - 1, 0], [-1, 1, -1])))).toBe(0);
      const img = synthesis(g.synthesis, ws, evalMode);
      expect(img.shape).toEqual([2, resolution, resolution, 3]);
      const [min, max] = tf.tidy(() => [tf.min(img).dataSync()[0]!, tf.max(img).dataSync()[0]!]);
      expect(Number.isFinite(min) && Number.isFinite(max)).toBe(true);
      expect(max - min).toBeGreaterThan(0);
      const logits = discriminator(d, img, evalMode);
      expect(logits.shape).toEqual([2, 1]);
      expect(values(logits).every(Number.isFinite)).toBe(true);
      tf.dispose([z, ws, img, logits]);
      expect(tf.memory().numTensors).toBe(before);
      disposeParams(g);
      disposeParams(d);
    });
  }

  it('D takes batches not divisible by the mbstd group (5 → groups of 1, 6 → groups of 3), and the mbstd channel sees the batch', () => {
    const config = microConfig({ seed: 5 });
    const d = createDiscriminator(config);
    const before = tf.memory().numTensors;
    for (const batch of [1, 3, 5, 6, 8]) {
      const img = tf.randomUniform([batch, 32, 32, 3], -1, 1, 'float32', batch) as tf.Tensor4D;
      const logits = discriminator(d, img, evalMode);
      expect(logits.shape).toEqual([batch, 1]);
      tf.dispose([img, logits]);
    }
    // With groups, a sample's logit depends on the others in its group: change sample 1, sample 0's logit moves (group 4).
    const a = tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 6) as tf.Tensor4D;
    const b = tf.tidy(() => tf.concat([tf.slice(a, [0, 0, 0, 0], [1, -1, -1, -1]), tf.neg(tf.slice(a, [1, 0, 0, 0], [3, -1, -1, -1]))], 0));
    const [la, lb] = [discriminator(d, a, evalMode), discriminator(d, b, evalMode)];
    expect(values(la)[0]).not.toBe(values(lb)[0]);
    tf.dispose([a, b, la, lb]);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(d);
  });
});

describe('StyleGAN2 mapping: w̄ and truncation', () => {
  it('training updates w̄ ← lerp(mean w, w̄, 0.995); ψ = 0 gives w̄, ψ = 1 gives w, a cutoff truncates only the first layers', () => {
    const config = microConfig({ seed: 7 });
    const g = createGenerator(config);
    const z = tf.randomNormal([3, 32], 0, 1, 'float32', 8) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const ws = mapping(g.mapping, z, evalMode);
    expect(values(g.mapping.wAvg).every((v) => v === 0)).toBe(true); // eval leaves w̄ alone
    mapping(g.mapping, z, trainMode).dispose();
    const expectedAvg = tf.tidy(() => tf.mul(tf.mean(tf.slice(ws, [0, 0, 0], [-1, 1, -1]), [0, 1]), 1 - 0.995));
    expect(maxAbsDiff(g.mapping.wAvg, expectedAvg)).toBeLessThan(1e-6);
    const updated = values(g.mapping.wAvg);
    expect(updated.some((v) => v !== 0)).toBe(true);
    mapping(g.mapping, z, trainMode, { skipWAvgUpdate: true }).dispose();
    expect(values(g.mapping.wAvg)).toEqual(updated);

    const atAverage = mapping(g.mapping, z, evalMode, { truncationPsi: 0 });
    const wAvgRows = tf.tidy(() => tf.tile(tf.reshape(g.mapping.wAvg, [1, 1, 32]), [3, numWs(32), 1]));
    expect(values(atAverage)).toEqual(values(wAvgRows)); // exactly w̄
    const untruncated = mapping(g.mapping, z, evalMode, { truncationPsi: 1 });
    expect(values(untruncated)).toEqual(values(ws));
    const half = mapping(g.mapping, z, evalMode, { truncationPsi: 0.5, truncationCutoff: 3 });
    const expectedHalf = tf.tidy(() => tf.add(g.mapping.wAvg, tf.mul(tf.sub(ws, g.mapping.wAvg), 0.5)));
    tf.tidy(() => {
      expect(maxAbsDiff(tf.slice(half, [0, 0, 0], [-1, 3, -1]), tf.slice(expectedHalf, [0, 0, 0], [-1, 3, -1]))).toBeLessThan(1e-6);
      expect(values(tf.slice(half, [0, 3, 0], [-1, -1, -1]))).toEqual(values(tf.slice(ws, [0, 3, 0], [-1, -1, -1])));
    });
    tf.dispose([ws, atAverage, wAvgRows, untruncated, half, expectedAvg, expectedHalf]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(z);
    disposeParams(g);
  });
});

describe('StyleGAN2 noise inputs', () => {
  it("'const' and 'none' are each deterministic and differ from each other; 'random' follows the mode's seeds", () => {
    const g = createGenerator(microConfig({ seed: 9 }));
    strengthenNoise(g);
    const z = tf.randomNormal([2, 32], 0, 1, 'float32', 10) as tf.Tensor2D;
    const ws = mapping(g.mapping, z, evalMode);
    const before = tf.memory().numTensors;
    const run = (options: Parameters<typeof synthesis>[3], mode = evalMode): tf.Tensor4D => synthesis(g.synthesis, ws, mode, options);
    const [c1, c2, n1, n2] = [run({ noiseMode: 'const' }), run({ noiseMode: 'const' }), run({ noiseMode: 'none' }), run({ noiseMode: 'none' })];
    expect(values(c1)).toEqual(values(c2));
    expect(values(n1)).toEqual(values(n2));
    expect(maxAbsDiff(c1, n1)).toBeGreaterThan(1e-3);
    // Eval defaults to 'const'.
    const byDefault = run({});
    expect(values(byDefault)).toEqual(values(c1));
    // 'random': the same seed stream gives the same image, another stream another one.
    const seeded = (seed: number): tf.Tensor4D => {
      const stream = seededRandom(seed);
      return run({ noiseMode: 'random' }, { training: false, randomSeed: () => stream.seed() });
    };
    const [r1, r2, r3] = [seeded(1), seeded(1), seeded(2)];
    expect(values(r1)).toEqual(values(r2));
    expect(maxAbsDiff(r1, r3)).toBeGreaterThan(1e-3);
    tf.dispose([c1, c2, n1, n2, byDefault, r1, r2, r3]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, ws]);
    disposeParams(g);
  });
});

describe('StyleGAN2 training forward', () => {
  it('gradients reach every trainable variable of G and D, style mixing follows the seeds, and nothing leaks', () => {
    const config = microConfig({ seed: 11 });
    const { generator: g, discriminator: d } = createStyleGAN2(config);
    const stream = seededRandom(12);
    const mode = seededTrainMode(() => stream.seed());
    const z = tf.randomNormal([3, 32], 0, 1, 'float32', 13) as tf.Tensor2D;
    const real = tf.randomUniform([3, 32, 32, 3], -1, 1, 'float32', 14) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const variables = [...trainableVariables(g), ...trainableVariables(d)];
    const { value, grads } = tf.variableGrads(() => {
      const ws = styleMixingRegularization(g.mapping, mapping(g.mapping, z, mode), 1, mode);
      const fake = synthesis(g.synthesis, ws, mode);
      // Non-saturating loss on both sides (softplus), so G and D both receive gradients in one pass.
      return tf.add(tf.mean(tf.softplus(tf.neg(discriminator(d, fake, mode)))), tf.mean(tf.softplus(discriminator(d, real, mode)))) as tf.Scalar;
    }, variables);
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    const names = new Map([...namedVariables(g, 'G'), ...namedVariables(d, 'D')].map(([p, v]) => [v.name, p]));
    const silent = Object.entries(grads)
      .filter(([, grad]) => tf.tidy(() => tf.max(tf.abs(grad)).dataSync()[0]!) === 0)
      .map(([name]) => names.get(name));
    expect(silent).toEqual([]);
    expect(Object.keys(grads)).toHaveLength(variables.length);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);

    // The same seed stream draws the same mixing and noise: the whole training forward is reproducible.
    const forward = (seed: number): tf.Tensor4D => {
      const s = seededRandom(seed);
      const m = seededTrainMode(() => s.seed());
      return tf.tidy(() => synthesis(g.synthesis, styleMixingRegularization(g.mapping, mapping(g.mapping, z, m, { skipWAvgUpdate: true }), 0.9, m), m));
    };
    const [f1, f2] = [forward(20), forward(20)];
    expect(values(f1)).toEqual(values(f2));
    tf.dispose([f1, f2, z, real]);
    disposeParams(g);
    disposeParams(d);
  });

  it('style mixing regularisation swaps in a second latent\'s ws from a crossover on, or keeps ws (probability 0)', () => {
    const g = createGenerator(microConfig({ seed: 15 }));
    const z = tf.randomNormal([2, 32], 0, 1, 'float32', 16) as tf.Tensor2D;
    const ws = mapping(g.mapping, z, evalMode);
    const kept = styleMixingRegularization(g.mapping, ws, 0, evalMode);
    expect(values(kept)).toEqual(values(ws));
    const stream = seededRandom(17);
    const mixed = styleMixingRegularization(g.mapping, ws, 1, { training: false, randomSeed: () => stream.seed() });
    // Rows before the crossover are ws's; from it on every row is one other w (broadcast), different from ws's.
    const rowEqual = tf.tidy(() => Array.from({ length: numWs(32) }, (_, l) => maxAbsDiff(tf.slice(mixed, [0, l, 0], [-1, 1, -1]), tf.slice(ws, [0, l, 0], [-1, 1, -1])) === 0));
    const crossover = rowEqual.indexOf(false);
    expect(crossover).toBeGreaterThanOrEqual(1);
    expect(rowEqual.slice(crossover).every((equal) => !equal)).toBe(true);
    tf.dispose([z, ws, kept, mixed]);
    disposeParams(g);
  });

  it('generator(z) = synthesis(mapping(z))', () => {
    const g = createGenerator(microConfig({ seed: 18 }));
    const z = tf.randomNormal([1, 32], 0, 1, 'float32', 19) as tf.Tensor2D;
    const direct = generator(g, z, evalMode, { truncationPsi: 0.7 });
    const ws = mapping(g.mapping, z, evalMode, { truncationPsi: 0.7 });
    const composed = synthesis(g.synthesis, ws, evalMode);
    expect(values(direct)).toEqual(values(composed));
    tf.dispose([z, direct, ws, composed]);
    disposeParams(g);
  });
});
