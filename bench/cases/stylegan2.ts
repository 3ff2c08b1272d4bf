// Bench case StyleGAN2-64 (the tiny config: channels 128 → 64, mapping 2 layers, batch 8): a plain training iteration
// (Gmain + Dmain) and an R1 iteration (+ Dreg, lazy R1 by double backprop) against PyTorch running the same networks and
// phases (bench/reference/stylegan2.py); generator inference (ψ 1, const noise) at batch 1 and 8 against PyTorch's
// eval-mode forward under no_grad. Before any figure, the architectures are checked against each other: parameter
// counts, then our weights loaded into PyTorch by name and G(z), D(x) and the R1 penalty compared. A mismatch fails the case.
// Two interactive figures on the trained weights: a Mix-view slider frame (two w+ sources blended per layer, the compiled
// synthesis as main/engine/style-generator.ts runs it, uint8 RGB out) against PyTorch's eval synthesis of the same w+
// under no_grad, also against the 100 ms per 64 px frame; and one W+ inversion step (models/stylegan/projector.ts)
// against the same step written in PyTorch. Each is checked against PyTorch first (the frame's image, the inversion's
// loss terms over a few steps from the same start); a mismatch leaves that figure without a ratio and fails the case.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { signedToRgb } from '../../models/common/image-tensor.js';
import { compileGenerator } from '../../main/engine/onnx/compiled-generator.js';
import { evalMode, seededTrainMode } from '../../models/common/mode.js';
import { countParameters, namedVariables } from '../../models/common/param-tree.js';
import { seededRandom } from '../../models/common/seeded-random.js';
import { styleGAN2TinyConfig, type StyleGAN2Config } from '../../models/stylegan/config.js';
import { mixStyles } from '../../models/stylegan/mixing.js';
import { createStyleGAN2, discriminator, generator, mapping, numWs, synthesis, type StyleGAN2Model } from '../../models/stylegan/networks.js';
import { Projector, wStatistics, type ProjectorOptions } from '../../models/stylegan/projector.js';
import { createStyleGAN2Trainer } from '../../models/stylegan/train-step.js';
import { benchThreads, emit, emitFigure, peakRssMb, round, runTorchReference, tempDir, timeMedian, type Yardstick } from '../harness.js';

interface Params {
  G_mapping: number;
  G_synthesis: number;
  G: number;
  D: number;
}

interface Parity {
  error?: string; // a tensor of ours that PyTorch's network lacks, or the other way round, or a shape that differs
  g_max_abs_diff: number;
  g_output_max_abs: number;
  d_max_abs_diff: number;
  d_logits_max_abs: number;
  r1_max_rel_diff: number;
}

/** PyTorch's slider frame from our fixture's sources and weights against our compiled frame. */
interface FrameParity {
  image_max_abs_diff: number; // float synthesis, before the uint8 conversion
  image_max_abs: number;
  rgb_max_diff: number; // uint8 levels
}

/** PyTorch's inversion steps from our start (w̄ tiled, our noise maps, no w perturbation) against ours, step by step. */
interface InversionParity {
  loss: number[]; // PyTorch's, per step
  distance: number[];
  penalty: number[];
  loss_max_rel_diff: number;
  distance_max_rel_diff: number;
  penalty_max_rel_diff: number;
  ws_after_max_abs_diff: number; // w+ after the steps (Adam moved it by about the learning rate per step)
}

/** bench/reference/stylegan2.py's line; with parity.error only params and parity (it times no different network). */
interface StyleGAN2Torch {
  train_ms?: number;
  train_r1_ms?: number;
  infer_ms?: Record<string, number>;
  frame_ms?: number;
  inversion_ms?: number;
  frame_parity?: FrameParity;
  inversion_parity?: InversionParity;
  params: Params;
  parity?: Parity;
  torch: string;
  peak_rss_mb: number;
}

const inferBatches = [1, 8];
/** Largest |ours − PyTorch| allowed, relative to the largest |output| (float32, different conv algorithms). */
const parityTolerance = 1e-3;
/** The interactive target: a mixing frame at 64 px in under 100 ms. */
const frameTargetMs = 100;
/** Inversion steps compared with PyTorch from the same start (the first at learning rate 0, as the reference's ramp-up). */
const inversionParitySteps = 3;
/** The projector's schedule length (the learning-rate ramps and the w perturbation's decay depend on it). */
const inversionScheduleSteps = 1000;
/** Mapped z for w̄ and the std of w: few, the statistics are not part of the timed step. */
const inversionWAvgSamples = 256;
/** Largest relative difference of an inversion loss term; w+ after the steps within this fraction of the distance moved. */
const inversionTolerance = 1e-3;
const inversionWsTolerance = 0.05;

/** Writes `tensors` (NHWC / HWIO as we hold them) to dir/weights.bin with a manifest naming each one's shape and offset. */
function writeTensors(dir: string, tensors: ReadonlyMap<string, tf.Tensor>): string {
  const entries: Array<{ name: string; shape: number[]; offset: number }> = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    entries.push({ name, shape: t.shape, offset });
    offset += t.size;
  }
  const data = new Float32Array(offset);
  [...tensors.values()].forEach((t, i) => data.set(t.dataSync() as Float32Array, entries[i]!.offset));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(data.buffer));
  const manifest = join(dir, 'weights.json');
  writeFileSync(manifest, JSON.stringify({ file: 'weights.bin', tensors: entries }));
  return manifest;
}

/** What differs between our networks and PyTorch's: parameter counts, tensors by name and shape, outputs beyond tolerance. */
function parityProblems(ours: Params, theirs: Params, parity: Parity | undefined): string[] {
  const counts = (Object.keys(ours) as Array<keyof Params>).filter((k) => ours[k] !== theirs[k]).map((k) => `${k} parameters: ours ${ours[k]}, PyTorch ${theirs[k]}`);
  if (parity === undefined) return [...counts, 'no parity figures'];
  if (parity.error !== undefined) return [...counts, parity.error];
  return [
    ...counts,
    ...(parity.g_max_abs_diff > parityTolerance * Math.max(parity.g_output_max_abs, 1) ? [`G(z) differs by ${parity.g_max_abs_diff}`] : []),
    ...(parity.d_max_abs_diff > parityTolerance * Math.max(parity.d_logits_max_abs, 1) ? [`D(x) differs by ${parity.d_max_abs_diff}`] : []),
    ...(parity.r1_max_rel_diff > 10 * parityTolerance ? [`R1 penalty differs by ${round(parity.r1_max_rel_diff * 100, 2)}%`] : []),
  ];
}

/** The Mix view's slider move, as main/engine/style-generator.ts runs it on these weights, timed; and its parity fixture. */
function mixingFrame(model: StyleGAN2Model, config: StyleGAN2Config, steps: number) {
  const layers = numWs(config.resolution);
  const { wDim } = config;
  const size = config.resolution * config.resolution * 3;
  // Two w+ sources (as the studio holds them: host arrays): one seed's w at every layer, and a w+ whose layers come
  // from different seeds (an inversion's kind); the blend runs from all of A (coarsest) to all of B (finest).
  const [a, b] = tf.tidy(() => {
    const z = tf.randomNormal([1 + layers, config.zDim], 0, 1, 'float32', 21) as tf.Tensor2D;
    const w = tf.squeeze(tf.slice(mapping(model.generator.mapping, z, evalMode), [0, 0, 0], [-1, 1, -1]), [1]);
    return [tf.tile(tf.slice(w, [0, 0], [1, -1]), [layers, 1]).dataSync() as Float32Array, tf.slice(w, [1, 0], [layers, -1]).dataSync() as Float32Array];
  });
  const weights = Array.from({ length: layers }, (_, l) => [1 - l / (layers - 1), l / (layers - 1)]);
  const forward = (ws: tf.Tensor): tf.Tensor => synthesis(model.generator.synthesis, ws as tf.Tensor3D, { training: false }, { noiseMode: 'const' });
  const compiled = compileGenerator(forward, [1, layers, wDim], { weights: namedVariables(model.generator.synthesis), threads: benchThreads });
  // StyleGeneratorModel.mix, then .synthesize(ws, 1, 'const'): host arrays in, uint8 RGB out.
  const mix = (): Float32Array => tf.tidy(() => mixStyles([a!, b!].map((ws) => tf.tensor2d(ws, [layers, wDim])), weights).dataSync() as Float32Array);
  const frame = (): Uint8Array => {
    const ws = mix();
    const pixels = tf.tidy(() => signedToRgb(compiled.run(tf.tensor3d(ws, [1, layers, wDim])).dataSync()));
    return pixels.slice(0, size);
  };
  try {
    const fixture = tf.tidy(() => {
      const ws = tf.tensor3d(mix(), [1, layers, wDim]);
      const image = compiled.run(ws);
      return {
        mix_a: tf.tensor2d(a!, [layers, wDim]),
        mix_b: tf.tensor2d(b!, [layers, wDim]),
        mix_weights: tf.tensor2d(weights, [layers, 2]),
        mix_image: image,
        mix_rgb: tf.tensor(Float32Array.from(frame()), image.shape),
        // The compiled session against the tfjs forward it was traced from (should agree to float rounding).
        compiled_vs_tfjs: tf.max(tf.abs(tf.sub(image, forward(ws)))),
      };
    });
    const compiledVsTfjs = fixture.compiled_vs_tfjs.dataSync()[0]!;
    fixture.compiled_vs_tfjs.dispose();
    const { compiled_vs_tfjs: _, ...tensors } = fixture;
    const ms = timeMedian(() => void frame(), 2, steps);
    return { ms, rss: peakRssMb(), compiledVsTfjs, fixture: tensors };
  } finally {
    compiled.dispose();
  }
}

/** One W+ projector step on these weights, timed; and the parity fixture: a few steps from a start PyTorch repeats. */
function inversionStep(model: StyleGAN2Model, config: StyleGAN2Config, steps: number) {
  // The target: the generator's own image of a seed, clamped to the image range.
  const target = tf.tidy(() => tf.clipByValue(generator(model.generator, tf.randomNormal([1, config.zDim], 0, 1, 'float32', 31) as tf.Tensor2D, evalMode, { noiseMode: 'const' }), -1, 1)) as tf.Tensor4D;
  const options: ProjectorOptions = { space: 'w+', steps: inversionScheduleSteps, seed: 4, wAvgSamples: inversionWAvgSamples };
  try {
    // Parity: no w perturbation (it is drawn from tfjs' generator), so PyTorch can take the same steps from the same start.
    const check = new Projector(model.generator, target, { ...options, initialNoiseFactor: 0 });
    const start = { ws: check.latent(), noise: check.noiseMaps() };
    const trace = Array.from({ length: inversionParitySteps }, () => check.step());
    const wsAfter = check.latent();
    check.dispose();
    const { wAvg, wStd } = wStatistics(model.generator, inversionWAvgSamples, options.seed);
    wAvg.dispose();
    const layers = numWs(config.resolution);
    const fixture = {
      inv_target: target.clone(),
      inv_ws: tf.tensor3d(start.ws, [1, layers, config.wDim]),
      inv_noise: tf.tensor1d(start.noise),
      inv_w_std: tf.scalar(wStd),
      inv_loss: tf.tensor1d(trace.map((s) => s.loss)),
      inv_distance: tf.tensor1d(trace.map((s) => s.distance)),
      inv_penalty: tf.tensor1d(trace.map((s) => s.noisePenalty)),
      inv_ws_after: tf.tensor3d(wsAfter, [1, layers, config.wDim]),
    };
    // Timing: the studio's projector (w perturbation on); one warm-up step builds the backward's sessions and Adam's state.
    const projector = new Projector(model.generator, target, options);
    try {
      const ms = timeMedian(() => void projector.step(), 1, steps);
      return { ms, rss: peakRssMb(), trace, wsMoved: maxAbsDiff(start.ws, wsAfter), fixture };
    } finally {
      projector.dispose();
    }
  } finally {
    target.dispose();
  }
}

const maxAbsDiff = (x: Float32Array, y: Float32Array): number => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);

function frameProblems(parity: FrameParity | undefined): string[] {
  if (parity === undefined) return ['no frame parity figures'];
  return [
    ...(parity.image_max_abs_diff > parityTolerance * Math.max(parity.image_max_abs, 1) ? [`frame image differs by ${parity.image_max_abs_diff}`] : []),
    ...(parity.rgb_max_diff > 1 ? [`frame RGB differs by ${parity.rgb_max_diff} levels`] : []),
  ];
}

function inversionProblems(parity: InversionParity | undefined, wsMoved: number): string[] {
  if (parity === undefined) return ['no inversion parity figures'];
  return [
    ...(['loss', 'distance', 'penalty'] as const).flatMap((k) => {
      const diff = parity[`${k}_max_rel_diff`];
      return diff > inversionTolerance ? [`inversion ${k} differs by ${round(diff * 100, 3)}%`] : [];
    }),
    ...(parity.ws_after_max_abs_diff > inversionWsTolerance * wsMoved ? [`w+ after ${inversionParitySteps} steps differs by ${parity.ws_after_max_abs_diff} (moved ${wsMoved})`] : []),
  ];
}

/**
 * trainSteps/inferSteps: timed repetitions of the training iterations and the generator inference; frameSteps and
 * inversionSteps: of the slider frame and the inversion step (each after its warm-up).
 */
export const stylegan2 = (trainSteps: number, inferSteps: number, frameSteps = 10, inversionSteps = 3) => async (): Promise<void> => {
  const name = 'stylegan2-64';
  const config = styleGAN2TinyConfig(64, { batchSize: 8, mappingLayers: 2, seed: 1 });
  const model = createStyleGAN2(config);
  const params: Params = {
    G_mapping: countParameters(model.generator.mapping),
    G_synthesis: countParameters(model.generator.synthesis),
    G: countParameters(model.generator),
    D: countParameters(model.discriminator),
  };

  // Inference first, so its peak RSS is not the training's: the plain tfjs forward, as G_ema runs in the studio.
  const inferOurs = new Map<number, { ms: number; rss: number }>();
  for (const n of inferBatches) {
    const z = tf.randomNormal([n, config.zDim], 0, 1, 'float32', 3) as tf.Tensor2D;
    const ms = timeMedian(() => tf.tidy(() => void generator(model.generator, z, { training: false }, { noiseMode: 'const' }).dataSync()), 1, inferSteps);
    inferOurs.set(n, { ms, rss: peakRssMb() });
    z.dispose();
  }

  // Training: one warm-up R1 iteration (it runs every phase, so it builds the ORT sessions of every kernel, the double
  // backward's included, and both Adams' state), then the timed iterations of each kind.
  const stream = seededRandom(2);
  const trainer = createStyleGAN2Trainer(model, { mode: seededTrainMode(() => stream.seed()) });
  const reals = tf.randomUniform([config.batchSize, config.resolution, config.resolution, config.imgChannels], -1, 1, 'float32', 1) as tf.Tensor4D;
  trainer.step(reals, true);
  const trainMs = timeMedian(() => void trainer.step(reals, false), 0, trainSteps);
  const trainR1Ms = timeMedian(() => void trainer.step(reals, true), 0, trainSteps);
  const trainRss = peakRssMb();
  tf.dispose(reals);
  trainer.dispose();

  // The interactive figures, on the weights as training left them (noise strengths and biases no longer zero).
  const frame = mixingFrame(model, config, frameSteps);
  const inversion = inversionStep(model, config, inversionSteps);

  const dir = tempDir();
  try {
    // The parity fixture, on the weights as training left them (noise strengths and biases no longer zero).
    const fixture = tf.tidy(() => {
      const z = tf.randomNormal([2, config.zDim], 0, 1, 'float32', 5) as tf.Tensor2D;
      const x = tf.randomUniform([4, config.resolution, config.resolution, config.imgChannels], -1, 1, 'float32', 6) as tf.Tensor4D;
      const gradients = tf.grad((t: tf.Tensor) => tf.sum(discriminator(model.discriminator, t as tf.Tensor4D, evalMode)))(x);
      return {
        z,
        image: generator(model.generator, z, evalMode, { noiseMode: 'const' }),
        reals: x,
        logits: discriminator(model.discriminator, x, evalMode),
        r1: tf.sum(tf.square(gradients), [1, 2, 3]),
      };
    });
    const fixtures = { ...fixture, ...frame.fixture, ...inversion.fixture };
    const tensors = new Map<string, tf.Tensor>([...namedVariables(model.generator, 'G'), ...namedVariables(model.discriminator, 'D'), ...Object.entries(fixtures).map(([k, t]) => [`fixture.${k}`, t] as const)]);
    const manifest = writeTensors(dir.path, tensors);
    tf.dispose(Object.values(fixtures));

    const torch = runTorchReference<StyleGAN2Torch>('stylegan2.py', [
      '--config', JSON.stringify(config),
      '--steps', String(trainSteps),
      '--infer-steps', String(inferSteps),
      ...inferBatches.flatMap((n) => ['--infer-batch', String(n)]),
      '--frame-steps', String(frameSteps),
      '--inversion-steps', String(inversionSteps),
      '--inversion-schedule-steps', String(inversionScheduleSteps),
      '--weights', manifest,
    ]);
    const torchName = torch.ok ? `pytorch ${torch.result.torch}` : 'pytorch';
    const extra = { params, ...(torch.ok ? { yardstick_params: torch.result.params, yardstick_peak_rss_mb: torch.result.peak_rss_mb } : {}) };

    if (torch.ok) {
      const { params: theirs, parity } = torch.result;
      const problems = parityProblems(params, theirs, parity);
      emit({ case: name, check: 'architecture parity with the PyTorch reference', ok: problems.length === 0, params_ours: params, params_pytorch: theirs, ...parity, tolerance: parityTolerance });
      if (problems.length > 0) {
        const why = problems.join('; ');
        emit({ case: name, error: `architectures differ: ${why}` });
        throw new Error(`${name}: our StyleGAN2 and bench/reference/stylegan2.py differ (${why}); no ratio against a different network`);
      }
    }

    const yardstick = (ms: number | undefined): Yardstick => (torch.ok && ms !== undefined ? { name: torchName, ms } : { name: torchName, missing: torch.ok ? 'no figure' : torch.missing });
    const batch = config.batchSize;
    emitFigure({ case: name, what: `train iteration b${batch} (Gmain + Dmain)`, ours_ms: trainMs, yardstick: yardstick(torch.ok ? torch.result.train_ms : undefined), peakRssMb: trainRss, extra: { steps: trainSteps, ...extra } });
    emitFigure({ case: name, what: `train iteration b${batch} with R1 (Gmain + Dmain + Dreg)`, ours_ms: trainR1Ms, yardstick: yardstick(torch.ok ? torch.result.train_r1_ms : undefined), peakRssMb: trainRss, extra: { steps: trainSteps, ...extra } });
    for (const n of inferBatches) {
      const ours = inferOurs.get(n)!;
      emitFigure({ case: name, what: `generator inference b${n} (ψ 1, const noise)`, ours_ms: ours.ms, yardstick: yardstick(torch.ok ? torch.result.infer_ms?.[String(n)] : undefined), peakRssMb: ours.rss, extra: { steps: inferSteps, ...extra } });
    }

    // The interactive figures: each checked against PyTorch first; a mismatch gives no ratio and fails the case at the end.
    const failed: string[] = [];
    const checked = (what: string, problems: string[] | undefined, ms: number | undefined): Yardstick => {
      if (problems === undefined || problems.length === 0) return yardstick(ms);
      failed.push(`${what}: ${problems.join('; ')}`);
      emit({ case: name, error: `${what} differs from PyTorch: ${problems.join('; ')}` });
      return { name: torchName, missing: 'parity check failed' };
    };
    const frameCheck = torch.ok ? frameProblems(torch.result.frame_parity) : undefined;
    if (torch.ok) emit({ case: name, check: 'mixing frame parity with the PyTorch reference', ok: frameCheck!.length === 0, ...torch.result.frame_parity, compiled_vs_tfjs_max_abs_diff: frame.compiledVsTfjs, tolerance: parityTolerance });
    const frameWhat = `mixing slider frame (${config.resolution} px)`;
    emitFigure({
      case: name,
      what: frameWhat,
      ours_ms: frame.ms,
      yardstick: checked(frameWhat, frameCheck, torch.ok ? torch.result.frame_ms : undefined),
      peakRssMb: frame.rss,
      extra: { target_ms: frameTargetMs, met: frame.ms < frameTargetMs, steps: frameSteps, timed: '2-source per-layer mixStyles + compiled synthesis (one ORT session, const noise) + uint8 RGB', peak_rss_note: 'process peak so far, training included' },
    });
    const inversionCheck = torch.ok ? inversionProblems(torch.result.inversion_parity, inversion.wsMoved) : undefined;
    if (torch.ok) {
      const p = torch.result.inversion_parity;
      emit({
        case: name,
        check: 'inversion step parity with the PyTorch reference',
        ok: inversionCheck!.length === 0,
        steps: inversionParitySteps,
        loss_ours: inversion.trace.map((s) => s.loss),
        loss_pytorch: p?.loss,
        distance_ours: inversion.trace.map((s) => s.distance),
        distance_pytorch: p?.distance,
        loss_max_rel_diff: p?.loss_max_rel_diff,
        distance_max_rel_diff: p?.distance_max_rel_diff,
        penalty_max_rel_diff: p?.penalty_max_rel_diff,
        ws_after_max_abs_diff: p?.ws_after_max_abs_diff,
        ws_moved_max_abs: inversion.wsMoved,
        tolerance: inversionTolerance,
      });
    }
    const inversionWhat = `inversion step (${config.resolution} px, W+)`;
    emitFigure({
      case: name,
      what: inversionWhat,
      ours_ms: inversion.ms,
      yardstick: checked(inversionWhat, inversionCheck, torch.ok ? torch.result.inversion_ms : undefined),
      peakRssMb: inversion.rss,
      extra: { steps: inversionSteps, loss: 'MSE + (1 − SSIM) + 1e5 · noise autocorrelation; Adam on w+ and noise maps; renormalised', w_avg_samples: inversionWAvgSamples, peak_rss_note: 'process peak so far, training included' },
    });
    if (failed.length > 0) throw new Error(`${name}: ${failed.join('; ')}`);
  } finally {
    dir.dispose();
  }
};
