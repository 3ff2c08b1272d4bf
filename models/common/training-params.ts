// What every family's training task takes from main/ besides its own settings (plain zod): where its run, data and
// model go, its schedule, what its result says and what it streams as it goes. Each descriptor (models/<family>/family.ts) extends these into its
// task's params and result; main/engine/engine-api.ts lists them with the other engine tasks.
import { z } from 'zod';

/**
 * A measured value the engine reports (a loss, PSNR, KID, a timing): any number, NaN and ±Infinity included, as zod's
 * z.number() is not. A diverging run's NaN loss or an exact reconstruction's infinite PSNR is a result, not a fault.
 */
export const Measure = z.custom<number>((value) => typeof value === 'number', 'Expected a number');
export const Measures = z.record(z.string(), Measure);

export const Licence = z.object({ spdx: z.string(), attribution: z.string().optional() });

/** Engine params of every training task besides its data and network settings (`config`). */
export const TrainingRunParams = z.object({
  runDir: z.string(), // checkpoints/ and samples/ of this training run (shared by the jobs that resume it)
  modelDir: z.string(), // where the finished model is saved
  seed: z.number().int(),
  checkpointEvery: z.number().int().min(1),
  sampleEvery: z.number().int().min(1),
  untilStep: z.number().int().min(1).optional(), // stop (with a checkpoint) once this many steps are done
  continueFrom: z.string().optional(), // a checkpoint folder to start from when the run has none of its own yet
  fp16: z.boolean().default(false), // store the finished model's filters as float16
  licence: Licence.optional(),
  datasetRecipe: z.unknown().optional(),
});

/** Engine params every unconditional family (StyleGAN2, PGGAN) takes besides its network settings (`config`). */
export const ImageFolderTrainingParams = TrainingRunParams.extend({
  dataDir: z.string(), // a folder of images
  margin: z.number().min(0).max(1).optional(),
  heldOutFraction: z.number().min(0).lt(1).default(0.05), // images kept out of training (inversion and KID)
  totalKimg: z.number().positive(),
  kidEvery: z.number().int().min(1).optional(), // iterations between KID measurements (and once at the end)
  kidImages: z.number().int().min(2).default(256), // generated and real images per KID measurement
});

/** A training task's result: steps trained, and the model folder when the run finished (null when paused). */
export const TrainingResult = z.object({ steps: z.number(), modelDir: z.string().nullable() });

/** A file of the training data that could not be read, and why. */
export const SkippedFile = z.object({ file: z.string(), reason: z.string() });

/** Images of each domain of an unpaired run (CycleGAN's A and B), where `train`/`test` of a 'dataset' item add them up. */
export const DatasetDomains = z.record(z.string(), z.object({ train: z.number(), test: z.number() }));
export type DatasetDomains = z.infer<typeof DatasetDomains>;

/** What a training task streams to main/ as it goes, each stored at once. */
export const TrainingItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resumed'), step: z.number() }), // continuing from the checkpoint at `step`
  // what was read
  z.object({ kind: z.literal('dataset'), train: z.number(), test: z.number(), skipped: z.array(SkippedFile), notices: z.array(z.string()), domains: DatasetDomains.optional() }),
  z.object({ kind: z.literal('metrics'), step: z.number(), total: z.number().optional(), values: Measures }), // total: the run's steps
  z.object({ kind: z.literal('sample'), step: z.number(), path: z.string() }), // a PNG grid of the run's fixed samples
  z.object({ kind: z.literal('checkpoint'), step: z.number(), dir: z.string() }),
  z.object({ kind: z.literal('model'), dir: z.string(), step: z.number(), metrics: Measures }),
]);
export type TrainingItem = z.infer<typeof TrainingItem>;
