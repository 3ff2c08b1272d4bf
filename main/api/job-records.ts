// What each kind of job keeps in its record: the params its handler stored and its outcome (Job.result), as zod schemas
// the contract's Job union is built from (contract.ts). Plain zod and TypeScript: the renderer imports these values.
// Records are parsed when read from the library, so these schemas also read the records older versions wrote.
import { z } from 'zod';
import type { TrainingData } from '../../models/common/family-descriptor.js';
import { families, type Family } from '../../models/families.js';
import { Id, MixSource, RejectedFile, trainingParams, TranslationDirection, type TrainingParamsSchema } from './job-params.js';

// ------------------------------------------------------------------------------------------------------------ params

/**
 * A training job's settings as stored: the contract's, plus `resumeOf` on a job that resumed a run (train.resume).
 * Unknown keys (settings an older version had) are dropped, not refused, and a path is read as it was stored: it
 * was checked when the job started, and a record must stay readable after the contract tightens.
 */
const storedTraining = { resumeOf: Id.optional(), continueFrom: z.string().optional() };
/** The data folders as stored (the handler made them absolute). */
const storedData = {
  'prepared-pairs': {},
  'two-folders': { dataA: z.string(), dataB: z.string() },
  'image-folder': { dataDir: z.string() },
} as const satisfies Record<TrainingData, z.ZodRawShape>;
// fineTuneFrom: the handler stores the folder it resolved (never { run } or { model }).
const storedFineTuning = { fineTuneFrom: z.string().optional() };

type StoredTrainingShape<F extends Family> = typeof storedTraining & (typeof storedData)[F['training']['data']] & (F['training'] extends { fineTunes: true } ? typeof storedFineTuning : Record<never, never>);
type StoredTrainingSchema<F extends Family> = z.ZodObject<Extract<z.util.Extend<TrainingParamsSchema<F>['shape'], StoredTrainingShape<F>>, z.ZodRawShape>, z.core.$strip>;

/**
 * Family F's training job params as stored. safeExtend: a schema keeps its refinement (StyleGAN2's continueFrom or
 * fineTuneFrom, not both), which zod does not let `extend` overwrite keys under.
 */
function storedTrainingOf<F extends Family>(family: F): StoredTrainingSchema<F> {
  const { training } = family;
  const fineTunes = 'fineTunes' in training && training.fineTunes;
  const stored = { ...storedTraining, ...storedData[training.data], ...(fineTunes ? storedFineTuning : {}) };
  return (trainingParams[family.name] as z.ZodObject).safeExtend(stored).strip() as unknown as StoredTrainingSchema<F>;
}

export const ImportFolderJobParams = z.object({ path: z.string(), recursive: z.boolean().default(true) });

/** Where training pairs come from, as stored (contract.ts's PairSourceParams, paths as given). */
export const PreparePairsJobParams = z.object({
  name: z.string(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('side-by-side'), dir: z.string() }),
    z.object({ kind: z.literal('two-folders'), aDir: z.string(), bDir: z.string() }),
    z.object({ kind: z.literal('photos'), dir: z.string(), margin: z.number().optional() }),
  ]),
  imageSize: z.number().int(),
});

/** What the 'stylegan.invert' handler resolved before starting the job. */
export const InvertJobParams = z.object({
  modelId: z.number().int(),
  assetId: z.number().int(),
  space: z.enum(['w', 'w+']),
  steps: z.number().int().min(1),
  seed: z.number().int(),
  modelFolder: z.string(),
  targetPath: z.string(),
});
export type InvertJobParams = z.infer<typeof InvertJobParams>;

/** A keyframe of a latent walk as the engine takes it: a seed's latent, or a stored latent's values. */
export const InterpolateKeyframe = z.union([
  z.object({ seed: z.number().int().min(0).max(2 ** 32 - 1), truncationPsi: z.number(), truncationCutoff: z.number().int().min(1).optional() }),
  z.object({ ws: z.array(z.number()) }),
]);

/** What the 'stylegan.interpolate' handler resolved before starting the job. */
export const InterpolateJobParams = z.object({
  modelId: z.number().int(),
  keyframes: z.array(MixSource), // as the artist chose them, recorded on the generation
  engineKeyframes: z.array(InterpolateKeyframe), // the same, latents resolved to their values
  framesPerTransition: z.number().int(),
  loop: z.boolean(),
  fps: z.number(),
  formats: z.array(z.enum(['gif', 'webm'])),
  modelFolder: z.string(),
});
export type InterpolateJobParams = z.infer<typeof InterpolateJobParams>;

export const UpscaleJobParams = z.object({
  assetIds: z.array(z.number().int()).min(1),
  model: z.enum(['slim', 'medium']),
  scale: z.union([z.literal(2), z.literal(4)]),
});
export type UpscaleJobParams = z.infer<typeof UpscaleJobParams>;

/** What the 'transfer.images' handler resolved before starting the job. */
export const TransferJobParams = z.object({
  modelId: z.number().int(),
  modelFolder: z.string(),
  direction: TranslationDirection,
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('assets'), assetIds: z.array(z.number().int()).min(1) }),
    z.object({ kind: z.literal('folder'), dir: z.string(), recursive: z.boolean() }), // absolute
    z.object({ kind: z.literal('files'), paths: z.array(z.string()).min(1) }), // absolute
  ]),
  exportDir: z.string().optional(), // absolute; default <project>/exports/transfer-<jobId>
  studioVersion: z.string(),
});
export type TransferJobParams = z.infer<typeof TransferJobParams>;

// ---------------------------------------------------------------------------------------------------------- outcomes

/** A measured value as a record keeps it: JSON has no NaN, so a NaN (a diverged run) comes back as null. */
const Measure = z.number().nullable();

/** An 'Import folder' job's counts and the files it refused; kept with each row, so a killed import still says them. */
export const ImportFolderOutcome = z.object({
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.array(RejectedFile),
});
export type ImportFolderOutcome = z.infer<typeof ImportFolderOutcome>;

/** A file a job could not use, and why (a dataset's unreadable images). */
const SkippedFile = z.object({ file: z.string(), reason: z.string() });

/** A 'Prepare training pairs' job's result: pairs for training and held out, and the files it skipped. */
export const PreparePairsOutcome = z.object({ train: z.number().int(), test: z.number().int(), skipped: z.array(SkippedFile) });
export type PreparePairsOutcome = z.infer<typeof PreparePairsOutcome>;

/** A training run's sample grid: the library asset it was filed as, and the step it shows. */
export const SampleGrid = z.object({ assetId: Id, step: z.number().int().nonnegative() });
export type SampleGrid = z.infer<typeof SampleGrid>;

/** What a training task read from its images: counts, files it could not use, adaptations worth knowing. */
export const TrainingDataset = z.object({
  train: z.number().int(), // all domains together
  test: z.number().int(),
  skipped: z.array(SkippedFile),
  notices: z.array(z.string()), // "12 images were not square: centre-cropped" (CycleGAN's start "A: ", "B: ")
  domains: z.record(z.string(), z.object({ train: z.number().int(), test: z.number().int() })).optional(), // CycleGAN: A, B
});
export type TrainingDataset = z.infer<typeof TrainingDataset>;

/** A training job's outcome (main/jobs/kinds/training-collector.ts), also of one that ended early. */
export const TrainingOutcome = z.object({
  run: Id, // the run's first job (rootRunOf)
  step: z.number().int().nonnegative(),
  checkpointStep: z.number().int().nonnegative().nullable(),
  modelId: Id.nullable(), // the finished model; null until the run reaches its end
  metrics: z.record(z.string(), Measure), // the latest quality measures: held-out test_… (pix2pix), kid (generators)
  samples: z.number().int().nonnegative(),
  latestSample: SampleGrid.nullable().default(null), // absent from the first version's records
  dataset: TrainingDataset.optional(), // once the images are read
});
export type TrainingOutcome = z.infer<typeof TrainingOutcome>;

/** An inversion's outcome; ids are null when it stopped before the end. */
export const InvertOutcome = z.object({
  notices: z.array(z.string()),
  previews: z.number().int().nonnegative(),
  latentId: Id.nullable(),
  generationId: Id.nullable(),
  outputAssetId: Id.nullable(),
  psnr: Measure, // of the reconstruction against the picture at the model's size, in dB
  ssim: Measure, // in [−1, 1]
});
export type InvertOutcome = z.infer<typeof InvertOutcome>;

/** A latent walk's files (GIF, WebM) and the generation its GIF was filed as. */
export const InterpolateOutcome = z.object({
  files: z.array(z.object({ format: z.enum(['gif', 'webm']), path: z.string(), bytes: z.number().int().nonnegative() })),
  generationId: Id.nullable(),
  assetId: Id.nullable(),
});
export type InterpolateOutcome = z.infer<typeof InterpolateOutcome>;

/** An upscale batch: each picture done (its result and generation), and those that failed, by name. */
export const UpscaleOutcome = z.object({
  upscaled: z.array(z.object({ assetId: Id, outputAssetId: Id, generationId: Id })),
  failed: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type UpscaleOutcome = z.infer<typeof UpscaleOutcome>;

/** The result of a `transfer.images` job (Job.result), also of one cancelled part way: what was done is kept. */
export const TransferOutcome = z.object({
  direction: TranslationDirection,
  exportDir: z.string(), // absolute path of the folder the PNGs were written to
  translated: z.number().int(), // = items.length
  items: z.array(
    z.object({
      name: z.string(), // the picture: its path under the folder, its file name, or the asset's name
      sourceAssetId: Id,
      outputAssetId: Id,
      generationId: Id, // operation 'transfer', the source as parent
      exportPath: z.string(), // absolute: <exportDir>/<sub/folders/>name-AtoB.png
    }),
  ),
  rejected: z.array(RejectedFile), // pictures that could not be read or stored; the others went on
  notices: z.array(z.string()), // what was adapted: "2 images were not square: centre-cropped to a square."
});
export type TransferOutcome = z.infer<typeof TransferOutcome>;

// ------------------------------------------------------------------------------------------------------------ kinds

/** Each training job kind's stored params and outcome. */
const trainingJobRecords = Object.fromEntries(families.map((family) => [family.training.jobKind, { params: storedTrainingOf(family), outcome: TrainingOutcome }])) as {
  [F in Family as F['training']['jobKind']]: { params: StoredTrainingSchema<F>; outcome: typeof TrainingOutcome };
};

/** Each job kind's stored params and outcome: contract.ts builds the Job union from this map. */
export const jobRecords = {
  'library.importFolder': { params: ImportFolderJobParams, outcome: ImportFolderOutcome },
  'dataset.preparePairs': { params: PreparePairsJobParams, outcome: PreparePairsOutcome },
  ...trainingJobRecords,
  'stylegan.invert': { params: InvertJobParams, outcome: InvertOutcome },
  'stylegan.interpolate': { params: InterpolateJobParams, outcome: InterpolateOutcome },
  'upscale.assets': { params: UpscaleJobParams, outcome: UpscaleOutcome },
  'transfer.images': { params: TransferJobParams, outcome: TransferOutcome },
} as const;

/** Job kinds that train a model: pausable, resumable from their checkpoints, with a run of their own. */
type JobKindsOf<T extends readonly Family[]> = { readonly [I in keyof T]: T[I]['training']['jobKind'] };
export const TRAINING_JOB_KINDS = families.map((family) => family.training.jobKind) as unknown as JobKindsOf<typeof families>;
export type TrainingJobKind = (typeof TRAINING_JOB_KINDS)[number];

/**
 * The run a training job belongs to (its folder, metrics and sample grids): its own id, or the first job of the run
 * it resumed (`params.resumeOf`).
 */
export const rootRunOf = (jobId: number, params: object): number => ('resumeOf' in params && typeof params.resumeOf === 'number' ? params.resumeOf : jobId);
