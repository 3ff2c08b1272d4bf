// Engine task: trains a progressive GAN on a folder of images — live WGAN-GP losses and the growing resolution, seed
// grids of Gs, checkpoints from which a later job continues exactly; at the end, the model folder holding Gs.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadPGGANCheckpoint } from '../../model-files/checkpoint.js';
import { hostTensors, saveModel } from '../../model-files/model-folder.js';
import { pgganConfig } from '../../../models/pggan/config.js';
import { PGGANRun } from '../../../models/pggan/train.js';
import type { EngineParams, EngineResult, TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { kidEvaluation, readTrainingImages, seedGrid } from './image-folder-training.js';
import { checkCheckpointSettings, driveTraining, saveSampleGrid, startingCheckpoint, steppedRun } from './training-loop.js';

const SAMPLE_SEEDS = Array.from({ length: 16 }, (_, i) => i);

export async function trainPGGANTask(params: EngineParams<'train.pggan'>, ctx: EngineTaskContext<TrainingItem>): Promise<EngineResult<'train.pggan'>> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  const { resolution } = params.config;
  const data = await readTrainingImages(ctx, { ...params, resolution });
  const config = pgganConfig(resolution, { ...params.config, seed: params.seed });
  const checkpoint = await startingCheckpoint(params.runDir, params.continueFrom);
  let run: PGGANRun;
  if (checkpoint === null) {
    run = PGGANRun.create(config, data.train, params.totalKimg, params.seed);
  } else {
    const snapshot = await loadPGGANCheckpoint(checkpoint.dir);
    checkCheckpointSettings(checkpoint.dir, snapshot.config, config, ['resolution', 'fmapBase', 'fmapMax', 'batchSize', 'lodTrainingKimg', 'lodTransitionKimg']);
    run = await PGGANRun.resume({ ...snapshot, state: { ...snapshot.state, totalKimg: params.totalKimg } }, data.train);
  }
  try {
    if (checkpoint !== null) emit({ kind: 'resumed', step: run.stepCount });
    const sampleNow = async (): Promise<void> => {
      // At the resolution being trained, shown at full size so grids of one run line up.
      const images = tf.tidy(() => tf.image.resizeNearestNeighbor(run.sample(SAMPLE_SEEDS), [resolution, resolution]));
      const file = await saveSampleGrid(params.runDir, run.stepCount, await seedGrid(images, 4));
      emit({ kind: 'sample', step: run.stepCount, path: file });
    };
    const stepped = steppedRun(run, ({ resolution: r, alpha, ...losses }) => ({
      values: { ...losses, resolution: r, alpha },
      stage: alpha < 1 ? `Fading in ${r} px (${Math.round(alpha * 100)}%)` : `Training at ${r} px`,
    }));
    const metrics: Record<string, number> = {};
    const kid = kidEvaluation(ctx, data.train, params.kidImages, (seeds) => run.sample(seeds), stepped, metrics);
    try {
      await driveTraining(stepped, { ...params, evaluateEvery: params.kidEvery }, ctx, { sampleNow, evaluateNow: kid.evaluateNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics }) });
    } finally {
      kid.dispose();
    }
    if (!run.done) return { steps: run.stepCount, modelDir: null };
    await saveModel(
      params.modelDir,
      {
        family: 'pggan',
        config: run.config,
        tensors: hostTensors(run.generatorEma, 'generator'), // Gs, as the reference's snapshots
        licence: params.licence ?? { spdx: 'LicenseRef-user-trained' },
        provenance: { run: path.basename(params.runDir), steps: run.stepCount, dataset: params.datasetRecipe ?? null, metrics },
      },
      { fp16: params.fp16 },
    );
    emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
