// The contract's larger parameter schemas — training settings of each family and what a StyleGAN2 draws or mixes —
// kept apart so main/api/contract.ts stays a readable list of methods. contract.ts re-exports every one.
import { z } from 'zod';

export const Id = z.number().int().positive();

/**
 * The DiffAugment ops a StyleGAN2 training may use, as the contract names them (models/common/diff-augment.ts applies
 * them; the renderer cannot import that module, so the contract keeps the list for the API, the CLI and the form).
 */
export const DIFF_AUGMENT_OPS = ['color', 'translation', 'cutout'] as const;
export type DiffAugmentOpName = (typeof DIFF_AUGMENT_OPS)[number];
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

/** pix2pix training settings the artist may change; the rest are the reference's defaults (models/pix2pix/config.ts). */
export const Pix2pixTrainingParams = z
  .object({
    projectId: Id,
    dataset: Name, // a prepared dataset of the project
    name: Name, // the model's name in the library
    imageSize: z.union([z.literal(64), z.literal(128), z.literal(256)]).default(128),
    ngf: z.number().int().min(4).max(128).default(64),
    ndf: z.number().int().min(4).max(128).default(64),
    epochs: z.number().int().min(0).max(10_000).default(100),
    epochsDecay: z.number().int().min(0).max(10_000).default(100),
    batchSize: z.number().int().min(1).max(64).default(1),
    seed: z.number().int().min(0).default(1),
    checkpointEvery: z.number().int().min(1).default(500), // steps
    sampleEvery: z.number().int().min(1).default(200), // steps: sample grid and held-out metrics
    untilStep: z.number().int().min(1).optional(), // pause (with a checkpoint) once this many steps are done
    fp16: z.boolean().default(false), // store the finished model's filters as float16 (half the size)
    // A checkpoint folder from elsewhere (a copied run, a shipped demo's assets/training) to continue exactly from;
    // it must have been made on the same dataset with the same settings.
    continueFrom: LocalPath.optional(),
  })
  .strict();
export type Pix2pixTrainingParams = z.infer<typeof Pix2pixTrainingParams>;

/**
 * CycleGAN training settings (models/cyclegan/config.ts has the reference's defaults and their sources). The defaults
 * are the reference's for 128 px (resnet_6blocks) at half its width (ngf = ndf = 32), which a CPU trains in reach.
 */
export const CycleganTrainingParams = z
  .object({
    projectId: Id,
    dataA: LocalPath, // a folder of domain A's images (any size and aspect: centre-cropped and resized, with a notice)
    dataB: LocalPath, // a folder of domain B's images; the two need not match in number or content
    name: Name,
    imageSize: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(128),
    ngf: z.number().int().min(4).max(128).default(32), // 64 in the reference
    ndf: z.number().int().min(4).max(128).default(32), // 64 in the reference
    nBlocks: z.number().int().min(1).max(12).default(6), // ResNet blocks: 6 for 128 px, 9 for 256 in the reference
    lambdaIdentity: z.number().min(0).max(10).default(0.5), // identity loss, relative to the cycle weight 10; 0 turns it off
    epochs: z.number().int().min(0).max(10_000).default(100),
    epochsDecay: z.number().int().min(0).max(10_000).default(100),
    batchSize: z.number().int().min(1).max(64).default(1),
    seed: z.number().int().min(0).default(1),
    checkpointEvery: z.number().int().min(1).default(500), // steps
    sampleEvery: z.number().int().min(1).default(200), // steps: a grid of A → B → A and B → A → B
    untilStep: z.number().int().min(1).optional(), // pause (with a checkpoint) once this many steps are done
    fp16: z.boolean().default(false),
    continueFrom: LocalPath.optional(), // a checkpoint folder made on the same folders with the same settings
  })
  .strict();
export type CycleganTrainingParams = z.infer<typeof CycleganTrainingParams>;

/**
 * Settings of a StyleGAN2 training job (models/stylegan/config.ts has the reference's defaults and their sources).
 * The defaults make a small model this studio can train on a CPU: 64 px, channels 128 up to 32 px and 64 at 64 px.
 */
export const StyleGAN2TrainingParams = z
  .object({
    projectId: Id,
    dataDir: LocalPath, // a folder of images (any size and aspect: centre-cropped and resized, with a notice)
    name: Name,
    resolution: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(64),
    channelBase: z.number().int().min(256).max(32768).default(4096), // a layer at r px has min(channelBase / r, channelMax) channels
    channelMax: z.number().int().min(8).max(512).default(128),
    mappingLayers: z.number().int().min(1).max(8).default(8),
    batchSize: z.number().int().min(2).max(64).default(16),
    r1Gamma: z.number().min(0).max(100).optional(), // default 0.0002·res²/batch (cfg 'auto')
    totalKimg: z.number().positive().max(100_000).default(500), // thousands of real images shown to D
    mirror: z.boolean().default(true), // also train on left-right mirrored images
    // DiffAugment of what D sees (models/common/diff-augment.ts): on by default, since an artist's dataset is small
    augment: z.array(z.enum(DIFF_AUGMENT_OPS)).default([...DIFF_AUGMENT_OPS]),
    margin: z.number().min(0).max(1).optional(), // white border added around each image
    seed: z.number().int().min(0).default(1),
    checkpointEvery: z.number().int().min(1).default(250), // iterations
    sampleEvery: z.number().int().min(1).default(100), // iterations: seed grid of G_ema
    kidEvery: z.number().int().min(1).default(1000), // iterations between KID measurements (and one at the end)
    kidImages: z.number().int().min(2).max(10_000).default(256), // images per KID measurement
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

/** Settings of a PGGAN training job (models/pggan/config.ts has the reference's defaults and their sources). */
export const PGGANTrainingParams = z
  .object({
    projectId: Id,
    dataDir: LocalPath,
    name: Name,
    resolution: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(64),
    fmapBase: z.number().int().min(16).max(16384).default(2048), // a stage s has min(fmapBase / 2^s, fmapMax) maps (8192 in the reference)
    fmapMax: z.number().int().min(4).max(512).default(128), // 512 in the reference
    batchSize: z.number().int().min(2).max(64).default(16),
    lodTrainingKimg: z.number().positive().max(10_000).default(60), // images at each resolution before the next fades in (600 in the reference)
    lodTransitionKimg: z.number().min(0).max(10_000).default(60), // images over which it fades in (600)
    totalKimg: z.number().positive().max(100_000).default(600),
    margin: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).default(1),
    checkpointEvery: z.number().int().min(1).default(250),
    sampleEvery: z.number().int().min(1).default(100),
    kidEvery: z.number().int().min(1).default(1000),
    kidImages: z.number().int().min(2).max(10_000).default(256),
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
