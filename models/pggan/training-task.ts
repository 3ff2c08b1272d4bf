// PGGAN's training task: trains a progressive GAN on a folder of images — live WGAN-GP losses and the growing
// resolution, seed grids of Gs, checkpoints from which a later job continues exactly; at the end, the model folder
// holding Gs.
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { readTrainingImages, seedGridRows, steppedRun, type TrainingHost } from '../common/training-host.js';
import { pgganConfig } from './config.js';
import type { pgganFamily } from './family.js';
import { PGGANRun, type PGGANSnapshot } from './train.js';

type Task = (typeof pgganFamily)['training']['task'];

const SAMPLE_SEEDS = Array.from({ length: 16 }, (_, i) => i);

export async function trainPGGAN(params: z.output<Task['params']>, host: TrainingHost): Promise<z.output<Task['result']>> {
  const { resolution } = params.config;
  const data = await readTrainingImages(host, { ...params, resolution });
  const config = pgganConfig(resolution, { ...params.config, seed: params.seed });
  const checkpoint = await host.startingCheckpoint<PGGANSnapshot>();
  let run: PGGANRun;
  if (checkpoint === null) {
    run = PGGANRun.create(config, data.train, params.totalKimg, params.seed);
  } else {
    const { snapshot } = checkpoint;
    host.checkSettings(checkpoint.dir, snapshot.config, config, ['resolution', 'fmapBase', 'fmapMax', 'batchSize', 'lodTrainingKimg', 'lodTransitionKimg']);
    run = await PGGANRun.resume({ ...snapshot, state: { ...snapshot.state, totalKimg: params.totalKimg } }, data.train);
  }
  try {
    if (checkpoint !== null) host.emit({ kind: 'resumed', step: run.stepCount });
    const sampleNow = async (): Promise<void> => {
      // At the resolution being trained, shown at full size so grids of one run line up.
      const images = tf.tidy(() => tf.image.resizeNearestNeighbor(run.sample(SAMPLE_SEEDS), [resolution, resolution]));
      const grid = seedGridRows(images, 4);
      await host.writeSampleGrid(run.stepCount, grid.rows, grid.size);
    };
    const stepped = steppedRun(run, ({ resolution: r, alpha, ...losses }) => ({
      values: { ...losses, resolution: r, alpha },
      stage: alpha < 1 ? `Fading in ${r} px (${Math.round(alpha * 100)}%)` : `Training at ${r} px`,
    }));
    const metrics: Record<string, number> = {};
    const kid = host.kidEvaluation(data.train, params.kidImages, (seeds) => run.sample(seeds), stepped, metrics);
    try {
      await host.drive(stepped, { ...params, evaluateEvery: params.kidEvery }, { sampleNow, evaluateNow: kid.evaluateNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics }) });
    } finally {
      kid.dispose();
    }
    if (!run.done) return { steps: run.stepCount, modelDir: null };
    // Gs, as the reference's snapshots
    await host.saveModel({ config: run.config, parts: { generator: run.generatorEma }, steps: run.stepCount, provenance: { dataset: params.datasetRecipe ?? null, metrics } });
    host.emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
