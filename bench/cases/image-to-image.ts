// Bench cases pix2pix-128/256 and CycleGAN-128/256 (batch 1): training step vs PyTorch, generator inference (compiled to
// one ORT session) vs raw ORT running the torch-exported generator and vs PyTorch, and that torch-exported generator
// imported into the studio (models.importOnnx's checks, then the Sketch/Transfer inference path with its pixel
// conversions) vs raw ORT on the same file. A missed target adds a per-kernel profile of what missed it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InteractiveModels } from '../../main/engine/interactive-models.js';
import { nativeKernelNames } from '../../main/engine/ort-kernels/index.js';
import { importOnnxTask } from '../../main/engine/tasks/import-onnx.js';
import { compileGenerator } from '../../main/engine/onnx/compiled-generator.js';
import { runTrial } from '../../main/engine/onnx/onnx-trial.js';
import { evalMode } from '../../models/common/mode.js';
import { namedVariables } from '../../models/common/param-tree.js';
import { cycleganConfig } from '../../models/cyclegan/config.js';
import { createCyclegan, resnetGenerator } from '../../models/cyclegan/networks.js';
import { createCycleganTrainer } from '../../models/cyclegan/train-step.js';
import { pix2pixConfig } from '../../models/pix2pix/config.js';
import { createPix2pix, unetGenerator } from '../../models/pix2pix/networks.js';
import { createPix2pixTrainer } from '../../models/pix2pix/train-step.js';
import { benchSteps, benchThreads, emitFigure, emitProfile, peakRssMb, round, runTorchReference, tempDir, timeMedian, timeOrtSession, type Yardstick } from '../harness.js';

/**
 * What a case times: the generator's eval-mode forward and one training step, both on [1, size, size, 3] in [-1, 1].
 * Inference runs as the studio runs it: the forward compiled to one ONNX Runtime session (main/engine/onnx).
 */
interface Workload {
  forward(a: tf.Tensor4D): tf.Tensor4D;
  weights: ReadonlyMap<string, tf.Variable>;
  step(a: tf.Tensor4D, b: tf.Tensor4D): void;
}

interface TorchFigures {
  train_ms: number;
  infer_ms: number;
  torch: string;
  peak_rss_mb: number;
}

const trainingTarget = 1.0; // ours / PyTorch
const inferenceTarget = 1.5; // ours / raw ONNX Runtime

/**
 * Imports the torch-exported generator as models.importOnnx does (manifest, checks, model folder) and times the studio's
 * inference of one RGB picture with it: uint8 → planar [-1, 1] → ORT → uint8, as Sketch and Transfer run an import.
 */
async function importedGeneratorMs(onnxPath: string, family: string, size: number, dir: string): Promise<number> {
  const image = { shape: [1, 3, size, size], layout: 'NCHW', range: [-1, 1] };
  const manifestPath = `${onnxPath}.json`;
  await writeFile(manifestPath, JSON.stringify({ family, resolution: size, inputs: [{ name: 'input', ...image }], outputs: [{ name: 'output', ...image }] }));
  const modelDir = join(dir, 'imported');
  await importOnnxTask({ onnxPath, manifestPath, modelDir }, { runTrial }); // the bench is the test run's host
  const models = new InteractiveModels();
  try {
    const model = await models.imageToImage(modelDir);
    const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 37) % 256);
    return timeMedian(() => void model.run(rgb), 2, benchSteps);
  } finally {
    models.dispose();
  }
}

async function imageToImageCase(name: string, size: number, trainSteps: number, workload: () => Workload, reference: { script: string; args: string[] }): Promise<void> {
  const w = workload();
  const a = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const b = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
  const compileStart = performance.now();
  const compiled = compileGenerator((x) => w.forward(x as tf.Tensor4D), a.shape, { threads: benchThreads, weights: w.weights });
  const compileMs = performance.now() - compileStart;
  const maxAbsDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(compiled.run(a), w.forward(a)))).dataSync()[0]!);
  const inferMs = timeMedian(() => tf.tidy(() => void compiled.run(a).dataSync()), 2, benchSteps);
  const inferRss = peakRssMb();
  const inferExtra = { compile_ms: round(compileMs), max_abs_diff_vs_tfjs: maxAbsDiff };
  compiled.dispose();
  // One warm-up step: it builds the ORT sessions of every backward kernel and Adam's state.
  const trainMs = timeMedian(() => w.step(a, b), 1, trainSteps);
  const trainRss = peakRssMb();

  const dir = tempDir();
  try {
    const onnx = join(dir.path, `${name}-generator.onnx`);
    const torch = runTorchReference<TorchFigures>(reference.script, [...reference.args, '--size', String(size), '--steps', String(trainSteps), '--infer-steps', String(benchSteps), '--onnx', onnx]);
    const torchName = torch.ok ? `pytorch ${torch.result.torch}` : 'pytorch';
    const torchExtra = torch.ok ? { yardstick_peak_rss_mb: torch.result.peak_rss_mb } : {};
    emitFigure({
      case: name,
      what: 'train step b1',
      ours_ms: trainMs,
      yardstick: torch.ok ? { name: torchName, ms: torch.result.train_ms } : { name: torchName, missing: torch.missing },
      peakRssMb: trainRss,
      extra: { steps: trainSteps, ...torchExtra },
    });
    const ort: Yardstick = torch.ok ? { name: 'onnxruntime-node (torch-exported graph)', ms: await timeOrtSession(onnx, [1, 3, size, size], 2, benchSteps) } : { name: 'onnxruntime-node (torch-exported graph)', missing: `no ONNX export: ${torch.missing}` };
    emitFigure({ case: name, what: 'generator inference b1', ours_ms: inferMs, yardstick: ort, peakRssMb: inferRss, extra: inferExtra });
    emitFigure({ case: name, what: 'generator inference b1', ours_ms: inferMs, yardstick: torch.ok ? { name: torchName, ms: torch.result.infer_ms } : { name: torchName, missing: torch.missing }, peakRssMb: inferRss, extra: { ...inferExtra, ...torchExtra } });
    if (torch.ok) {
      const importedMs = await importedGeneratorMs(onnx, name.split('-')[0]!, size, dir.path);
      emitFigure({ case: name, what: 'imported ONNX generator inference b1 (the torch export, RGB in and out)', ours_ms: importedMs, yardstick: ort, peakRssMb: peakRssMb() });
    }
    if (process.env.BENCH_PROFILE !== '0') {
      const missedInference = !('ms' in ort) || inferMs / ort.ms > inferenceTarget;
      if (missedInference) await emitProfile(`${name} generator inference (tfjs kernels)`, () => tf.tidy(() => void w.forward(a).dataSync()), nativeKernelNames, 8);
      const missedTraining = !torch.ok || trainMs / torch.result.train_ms > trainingTarget;
      if (missedTraining) await emitProfile(`${name} train step`, () => w.step(a, b), nativeKernelNames);
    }
  } finally {
    dir.dispose();
    tf.dispose([a, b]);
  }
}

export const pix2pix = (size: number, trainSteps: number) => (): Promise<void> =>
  imageToImageCase(
    `pix2pix-${size}`,
    size,
    trainSteps,
    () => {
      const model = createPix2pix(pix2pixConfig(size, { seed: 1 }));
      const trainer = createPix2pixTrainer(model);
      return { forward: (a) => unetGenerator(model.generator, a, evalMode), weights: namedVariables(model.generator), step: (a, b) => void trainer.step(a, b) };
    },
    { script: 'pix2pix.py', args: [] },
  );

export const cyclegan = (size: number, trainSteps: number) => (): Promise<void> =>
  imageToImageCase(
    `cyclegan-${size}`,
    size,
    trainSteps,
    () => {
      const model = createCyclegan(cycleganConfig({ imageSize: size, seed: 1 }));
      const trainer = createCycleganTrainer(model);
      return { forward: (a) => resnetGenerator(model.gA, a, evalMode), weights: namedVariables(model.gA), step: (a, b) => void trainer.step(a, b) };
    },
    { script: 'cyclegan.py', args: [] },
  );
