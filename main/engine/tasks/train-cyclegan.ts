// Engine task: trains CycleGAN on two folders of unpaired images — live losses, sample grids of both cycles,
// checkpoints (periodic, and on pause) from which a later job continues exactly; at the end, the model folder
// holding both generators.
import path from 'node:path';
import { contactSheet } from '../../data/contact-sheet.js';
import { randomCropAndFlip, referenceLoadSize } from '../../../models/common/crop-and-flip.js';
import type { ImageSet } from '../../data/image-folder-dataset.js';
import { loadCycleGANCheckpoint } from '../../model-files/checkpoint.js';
import { hostTensors, saveModel, type ModelJson, type SaveModelInput } from '../../model-files/model-folder.js';
import { cycleganConfig } from '../../../models/cyclegan/config.js';
import { cycleganParts } from '../../../models/cyclegan/networks.js';
import { CycleGANRun } from '../../../models/cyclegan/train.js';
import type { EngineParams, EngineResult, TrainingItem } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { loadTrainingFolder } from './image-folder-training.js';
import { checkCheckpointSettings, driveTraining, epochStep, saveSampleGrid, startingCheckpoint, steppedRun } from './training-loop.js';

/** Images of each domain in every sample grid (held-out ones first), each a row: input, translation, reconstruction. */
const SAMPLE_IMAGES_PER_DOMAIN = 2;

/**
 * The model folder of a CycleGAN run: both generators, as the studio translates A → B and B → A with the one model
 * (the discriminators stay in the checkpoints). The training job's final save, and the demo's ship script.
 */
export function saveCycleGANModel(modelDir: string, run: CycleGANRun, record: Pick<SaveModelInput, 'licence' | 'provenance'>, options: { fp16: boolean }): Promise<ModelJson> {
  const { generatorAB, generatorBA } = cycleganParts(run.model);
  const tensors = new Map([...hostTensors(generatorAB, 'generatorAB'), ...hostTensors(generatorBA, 'generatorBA')]);
  return saveModel(modelDir, { family: 'cyclegan', config: run.config, tensors, ...record }, options);
}

export async function trainCycleGANTask(params: EngineParams<'train.cyclegan'>, ctx: EngineTaskContext<TrainingItem>): Promise<EngineResult<'train.cyclegan'>> {
  const emit = (item: TrainingItem): void => ctx.emitItem(item);
  const { imageSize } = params.config;
  // Stored at the reference's load size (143 px for 128 crops) so every step cuts its own random crop.
  const storedSize = referenceLoadSize(imageSize);
  const read = (dataDir: string, label: string): ReturnType<typeof loadTrainingFolder> =>
    loadTrainingFolder(ctx, { dataDir, label, resolution: storedSize, heldOutFraction: params.heldOutFraction, seed: params.seed, margin: params.margin });
  const domains = { A: await read(params.dataA, 'A'), B: await read(params.dataB, 'B') };
  const perDomain = Object.entries(domains);
  emit({
    kind: 'dataset',
    train: domains.A.train.length + domains.B.train.length,
    test: domains.A.test.length + domains.B.test.length,
    skipped: perDomain.flatMap(([label, data]) => data.skipped.map((s) => ({ ...s, file: `${label}: ${s.file}` }))),
    notices: perDomain.flatMap(([label, data]) => data.notices.map((notice) => `${label}: ${notice}`)),
    domains: Object.fromEntries(perDomain.map(([label, data]) => [label, { train: data.train.length, test: data.test.length }])),
  });
  const data = { a: domains.A.train, b: domains.B.train };
  const config = cycleganConfig({ ...params.config, seed: params.seed });

  const checkpoint = await startingCheckpoint(params.runDir, params.continueFrom);
  let run: CycleGANRun;
  if (checkpoint === null) {
    run = CycleGANRun.create(config, data, randomCropAndFlip, params.seed);
  } else {
    const snapshot = await loadCycleGANCheckpoint(checkpoint.dir);
    checkCheckpointSettings(checkpoint.dir, snapshot.config, config, ['imageSize', 'ngf', 'ndf', 'nBlocks', 'batchSize', 'epochs', 'epochsDecay', 'lambdaIdentity']);
    run = await CycleGANRun.resume(snapshot, data, randomCropAndFlip);
  }
  try {
    if (checkpoint !== null) emit({ kind: 'resumed', step: run.stepCount });
    // Fixed images for every grid, held-out ones first, so grids of one run compare step to step.
    const fixed = ({ test, train }: { test: ImageSet; train: ImageSet }): Uint8Array[] =>
      [...Array.from({ length: test.length }, (_, i) => test.read(i)), ...Array.from({ length: Math.min(train.length, SAMPLE_IMAGES_PER_DOMAIN) }, (_, i) => train.read(i))].slice(0, SAMPLE_IMAGES_PER_DOMAIN);
    const sampleA = fixed(domains.A);
    const sampleB = fixed(domains.B);
    const sampleNow = async (): Promise<void> => {
      const file = await saveSampleGrid(params.runDir, run.stepCount, await contactSheet(run.sample(sampleA, sampleB, storedSize), imageSize));
      emit({ kind: 'sample', step: run.stepCount, path: file });
    };

    const stepped = steppedRun(run, epochStep);
    await driveTraining(stepped, params, ctx, { sampleNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null }) });
    if (!run.done) return { steps: run.stepCount, modelDir: null };
    await saveCycleGANModel(
      params.modelDir,
      run,
      {
        licence: params.licence ?? { spdx: 'LicenseRef-user-trained' },
        provenance: { run: path.basename(params.runDir), steps: run.stepCount, dataset: params.datasetRecipe ?? null, metrics: {} },
      },
      { fp16: params.fp16 },
    );
    emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics: {} });
    return { steps: run.stepCount, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
