// StyleGAN2's training task: trains on a folder of images — live losses, seed grids of G_ema, checkpoints (periodic
// and on pause) from which a later job continues exactly, or fine-tunes trained networks; at the end, the model folder
// holding G_ema.
import type { z } from 'zod';
import { diffAugmentPolicy } from '../common/diff-augment.js';
import type { HostTensor } from '../common/host-tensor.js';
import { readTrainingImages, seedGridRows, steppedRun, type TrainingHost } from '../common/training-host.js';
import { styleGAN2Config, type StyleGAN2Config } from './config.js';
import type { styleGAN2Family } from './family.js';
import { StyleGAN2Run, type StyleGAN2Snapshot } from './train.js';

type Task = (typeof styleGAN2Family)['training']['task'];

/** Seeds of every sample grid, the same for the whole run so grids compare step to step: 0…15 as a 4 × 4 grid. */
const SAMPLE_SEEDS = Array.from({ length: 16 }, (_, i) => i);
const SAMPLE_COLUMNS = 4;

/** A model folder's weights as a fine-tune's start: its generator is G_ema, and starts both G and G_ema (in a trained run the two are close). */
function withGeneratorAsEma(weights: ReadonlyMap<string, HostTensor>): Map<string, HostTensor> {
  const all = new Map(weights);
  for (const [name, tensor] of weights) if (name.startsWith('generator.')) all.set(`generatorEma.${name.slice('generator.'.length)}`, tensor);
  return all;
}

export async function trainStyleGAN2(params: z.output<Task['params']>, host: TrainingHost): Promise<z.output<Task['result']>> {
  const { resolution } = params.config;
  const data = await readTrainingImages(host, { ...params, resolution });
  const { r1Gamma, ...sizes } = params.config;
  const config = styleGAN2Config(resolution, { ...sizes, ...(r1Gamma === undefined ? {} : { r1Gamma }), augment: diffAugmentPolicy(params.augment), seed: params.seed });

  if (params.fineTuneFrom !== undefined && params.continueFrom !== undefined) {
    throw host.refusal('INVALID_PARAMS', 'A run either continues a checkpoint or fine-tunes from one, not both.');
  }
  const checkpoint = await host.startingCheckpoint<StyleGAN2Snapshot>();
  const options = { totalKimg: params.totalKimg, mirror: params.mirror };
  let run: StyleGAN2Run;
  if (checkpoint === null && params.fineTuneFrom !== undefined) {
    const source = await host.loadFineTuneSource(params.fineTuneFrom);
    const sourceConfig = source.config as StyleGAN2Config;
    host.checkSettings(source.dir, sourceConfig, config, ['resolution', 'channelBase', 'channelMax', 'mappingLayers']);
    run = StyleGAN2Run.fineTune(source.fromModel ? withGeneratorAsEma(source.weights) : source.weights, config, data.train, options, params.seed);
  } else if (checkpoint === null) {
    run = StyleGAN2Run.create(config, data.train, options, params.seed);
  } else {
    const { snapshot } = checkpoint;
    host.checkSettings(checkpoint.dir, snapshot.config, config, ['resolution', 'channelBase', 'channelMax', 'mappingLayers', 'batchSize', 'r1Gamma']);
    // The length may grow: a run resumed with more kimg trains on from where it stopped.
    // Augmentation is a training setting: a run may go on with it switched on or off (e.g. once D starts to memorise).
    run = await StyleGAN2Run.resume({ ...snapshot, config: { ...snapshot.config, augment: config.augment }, state: { ...snapshot.state, totalKimg: params.totalKimg } }, data.train);
  }
  // The lineage of a fine-tuned model: the checkpoint, run or model folder its networks started from, as the job names it
  // (a resumed job loads no source, and still says where the run began), kept by its checkpoints and its model.
  const fineTunedFrom = params.fineTuneFrom === undefined ? {} : { fineTunedFrom: params.fineTuneFrom };
  try {
    if (checkpoint !== null) host.emit({ kind: 'resumed', step: run.stepCount });
    const sampleNow = async (): Promise<void> => {
      const grid = seedGridRows(run.sample(SAMPLE_SEEDS), SAMPLE_COLUMNS);
      await host.writeSampleGrid(run.stepCount, grid.rows, grid.size);
    };
    const stepped = steppedRun(run, (report) => ({ values: { ...report.losses, kimg: report.kimg }, stage: `Training, ${report.kimg.toFixed(1)} kimg` }));
    const metrics: Record<string, number> = {};
    const kid = host.kidEvaluation(data.train, params.kidImages, (seeds) => run.sample(seeds), stepped, metrics);
    try {
      await host.drive(stepped, { ...params, evaluateEvery: params.kidEvery }, { sampleNow, evaluateNow: kid.evaluateNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null, metrics, ...fineTunedFrom }) });
    } finally {
      kid.dispose();
    }
    if (!run.done) return { steps: run.stepCount, kimg: run.kimg, modelDir: null };
    // G_ema is the generator users get (the reference's network snapshots export G_ema).
    await host.saveModel({ config: run.config, parts: { generator: run.generatorEma }, steps: run.stepCount, provenance: { dataset: params.datasetRecipe ?? null, metrics, ...fineTunedFrom } });
    host.emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics });
    return { steps: run.stepCount, kimg: run.kimg, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
