// The contract's larger parameter schemas — training settings of each family and what a StyleGAN2 draws or mixes —
// kept apart so main/api/contract.ts stays a readable list of methods. contract.ts re-exports every one.
import { z } from 'zod';
import { cycleganFamily } from '../../models/cyclegan/family.js';
import { pgganFamily } from '../../models/pggan/family.js';
import { pix2pixFamily } from '../../models/pix2pix/family.js';
import { styleGAN2Family } from '../../models/stylegan/family.js';

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

/** pix2pix training settings the artist may change (its own: models/pix2pix/family.ts); the rest are the reference's defaults. */
export const Pix2pixTrainingParams = z
  .object({
    projectId: Id,
    dataset: Name, // a prepared dataset of the project
    name: Name, // the model's name in the library
    ...pix2pixFamily.training.settings,
    seed: z.number().int().min(0).default(1),
    ...pix2pixFamily.training.schedule,
    untilStep: z.number().int().min(1).optional(), // pause (with a checkpoint) once this many steps are done
    fp16: z.boolean().default(false), // store the finished model's filters as float16 (half the size)
    // A checkpoint folder from elsewhere (a copied run, a shipped demo's assets/training) to continue exactly from;
    // it must have been made on the same dataset with the same settings.
    continueFrom: LocalPath.optional(),
  })
  .strict();
export type Pix2pixTrainingParams = z.infer<typeof Pix2pixTrainingParams>;

/** CycleGAN training settings (its own, with the reference's defaults and their sources: models/cyclegan/family.ts). */
export const CycleganTrainingParams = z
  .object({
    projectId: Id,
    dataA: LocalPath, // a folder of domain A's images (any size and aspect: centre-cropped and resized, with a notice)
    dataB: LocalPath, // a folder of domain B's images; the two need not match in number or content
    name: Name,
    ...cycleganFamily.training.settings,
    seed: z.number().int().min(0).default(1),
    ...cycleganFamily.training.schedule,
    untilStep: z.number().int().min(1).optional(), // pause (with a checkpoint) once this many steps are done
    fp16: z.boolean().default(false),
    continueFrom: LocalPath.optional(), // a checkpoint folder made on the same folders with the same settings
  })
  .strict();
export type CycleganTrainingParams = z.infer<typeof CycleganTrainingParams>;

/** Settings of a StyleGAN2 training job (its own, with their defaults and sources: models/stylegan/family.ts). */
export const StyleGAN2TrainingParams = z
  .object({
    projectId: Id,
    dataDir: LocalPath, // a folder of images (any size and aspect: centre-cropped and resized, with a notice)
    name: Name,
    ...styleGAN2Family.training.settings,
    seed: z.number().int().min(0).default(1),
    ...styleGAN2Family.training.schedule,
    untilStep: z.number().int().min(1).optional(),
    fp16: z.boolean().default(false),
    continueFrom: LocalPath.optional(),
    // Transfer learning from trained StyleGAN2 networks of the same sizes, trained on any images: a checkpoint folder,
    // a run folder (its latest checkpoint), { run: a job of that run in this project } or { model: a model that keeps
    // its discriminator } (train.fineTuneModels). The new run starts from those networks with fresh optimisers, far
    // sooner good on a small dataset than from scratch.
    fineTuneFrom: z.union([LocalPath, z.object({ run: Id }).strict(), z.object({ model: Id }).strict()]).optional(),
  })
  .strict()
  .refine((p) => p.continueFrom === undefined || p.fineTuneFrom === undefined, {
    message: 'A run either continues a checkpoint or fine-tunes from one, not both.',
    path: ['fineTuneFrom'],
  });
export type StyleGAN2TrainingParams = z.infer<typeof StyleGAN2TrainingParams>;

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

/** Settings of a PGGAN training job (its own, with their defaults and sources: models/pggan/family.ts). */
export const PGGANTrainingParams = z
  .object({
    projectId: Id,
    dataDir: LocalPath,
    name: Name,
    ...pgganFamily.training.settings,
    seed: z.number().int().min(0).default(1),
    ...pgganFamily.training.schedule,
    untilStep: z.number().int().min(1).optional(),
    fp16: z.boolean().default(false),
    continueFrom: LocalPath.optional(),
  })
  .strict();
export type PGGANTrainingParams = z.infer<typeof PGGANTrainingParams>;

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
