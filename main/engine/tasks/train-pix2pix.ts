// Engine task: trains pix2pix on a prepared dataset — steps with live losses, sample grids and held-out L1/PSNR, and
// checkpoints (periodic, and on pause) from which a later job continues exactly; at the end, the model folder.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { StudioError } from '../../api/errors.js';
import { augmentPair } from '../../data/augment.js';
import { contactSheet } from '../../data/contact-sheet.js';
import { rgbToSigned, signedToRgb } from '../../../models/common/image-tensor.js';
import { loadPairedDataset } from '../../data/prepare-pairs.js';
import { loadPix2pixCheckpoint } from '../../model-files/checkpoint.js';
import { hostTensors, saveModel } from '../../model-files/model-folder.js';
import { pix2pixConfig } from '../../../models/pix2pix/config.js';
import { pix2pixInferenceMode, unetGenerator } from '../../../models/pix2pix/networks.js';
import { centreCrop, Pix2pixRun } from '../../../models/pix2pix/train.js';
import type { EngineParams, EngineResult, TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { checkCheckpointSettings, driveTraining, epochStep, saveSampleGrid, startingCheckpoint, steppedRun } from './training-loop.js';

const SAMPLE_ROWS = 3;

export async function trainPix2pixTask(params: EngineParams<'train.pix2pix'>, ctx: EngineTaskContext<TrainingItem>): Promise<EngineResult<'train.pix2pix'>> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  ctx.onProgress({ stage: 'Loading the dataset', step: 0, total: 0 });
  const train = await loadPairedDataset(params.datasetDir, 'train');
  const test = await loadPairedDataset(params.datasetDir, 'test');
  if (train.length === 0) throw new StudioError('INVALID_PARAMS', 'The dataset has no training pairs.');
  const config = pix2pixConfig(params.config.imageSize, { ...params.config, seed: params.seed });

  const checkpoint = await startingCheckpoint(params.runDir, params.continueFrom);
  let run: Pix2pixRun;
  if (checkpoint === null) {
    run = Pix2pixRun.create(config, train, augmentPair, params.seed);
  } else {
    const snapshot = await loadPix2pixCheckpoint(checkpoint.dir);
    checkCheckpointSettings(checkpoint.dir, snapshot.config, config, ['imageSize', 'ngf', 'ndf', 'batchSize', 'epochs', 'epochsDecay']);
    run = await Pix2pixRun.resume(snapshot, train, augmentPair);
  }
  try {
    if (checkpoint !== null) emit({ kind: 'resumed', step: run.stepCount });
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
      const file = await saveSampleGrid(params.runDir, run.stepCount, await contactSheet(samplePairs.map((p, i) => [p.a, outputs[i]!, p.b]), size));
      emit({ kind: 'sample', step: run.stepCount, path: file });
      if (test.length > 0) {
        const { l1, psnr } = run.evaluate(test);
        metrics = { test_l1: l1, test_psnr: psnr };
        emit({ kind: 'metrics', step: run.stepCount, values: metrics });
      }
    };

    const stepped = steppedRun(run, epochStep);
    await driveTraining(stepped, params, ctx, { sampleNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics }) });
    if (!run.done) return { steps: run.stepCount, metrics, modelDir: null };
    await saveModel(
      params.modelDir,
      {
        family: 'pix2pix',
        config: run.config,
        tensors: hostTensors(run.model.generator, 'generator'),
        licence: params.licence ?? { spdx: 'LicenseRef-user-trained' },
        provenance: { run: path.basename(params.runDir), steps: run.stepCount, dataset: params.datasetRecipe ?? null, metrics },
      },
      { fp16: params.fp16 },
    );
    emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, metrics, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
