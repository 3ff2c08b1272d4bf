// Bench case StyleGAN2-64 (the tiny config: channels 128 → 64, mapping 2 layers, batch 8): a plain training iteration
// (Gmain + Dmain) and an R1 iteration (+ Dreg, lazy R1 by double backprop) against PyTorch running the same networks and
// phases (bench/reference/stylegan2.py); generator inference (ψ 1, const noise) at batch 1 and 8 against PyTorch's
// eval-mode forward under no_grad. Before any figure, the architectures are checked against each other: parameter
// counts, then our weights loaded into PyTorch by name and G(z), D(x) and the R1 penalty compared. A mismatch fails the case.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { evalMode, seededTrainMode } from '../../models/common/mode.js';
import { countParameters, namedVariables } from '../../models/common/param-tree.js';
import { seededRandom } from '../../models/common/seeded-random.js';
import { styleGAN2TinyConfig } from '../../models/stylegan/config.js';
import { createStyleGAN2, discriminator, generator } from '../../models/stylegan/networks.js';
import { createStyleGAN2Trainer } from '../../models/stylegan/train-step.js';
import { emit, emitFigure, peakRssMb, round, runTorchReference, tempDir, timeMedian, type Yardstick } from '../harness.js';

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

/** bench/reference/stylegan2.py's line; with parity.error only params and parity (it times no different network). */
interface StyleGAN2Torch {
  train_ms?: number;
  train_r1_ms?: number;
  infer_ms?: Record<string, number>;
  params: Params;
  parity?: Parity;
  torch: string;
  peak_rss_mb: number;
}

const inferBatches = [1, 8];
/** Largest |ours − PyTorch| allowed, relative to the largest |output| (float32, different conv algorithms). */
const parityTolerance = 1e-3;

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

export const stylegan2 = (trainSteps: number, inferSteps: number) => async (): Promise<void> => {
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
    const tensors = new Map<string, tf.Tensor>([...namedVariables(model.generator, 'G'), ...namedVariables(model.discriminator, 'D'), ...Object.entries(fixture).map(([k, t]) => [`fixture.${k}`, t] as const)]);
    const manifest = writeTensors(dir.path, tensors);
    tf.dispose(Object.values(fixture));

    const torch = runTorchReference<StyleGAN2Torch>('stylegan2.py', [
      '--config', JSON.stringify(config),
      '--steps', String(trainSteps),
      '--infer-steps', String(inferSteps),
      ...inferBatches.flatMap((n) => ['--infer-batch', String(n)]),
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
  } finally {
    dir.dispose();
  }
};
