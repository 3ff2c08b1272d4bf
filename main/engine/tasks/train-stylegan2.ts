// Engine task: trains StyleGAN2 on a folder of images — live losses, seed grids of G_ema, checkpoints (periodic and
// on pause) from which a later job continues exactly; at the end, the model folder holding G_ema.
import path from 'node:path';
import { loadStyleGAN2Checkpoint, loadStyleGAN2FineTuneSource } from '../../model-files/checkpoint.js';
import { hostTensors, saveModel } from '../../model-files/model-folder.js';
import { styleGAN2Config } from '../../../models/stylegan/config.js';
import { StyleGAN2Run } from '../../../models/stylegan/train.js';
import { diffAugmentPolicy } from '../../../models/common/diff-augment.js';
import { StudioError } from '../../api/errors.js';
import type { EngineParams, EngineResult, TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { kidEvaluation, readTrainingImages, seedGrid } from './image-folder-training.js';
import { checkCheckpointSettings, driveTraining, saveSampleGrid, startingCheckpoint, steppedRun } from './training-loop.js';

/** Seeds of every sample grid, the same for the whole run so grids compare step to step: 0…15 as a 4 × 4 grid. */
const SAMPLE_SEEDS = Array.from({ length: 16 }, (_, i) => i);
const SAMPLE_COLUMNS = 4;

export async function trainStyleGAN2Task(params: EngineParams<'train.stylegan2'>, ctx: EngineTaskContext<TrainingItem>): Promise<EngineResult<'train.stylegan2'>> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  const { resolution } = params.config;
  const data = await readTrainingImages(ctx, { ...params, resolution });
  const { r1Gamma, ...sizes } = params.config;
  const config = styleGAN2Config(resolution, { ...sizes, ...(r1Gamma === undefined ? {} : { r1Gamma }), augment: diffAugmentPolicy(params.augment), seed: params.seed });

  if (params.fineTuneFrom !== undefined && params.continueFrom !== undefined) {
    throw new StudioError('INVALID_PARAMS', 'A run either continues a checkpoint or fine-tunes from one, not both.');
  }
  const checkpoint = await startingCheckpoint(params.runDir, params.continueFrom);
  const options = { totalKimg: params.totalKimg, mirror: params.mirror };
  let run: StyleGAN2Run;
  if (checkpoint === null && params.fineTuneFrom !== undefined) {
    const source = await loadStyleGAN2FineTuneSource(params.fineTuneFrom);
    checkCheckpointSettings(source.dir, source.config, config, ['resolution', 'channelBase', 'channelMax', 'mappingLayers']);
    run = StyleGAN2Run.fineTune(source.weights, config, data.train, options, params.seed);
  } else if (checkpoint === null) {
    run = StyleGAN2Run.create(config, data.train, options, params.seed);
  } else {
    const snapshot = await loadStyleGAN2Checkpoint(checkpoint.dir);
    checkCheckpointSettings(checkpoint.dir, snapshot.config, config, ['resolution', 'channelBase', 'channelMax', 'mappingLayers', 'batchSize', 'r1Gamma']);
    // The length may grow: a run resumed with more kimg trains on from where it stopped.
    // Augmentation is a training setting: a run may go on with it switched on or off (e.g. once D starts to memorise).
    run = await StyleGAN2Run.resume({ ...snapshot, config: { ...snapshot.config, augment: config.augment }, state: { ...snapshot.state, totalKimg: params.totalKimg } }, data.train);
  }
  // The lineage of a fine-tuned model: the checkpoint, run or model folder its networks started from, as the job names it
  // (a resumed job loads no source, and still says where the run began), kept by its checkpoints and its model.
  const fineTunedFrom = params.fineTuneFrom === undefined ? {} : { fineTunedFrom: params.fineTuneFrom };
  try {
    if (checkpoint !== null) emit({ kind: 'resumed', step: run.stepCount });
    const sampleNow = async (): Promise<void> => {
      const file = await saveSampleGrid(params.runDir, run.stepCount, await seedGrid(run.sample(SAMPLE_SEEDS), SAMPLE_COLUMNS));
      emit({ kind: 'sample', step: run.stepCount, path: file });
    };
    const stepped = steppedRun(run, (report) => ({ values: { ...report.losses, kimg: report.kimg }, stage: `Training, ${report.kimg.toFixed(1)} kimg` }));
    const metrics: Record<string, number> = {};
    const kid = kidEvaluation(ctx, data.train, params.kidImages, (seeds) => run.sample(seeds), stepped, metrics);
    try {
      await driveTraining(stepped, { ...params, evaluateEvery: params.kidEvery }, ctx, { sampleNow, evaluateNow: kid.evaluateNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics, ...fineTunedFrom }) });
    } finally {
      kid.dispose();
    }
    if (!run.done) return { steps: run.stepCount, kimg: run.kimg, modelDir: null };
    await saveModel(
      params.modelDir,
      {
        family: 'stylegan2',
        config: run.config,
        // G_ema is the generator users get (the reference's network snapshots export G_ema).
        tensors: hostTensors(run.generatorEma, 'generator'),
        licence: params.licence ?? { spdx: 'LicenseRef-user-trained' },
        provenance: { run: path.basename(params.runDir), steps: run.stepCount, dataset: params.datasetRecipe ?? null, metrics, ...fineTunedFrom },
      },
      { fp16: params.fp16 },
    );
    emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, kimg: run.kimg, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
