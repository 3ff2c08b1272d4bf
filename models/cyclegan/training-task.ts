// CycleGAN's training task: trains on two folders of unpaired images — live losses, sample grids of both cycles,
// checkpoints (periodic, and on pause) from which a later job continues exactly; at the end, the model folder
// holding both generators.
import type { z } from 'zod';
import { randomCropAndFlip, referenceLoadSize } from '../common/crop-and-flip.js';
import type { ParamTree } from '../common/param-tree.js';
import { epochStep, steppedRun, type ImageSet, type TrainingHost } from '../common/training-host.js';
import { cycleganConfig } from './config.js';
import type { cycleganFamily } from './family.js';
import { cycleganParts } from './networks.js';
import { CycleGANRun, type CycleGANSnapshot } from './train.js';

type Task = (typeof cycleganFamily)['training']['task'];

/** Images of each domain in every sample grid (held-out ones first), each a row: input, translation, reconstruction. */
const SAMPLE_IMAGES_PER_DOMAIN = 2;

/**
 * The parts of a CycleGAN model folder: both generators, as the studio translates A → B and B → A with the one model
 * (the discriminators stay in the checkpoints). The training task's final save, and the demo's ship script.
 */
export function cycleganModelParts(run: CycleGANRun): Record<'generatorAB' | 'generatorBA', ParamTree> {
  const { generatorAB, generatorBA } = cycleganParts(run.model);
  return { generatorAB, generatorBA };
}

export async function trainCycleGAN(params: z.output<Task['params']>, host: TrainingHost): Promise<z.output<Task['result']>> {
  const { imageSize } = params.config;
  // Stored at the reference's load size (143 px for 128 crops) so every step cuts its own random crop.
  const storedSize = referenceLoadSize(imageSize);
  const read = (dataDir: string, label: string): ReturnType<TrainingHost['readImageFolder']> =>
    host.readImageFolder({ dataDir, label, resolution: storedSize, heldOutFraction: params.heldOutFraction, seed: params.seed, margin: params.margin });
  const domains = { A: await read(params.dataA, 'A'), B: await read(params.dataB, 'B') };
  const perDomain = Object.entries(domains);
  host.emit({
    kind: 'dataset',
    train: domains.A.train.length + domains.B.train.length,
    test: domains.A.test.length + domains.B.test.length,
    skipped: perDomain.flatMap(([label, data]) => data.skipped.map((s) => ({ ...s, file: `${label}: ${s.file}` }))),
    notices: perDomain.flatMap(([label, data]) => data.notices.map((notice) => `${label}: ${notice}`)),
    domains: Object.fromEntries(perDomain.map(([label, data]) => [label, { train: data.train.length, test: data.test.length }])),
  });
  const data = { a: domains.A.train, b: domains.B.train };
  const config = cycleganConfig({ ...params.config, seed: params.seed });

  const checkpoint = await host.startingCheckpoint<CycleGANSnapshot>({ runTensors: true });
  let run: CycleGANRun;
  if (checkpoint === null) {
    run = CycleGANRun.create(config, data, randomCropAndFlip, params.seed);
  } else {
    host.checkSettings(checkpoint.dir, checkpoint.snapshot.config, config, ['imageSize', 'ngf', 'ndf', 'nBlocks', 'batchSize', 'epochs', 'epochsDecay', 'lambdaIdentity']);
    run = await CycleGANRun.resume(checkpoint.snapshot, data, randomCropAndFlip);
  }
  try {
    if (checkpoint !== null) host.emit({ kind: 'resumed', step: run.stepCount });
    // Fixed images for every grid, held-out ones first, so grids of one run compare step to step.
    const fixed = ({ test, train }: { test: ImageSet; train: ImageSet }): Uint8Array[] =>
      [...Array.from({ length: test.length }, (_, i) => test.read(i)), ...Array.from({ length: Math.min(train.length, SAMPLE_IMAGES_PER_DOMAIN) }, (_, i) => train.read(i))].slice(0, SAMPLE_IMAGES_PER_DOMAIN);
    const sampleA = fixed(domains.A);
    const sampleB = fixed(domains.B);
    const sampleNow = (): Promise<void> => host.writeSampleGrid(run.stepCount, run.sample(sampleA, sampleB, storedSize), imageSize);

    const stepped = steppedRun(run, epochStep);
    await host.drive(stepped, params, { sampleNow, checkpointProvenance: () => ({ dataset: params.datasetRecipe ?? null }) });
    if (!run.done) return { steps: run.stepCount, modelDir: null };
    await host.saveModel({ config: run.config, parts: cycleganModelParts(run), steps: run.stepCount, provenance: { dataset: params.datasetRecipe ?? null, metrics: {} } });
    host.emit({ kind: 'model', dir: params.modelDir, step: run.stepCount, metrics: {} });
    return { steps: run.stepCount, modelDir: params.modelDir };
  } finally {
    run.dispose();
  }
}
