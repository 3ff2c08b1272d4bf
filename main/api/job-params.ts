// The contract's larger parameter schemas — training settings of each family (built from its descriptor in
// models/families.ts) and what a StyleGAN2 draws or mixes — kept apart so main/api/contract.ts stays a readable list of
// methods. contract.ts re-exports every one.
import { z } from 'zod';
import type { TrainingData } from '../../models/common/family-descriptor.js';
import { families, type Family, type FamilyName } from '../../models/families.js';

export const Id = z.number().int().positive();

/** The DiffAugment ops a StyleGAN2 training may use (models/common/diff-augment-policy.ts), for the API, the CLI and the form. */
export { DIFF_AUGMENT_OPS, type DiffAugmentOp as DiffAugmentOpName } from '../../models/common/diff-augment-policy.js';
/**
 * A name an artist gives (project, model, run, tag): trimmed, 1 to `max` characters, no control characters. A NUL or
 * a line break has no place in a name shown in lists and folder names, and SQLite's length() stops at a NUL.
 */
export const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s), 'A name cannot hold control characters (NUL, line breaks, tabs).');
export const Name = label(80);

/** Longest path accepted: beyond every platform's limit, so only junk is refused, and it bounds error messages. */
export const MAX_PATH_CHARS = 4096;
// No node:path here (the renderer imports this file): absolute means /…, C:\… or C:/…, or a \\server\share UNC path.
const isAbsolutePath = (p: string): boolean => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(p);
const PathString = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((p) => !p.includes('\0'), { message: 'A path cannot contain a NUL character.' });

/**
 * Every file or folder on this computer a method reads from (data folders, checkpoints, ONNX files, pictures). Absolute,
 * as the file dialogs and the CLI give them: a relative path would silently mean "wherever the studio was started".
 */
export const LocalPath = PathString.refine(isAbsolutePath, {
  message: 'Give an absolute path: a relative one would depend on the folder the studio was started from.',
});

/**
 * Where a method writes its exports: an absolute folder the artist chose, or a relative name, which is a folder inside
 * the project's exports/ (main/ anchors it there and refuses symlinks out); a relative name cannot climb out with "..".
 */
export const ExportFolder = PathString.refine((p) => isAbsolutePath(p) || !p.split(/[\\/]/).includes('..'), {
  message: 'A relative export folder is a folder inside the project’s exports/: it cannot climb out with "..".',
});

/** A file a job or an import could not use (not an image, damaged, too large), and why: the rest still went on. */
export const RejectedFile = z.object({ name: z.string(), code: z.string(), message: z.string() });
export type RejectedFile = z.infer<typeof RejectedFile>;

/** Where each kind of training data comes from (models/common/family-descriptor.ts `TrainingData`), as a job's settings name it. */
export const trainingData = {
  'prepared-pairs': { dataset: Name }, // a prepared dataset of the project
  // a folder of domain A's images and one of domain B's (any size and aspect: centre-cropped and resized, with a
  // notice); the two need not match in number or content
  'two-folders': { dataA: LocalPath, dataB: LocalPath },
  'image-folder': { dataDir: LocalPath }, // a folder of images (any size and aspect: centre-cropped and resized, with a notice)
} as const satisfies Record<TrainingData, z.ZodRawShape>;

/** What every training job takes after the family's settings and schedule. */
const runOptions = {
  untilStep: z.number().int().min(1).optional(), // pause (with a checkpoint) once this many steps are done
  fp16: z.boolean().default(false), // store the finished model's filters as float16 (half the size)
  // A checkpoint folder from elsewhere (a copied run, a shipped demo's assets/training) to continue exactly from;
  // it must have been made on the same data with the same settings.
  continueFrom: LocalPath.optional(),
};

/**
 * Transfer learning (a family whose training says `fineTunes`, StyleGAN2) from trained networks of the same sizes,
 * trained on any images: a checkpoint folder, a run folder (its latest checkpoint), { run: a job of that run in this
 * project } or { model: a model that keeps its discriminator } (train.fineTuneModels). The new run starts from those
 * networks with fresh optimisers, far sooner good on a small dataset than from scratch.
 */
const fineTuning = { fineTuneFrom: z.union([LocalPath, z.object({ run: Id }).strict(), z.object({ model: Id }).strict()]).optional() };

type FineTuning<F extends Family> = F['training'] extends { fineTunes: true } ? typeof fineTuning : Record<never, never>;

/** The shape of family F's training settings: project, data and name around the family's own settings and schedule. */
export type TrainingParamsShape<F extends Family> = { projectId: typeof Id } & (typeof trainingData)[F['training']['data']] & { name: typeof Name } & F['training']['settings'] & { seed: z.ZodDefault<z.ZodNumber> } & F['training']['schedule'] & typeof runOptions & FineTuning<F>;
export type TrainingParamsSchema<F extends Family> = z.ZodObject<Extract<TrainingParamsShape<F>, z.ZodRawShape>, z.core.$strict>;

/**
 * A family's training settings as its contract method takes them: the project, where its data is and the model's name,
 * then the family's own settings and schedule (limits, defaults and their sources in models/<family>/family.ts).
 */
function trainingParamsOf<F extends Family>(family: F): TrainingParamsSchema<F> {
  const { training } = family;
  const fineTunes = 'fineTunes' in training && training.fineTunes;
  const schema = z
    .object({
      projectId: Id,
      ...trainingData[training.data],
      name: Name, // the model's name in the library
      ...training.settings,
      seed: z.number().int().min(0).default(1),
      ...training.schedule,
      ...runOptions,
      ...(fineTunes ? fineTuning : {}),
    })
    .strict();
  const refined = fineTunes
    ? schema.refine((p) => p['continueFrom'] === undefined || p['fineTuneFrom'] === undefined, {
        message: 'A run either continues a checkpoint or fine-tunes from one, not both.',
        path: ['fineTuneFrom'],
      })
    : schema;
  // Built from the descriptor's values, so TypeScript cannot follow the spreads to the shape; the type says it.
  return refined as unknown as TrainingParamsSchema<F>;
}

/** Every family's training settings, by family name (contract.ts makes each its family's training method). */
export const trainingParams = Object.fromEntries(families.map((family) => [family.name, trainingParamsOf(family)])) as { [F in Family as F['name']]: TrainingParamsSchema<F> };
export type TrainingParams<N extends FamilyName> = z.infer<(typeof trainingParams)[N]>;

/** Seeds are numpy RandomState seeds: integers in [0, MAX_SEED]. */
export const MAX_SEED = 2 ** 32 - 1;
const Seed = z.number().int().min(0).max(MAX_SEED);
/** Most seeds one `stylegan.generate` or `stylegan.save` call draws. */
export const MAX_SEEDS_PER_CALL = 64;
/** Bounds of truncation ψ (1: as trained; 0.5–0.8: more typical, less varied; beyond 1: more varied, less typical). */
export const TRUNCATION_PSI = { min: -1, max: 2 } as const;
const TruncationPsi = z.number().min(TRUNCATION_PSI.min).max(TRUNCATION_PSI.max);
/** How the synthesis noise inputs are drawn. const: the same seed always draws the same image. */
export const NoiseMode = z.enum(['const', 'random', 'none']);
export type NoiseMode = z.infer<typeof NoiseMode>;

/** Which images of a StyleGAN2 model to draw: seeds, truncation ψ (with an optional layer cutoff) and the noise inputs. */
export const SeedRequest = z
  .object({
    modelId: Id,
    seeds: z.array(Seed).min(1).max(MAX_SEEDS_PER_CALL),
    truncationPsi: TruncationPsi.default(1),
    truncationCutoff: z.number().int().min(1).max(32).optional(), // truncate only the first N ws (coarse styles)
    noiseMode: NoiseMode.default('const'),
  })
  .strict();

/** A source of a style mix: a seed's latent (with its truncation), or a stored latent of the same model (an inverted photo). */
export const MixSource = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('seed'),
      seed: Seed,
      truncationPsi: TruncationPsi.default(1),
      truncationCutoff: z.number().int().min(1).max(32).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('latent'), latentId: Id }).strict(),
]);
export type MixSource = z.infer<typeof MixSource>;

/** A per-layer blend of sources: layerWeights[l][s] is how much of source s the w of layer l takes (rows sum to 1). */
export const MixRequest = z
  .object({
    modelId: Id,
    sources: z.array(MixSource).min(1).max(8),
    layerWeights: z.array(z.array(z.number().min(0).max(1)).min(1).max(8)).min(1).max(32),
    noiseMode: NoiseMode.default('const'),
  })
  .strict();
export type MixRequest = z.infer<typeof MixRequest>;

/** Which way a CycleGAN translates: AtoB runs G_A (the model's generatorAB), BtoA runs G_B (generatorBA). */
export const TranslationDirection = z.enum(['AtoB', 'BtoA']);
export type TranslationDirection = z.infer<typeof TranslationDirection>;

/**
 * What `transfer.images` translates: exactly one of `assetIds`, `folder` or `files`. Any size or aspect is
 * centre-cropped to a square and resized to the model's size (the outcome's notices say how many). Pictures from disk
 * are imported into the project first, so each result's source is a library asset.
 */
export const TransferImagesParams = z
  .object({
    projectId: Id,
    modelId: Id, // a CycleGAN model
    direction: TranslationDirection,
    assetIds: z.array(Id).min(1).max(5000).optional(), // pictures of the project…
    folder: LocalPath.optional(), // …or every image of a folder on this computer…
    recursive: z.boolean().default(false), // (with folder: its subfolders too, kept as subfolders of exportDir)
    files: z.array(LocalPath).min(1).max(5000).optional(), // …or image files on this computer
    // where the PNGs are written: an absolute folder, or a folder inside <project>/exports/; default exports/transfer-<jobId>/
    exportDir: ExportFolder.optional(),
  })
  .strict()
  .refine((p) => [p.assetIds, p.folder, p.files].filter((source) => source !== undefined).length === 1, {
    message: 'Give exactly one of assetIds, folder or files: the pictures to translate.',
  });
export type TransferImagesParams = z.infer<typeof TransferImagesParams>;
