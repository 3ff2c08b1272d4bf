// pix2pix's training task: trains on a prepared dataset — steps with live losses, sample grids and held-out L1/PSNR,
// and checkpoints (periodic, and on pause) from which a later job continues exactly; at the end, the model folder.
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { rgbToSigned, signedToRgb } from '../common/image-tensor.js';
import { epochStep, steppedRun, type TrainingHost } from '../common/training-host.js';
import { pix2pixConfig } from './config.js';
import type { pix2pixFamily } from './family.js';
import { pix2pixInferenceMode, unetGenerator } from './networks.js';
import { centreCrop, Pix2pixRun, type Pix2pixSnapshot } from './train.js';

type Task = (typeof pix2pixFamily)['training']['task'];

const SAMPLE_ROWS = 3;

export async function trainPix2pix(params: z.output<Task['params']>, host: TrainingHost): Promise<z.output<Task['result']>> {
  host.progress('Loading the dataset');
  const { train, test, augment } = await host.readPairedDataset(params.datasetDir);
  if (train.length === 0) throw host.refusal('INVALID_PARAMS', 'The dataset has no training pairs.');
  const config = pix2pixConfig(params.config.imageSize, { ...params.config, seed: params.seed });

  const checkpoint = await host.startingCheckpoint<Pix2pixSnapshot>();
  let run: Pix2pixRun;
  if (checkpoint === null) {
    run = Pix2pixRun.create(config, train, augment, params.seed);
  } else {
    host.checkSettings(checkpoint.dir, checkpoint.snapshot.config, config, ['imageSize', 'ngf', 'ndf', 'batchSize', 'epochs', 'epochsDecay']);
    run = await Pix2pixRun.resume(checkpoint.snapshot, train, augment);
  }
  try {
    if (checkpoint !== null) host.emit({ kind: 'resumed', step: run.stepCount });
    const size = run.config.imageSize;
    // Fixed pairs for every sample grid, held-out ones first, so grids of one run compare step to step.
    const samplePairs = [...Array.from({ length: test.length }, (_, i) => test.read(i)), ...Array.from({ length: Math.min(train.length, SAMPLE_ROWS) }, (_, i) => train.read(i))]
      .slice(0, SAMPLE_ROWS)
      .map((p) => centreCrop(p, size));
    let metrics: Record<string, number> = {};

    const sampleNow = async (): Promise<void> => {
      const outputs = samplePairs.map((pair) =>
        tf.tidy(() => signedToRgb(unetGenerator(run.model.generator, tf.tensor4d(rgbToSigned(pair.a), [1, size, size, 3]), pix2pixInferenceMode).dataSync())),
      );
      await host.writeSampleGrid(
        run.stepCount,
        samplePairs.map((p, i) => [p.a, outputs[i]!, p.b]),
        size,
      );
      if (test.length > 0) {
        const { l1, psnr } = run.evaluate(test);
        metrics = { test_l1: l1, test_psnr: psnr };
        host.emit({ kind: 'metrics', step: run.stepCount, values: metrics });
      }
    };

    const stepped = steppedRun(run, epochStep);
    await host.drive(stepped, params, { sampleNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics }) });
    if (!run.done) return { steps: run.stepCount, metrics, modelDir: null };
    await host.saveModel({ config: run.config, parts: { generator: run.model.generator }, steps: run.stepCount, provenance: { dataset: params.datasetRecipe ?? null, metrics } });
    host.emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, metrics, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
