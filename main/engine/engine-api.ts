// The engine's typed API: every task main/ can ask the engine process to run, with zod schemas for its params, its
// result and the items it streams. EngineHost.run() is typed from this map and validates params before sending and
// results and items as they arrive; the engine process validates params on arrival, and its task registry
// (tasks/index.ts) is typed by the same map, so a task whose signature drifts from its spec does not compile.
// Plain schemas only: main/ imports this module, so it must not load a task's compute (models, ONNX Runtime).
import { z } from 'zod';
import { InterpolateKeyframe, TranslationDirection } from '../api/contract.js';
import type { IngestedImage } from '../data/image-ingest.js';
import { PairSource } from '../data/prepare-pairs.js';
import { DatasetDomains, Measure, SkippedFile, TrainingItem } from '../../models/common/training-params.js';
import { families, type Family } from '../../models/families.js';
import { OnnxImportManifest } from './onnx/onnx-manifest.js';

// ---------------------------------------------------------------------------------------------------------- shared

const Seed = z.number().int().min(0).max(2 ** 32 - 1);

// Measure: a measured value (a loss, PSNR, KID, a timing), NaN and ±Infinity included (models/common/training-params.ts).

/** A picture stored in a project (main/data/image-ingest.ts's IngestedImage, which this schema mirrors). */
const IngestedImageSchema = z.object({
  name: z.string(),
  contentHash: z.string(),
  path: z.string(),
  thumbPath: z.string(),
  width: z.number(),
  height: z.number(),
  format: z.string(),
});
/** Mirrored both ways: a field that one of them gains and the other does not is a tsc error here. */
const _mirrorsIngestedImage: [z.infer<typeof IngestedImageSchema>, keyof z.infer<typeof IngestedImageSchema>] extends [IngestedImage, keyof IngestedImage] ? true : never = true;

// ---------------------------------------------------------------------------------------------- library.importFolder

export const ImportFolderParams = z.object({
  dir: z.string(),
  recursive: z.boolean(),
  projectFolder: z.string(),
});

export const ImportFolderItem = z.union([
  z.object({ ok: z.literal(true), image: IngestedImageSchema }),
  z.object({ ok: z.literal(false), name: z.string(), code: z.string(), message: z.string() }),
]);
export type ImportFolderItem = z.infer<typeof ImportFolderItem>;

// ------------------------------------------------------------------------------------------------------- sketch.*

export const SketchRenderParams = z.object({
  modelFolder: z.string(),
  family: z.string().optional(), // refuse any other family with a clear message
  sketchPngBase64: z.string(),
});

/** A live preview's render: the model's image alone, encoded once here and passed on to the view as it is. */
export const SketchRenderResult = z.object({
  imagePngBase64: z.string(),
  width: z.number(),
  height: z.number(),
  ms: Measure, // decode + inference + encode, in the engine
});
export type SketchRenderResult = z.infer<typeof SketchRenderResult>;

/** A render to save: the image and the sketch as the model saw it (RGB at the model's size), which a preview never needs. */
export const SketchSaveRenderResult = SketchRenderResult.extend({ sketchPngBase64: z.string() });
export type SketchSaveRenderResult = z.infer<typeof SketchSaveRenderResult>;

export const SketchEdgesParams = z.object({
  size: z.number().int().min(16).max(2048),
  image: z.union([z.object({ path: z.string() }), z.object({ pngBase64: z.string() })]),
});

export const SketchEdgesResult = z.object({ edgesPngBase64: z.string(), width: z.number(), height: z.number() });
export type SketchEdgesResult = z.infer<typeof SketchEdgesResult>;

// ----------------------------------------------------------------------------------------------------- stylegan.*

export const StyleGenerateParams = z.object({
  modelFolder: z.string(),
  seeds: z.array(Seed).min(1).max(64),
  truncationPsi: z.number(),
  truncationCutoff: z.number().int().min(1).optional(),
  noiseMode: z.enum(['const', 'random', 'none']),
});

export const StyleGenerateResult = z.object({
  imagesPngBase64: z.array(z.string()), // one per seed, in order
  size: z.number(),
  ms: Measure, // mapping + synthesis + encoding, in the engine
});
export type StyleGenerateResult = z.infer<typeof StyleGenerateResult>;

const MixSourceParams = z.union([
  z.object({ seed: Seed, truncationPsi: z.number(), truncationCutoff: z.number().int().min(1).optional() }),
  z.object({ ws: z.array(z.number()), noise: z.array(z.number()).optional() }), // a stored latent's values (and noise maps)
]);

export const StyleMixParams = z.object({
  modelFolder: z.string(),
  sources: z.array(MixSourceParams).min(1).max(8),
  layerWeights: z.array(z.array(z.number())), // [numWs][sources], rows summing to 1
  noiseMode: z.enum(['const', 'random', 'none']),
});
export type StyleMixParams = z.input<typeof StyleMixParams>;

export const StyleMixResult = z.object({ imagePngBase64: z.string(), size: z.number(), ms: Measure });
export type StyleMixResult = z.infer<typeof StyleMixResult>;

export const InvertParams = z.object({
  modelFolder: z.string(),
  targetPath: z.string(), // the picture (any size or aspect: centre-cropped and resized, with a notice)
  outDir: z.string(), // preview frames and the final image
  space: z.enum(['w', 'w+']),
  steps: z.number().int().min(1),
  seed: z.number().int(),
  previewEvery: z.number().int().min(1),
});

export const InvertItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notice'), message: z.string() }),
  z.object({ kind: z.literal('preview'), step: z.number(), path: z.string(), psnr: Measure, ssim: Measure }),
  z.object({ kind: z.literal('result'), step: z.number(), latent: z.array(Measure), noise: z.array(Measure), path: z.string(), psnr: Measure, ssim: Measure }),
]);
export type InvertItem = z.infer<typeof InvertItem>;

export const InvertResult = z.object({ psnr: Measure, ssim: Measure, steps: z.number() });

// A latent walk's keyframe (a seed, or a stored latent's values): main/api's, which the job's record keeps too.
export { InterpolateKeyframe };

export const InterpolateParams = z.object({
  modelFolder: z.string(),
  keyframes: z.array(InterpolateKeyframe).min(2).max(64),
  framesPerTransition: z.number().int().min(2).max(240),
  loop: z.boolean(), // back from the last keyframe to the first, so the animation repeats seamlessly
  fps: z.number().min(1).max(60),
  formats: z.array(z.enum(['gif', 'webm'])).min(1),
  outDir: z.string(),
  baseName: z.string().regex(/^[\w. -]+$/),
});

const AnimationFile = z.object({ format: z.enum(['gif', 'webm']), path: z.string(), bytes: z.number() });

/** Streamed as each file is complete, so main/ can file it at once. */
export const InterpolateItem = AnimationFile.extend({ kind: z.literal('file') });
export type InterpolateItem = z.infer<typeof InterpolateItem>;

export const InterpolateResult = z.object({ frames: z.number(), files: z.array(AnimationFile) });
export type InterpolateResult = z.infer<typeof InterpolateResult>;

// ------------------------------------------------------------------------------------------------ esrgan.upscale

export const UpscaleParams = z.object({
  files: z.array(z.object({ input: z.string(), output: z.string() })).min(1),
  model: z.enum(['slim', 'medium']),
  scale: z.union([z.literal(2), z.literal(4)]),
});

export const UpscaleItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upscaled'), index: z.number(), output: z.string(), width: z.number(), height: z.number() }),
  z.object({ kind: z.literal('failed'), index: z.number(), input: z.string(), reason: z.string() }),
]);
export type UpscaleItem = z.infer<typeof UpscaleItem>;

export const UpscaleResult = z.object({ upscaled: z.number(), failed: z.number() });

// ----------------------------------------------------------------------------------------------- transfer.images

export const TransferTaskParams = z.object({
  modelFolder: z.string(),
  family: z.string(), // refuse any other family with a clear message
  direction: TranslationDirection,
  projectFolder: z.string(), // where pictures from disk are stored before they are translated
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('assets'), pictures: z.array(z.object({ path: z.string(), name: z.string() })) }), // stored already
    z.object({ kind: z.literal('folder'), dir: z.string(), recursive: z.boolean() }),
    z.object({ kind: z.literal('files'), paths: z.array(z.string()) }),
  ]),
});
export type TransferTaskParams = z.infer<typeof TransferTaskParams>;

/**
 * One picture's outcome, by its position in the task's list (-1: a folder entry that was never a picture). `name` is how the export is named: the path under the
 * folder, the file name, or the asset's name. `imported` is a picture from disk as stored in the project (null for
 * assets); `png` is the translation at the model's size.
 */
export const TransferItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('translated'), index: z.number(), name: z.string(), imported: IngestedImageSchema.nullable(), png: z.instanceof(Uint8Array) }),
  z.object({ kind: z.literal('rejected'), index: z.number(), name: z.string(), code: z.string(), message: z.string() }),
]);
export type TransferItem = z.infer<typeof TransferItem>;

export const TransferResult = z.object({ pictures: z.number() });

// ------------------------------------------------------------------------------------------ dataset.preparePairs

export const PreparePairsParams = z.object({
  source: PairSource,
  outDir: z.string(),
  storedSize: z.number().int().positive(),
  heldOutFraction: z.number().min(0).lt(1),
  seed: z.union([z.number(), z.string()]),
});

export const PreparePairsResult = z.object({ train: z.number(), test: z.number(), skipped: z.array(SkippedFile) });

// ------------------------------------------------------------------------------------------------------- train.*

// What a training task streams (TrainingItem) is declared beside the training params, in models/common, as the tasks
// themselves live in their family's folder.
export { DatasetDomains, TrainingItem };

/**
 * Each family's training task, under its job kind ('train.pggan'), with the params and result its descriptor
 * (models/<family>/family.ts) gives; every one streams TrainingItem.
 */
type TrainingTasks = { [F in Family as F['training']['jobKind']]: { params: F['training']['task']['params']; result: F['training']['task']['result']; item: typeof TrainingItem } };
const trainingTasks = Object.fromEntries(
  families.map((family) => [family.training.jobKind, { params: family.training.task.params, result: family.training.task.result, item: TrainingItem }]),
) as TrainingTasks;

// ------------------------------------------------------------------------------------------------------ models.*

export const ExportModelParams = z.object({
  modelFolder: z.string(),
  outPath: z.string(), // the .onnx file (ONNX) or the folder (tfjs)
  name: z.string(),
});

export const ModelExportResult = z.object({
  path: z.string(), // what was written: outPath, or its first free `-N` variant when that name was taken
  bytes: z.number(), // of every file written
  manifestPath: z.string(),
  maxAbsDiff: Measure, // the largest |exported − studio| over the exported networks, on their example inputs
});
export type ModelExportResult = z.infer<typeof ModelExportResult>;

export const ImportOnnxParams = z.object({
  onnxPath: z.string(),
  manifestPath: z.string(),
  modelDir: z.string(),
  /** Longest one test run of the file may take (default onnx-trial.ts's DEFAULT_TRIAL_SECONDS). */
  trialSeconds: z.number().positive().optional(),
});

// ------------------------------------------------------------------------------------------------------ the map

interface TaskSpec {
  params: z.ZodType;
  result: z.ZodType;
  /** What the task streams with TaskContext.emitItem; a task without one streams nothing. */
  item?: z.ZodType;
}

/** Every engine task by the name main/ runs it by. */
export const engineTasks = {
  'library.importFolder': { params: ImportFolderParams, result: z.object({ files: z.number() }), item: ImportFolderItem },
  'sketch.render': { params: SketchRenderParams, result: SketchRenderResult },
  'sketch.renderToSave': { params: SketchRenderParams, result: SketchSaveRenderResult },
  'sketch.edges': { params: SketchEdgesParams, result: SketchEdgesResult },
  'stylegan.generate': { params: StyleGenerateParams, result: StyleGenerateResult },
  'stylegan.mix': { params: StyleMixParams, result: StyleMixResult },
  'stylegan.invert': { params: InvertParams, result: InvertResult, item: InvertItem },
  'stylegan.interpolate': { params: InterpolateParams, result: InterpolateResult, item: InterpolateItem },
  'esrgan.upscale': { params: UpscaleParams, result: UpscaleResult, item: UpscaleItem },
  'transfer.images': { params: TransferTaskParams, result: TransferResult, item: TransferItem },
  'dataset.preparePairs': { params: PreparePairsParams, result: PreparePairsResult },
  ...trainingTasks,
  'models.exportOnnx': { params: ExportModelParams, result: ModelExportResult },
  'models.exportTfjs': { params: ExportModelParams, result: ModelExportResult },
  'models.importOnnx': { params: ImportOnnxParams, result: OnnxImportManifest },
} as const satisfies Record<string, TaskSpec>;

export type EngineTasks = typeof engineTasks;
export type EngineTaskName = keyof EngineTasks;

/** What main/ passes to run task K (before defaults are filled in). */
export type EngineParamsInput<K extends EngineTaskName> = z.input<EngineTasks[K]['params']>;
/** What task K gets in the engine: its params as validated, defaults filled in. */
export type EngineParams<K extends EngineTaskName> = z.output<EngineTasks[K]['params']>;
export type EngineResult<K extends EngineTaskName> = z.output<EngineTasks[K]['result']>;
/** What task K streams; never for a task that streams nothing. */
export type EngineItem<K extends EngineTaskName> = K extends unknown ? (EngineTasks[K] extends { item: z.ZodType } ? z.output<EngineTasks[K]['item']> : never) : never;

export function isEngineTaskName(name: string): name is EngineTaskName {
  return Object.hasOwn(engineTasks, name);
}

/** The schema task `name` streams its items by, or null when it streams none. */
export function itemSchemaOf(name: EngineTaskName): z.ZodType | null {
  const spec: TaskSpec = engineTasks[name];
  return spec.item ?? null;
}
