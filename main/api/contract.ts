// The one typed contract between the renderer and main: every method's params and result, every event.
// Both transports (Electron IPC, loopback WebSocket) and the renderer client are typed from this file,
// and handlers validate their input with it. Keys are `domain.verb`.
import { z } from 'zod';
import type { Outcome } from './errors.js';
import { families, type Family } from '../../models/families.js';
import { DATASET_IMAGE_SIZES, EXPORT_QUALITY, INTERPOLATE_LIMITS, INVERT_STEPS, InvertSpace, MAX_PREVIEW_BYTES, MAX_PROJECT_NAME_CHARS, MAX_TAG_CHARS, MAX_UPLOAD_BYTES, UPSCALE_SCALES, UpscaleModel } from './limits.js';
import { jobRecords, SampleGrid, TRAINING_JOB_KINDS, type TrainingJobKind } from './job-records.js';
import { Id, label, LocalPath, MixRequest, MixSource, Name, RejectedFile, SeedRequest, trainingParams, TransferImagesParams, type TrainingParamsSchema } from './job-params.js';

export {
  ExportFolder,
  Id,
  LocalPath,
  MAX_SEED,
  MAX_SEEDS_PER_CALL,
  MixRequest,
  MixSource,
  NoiseMode,
  RejectedFile,
  SeedRequest,
  trainingParams,
  TransferImagesParams,
  TranslationDirection,
  TRUNCATION_PSI,
} from './job-params.js';
export * from './limits.js';
export * from './job-records.js';

const Timestamp = z.string(); // ISO 8601, UTC

export const Project = z.object({
  id: Id,
  name: z.string(),
  folder: z.string(), // absolute path of the project folder
  createdAt: Timestamp,
  assetCount: z.number().int().nonnegative(),
});
export type Project = z.infer<typeof Project>;

export const AssetOrigin = z.enum(['import', 'upload', 'generation', 'sketch', 'sample']);
export const Asset = z.object({
  id: Id,
  projectId: Id,
  name: z.string(), // original file name, for display
  contentHash: z.string(), // sha256 hex of the file bytes
  path: z.string(), // relative to the project folder
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.string(), // png, jpeg, webp, ...
  origin: AssetOrigin,
  tags: z.array(z.string()),
  createdAt: Timestamp,
});
export type Asset = z.infer<typeof Asset>;

export const ImportOutcome = z.object({
  imported: z.array(Asset),
  duplicates: z.array(Asset), // already in the project (same content hash)
  rejected: z.array(RejectedFile), // not images, corrupt, too large: the rest still imports
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type JobStatus = z.infer<typeof JobStatus>;
type JobRecordKind = keyof typeof jobRecords;
export const JobKind = z.enum(Object.keys(jobRecords) as [JobRecordKind, ...JobRecordKind[]]);
export type JobKind = z.infer<typeof JobKind>;

/** One job kind's record: the columns every job has, and its kind's params and outcome (job-records.ts). */
const jobRecord = <K extends JobKind>(kind: K) =>
  z.object({
    id: Id,
    projectId: Id.nullable(),
    kind: z.literal(kind),
    params: jobRecords[kind].params as (typeof jobRecords)[K]['params'],
    status: JobStatus,
    step: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    error: z.string().nullable(),
    result: z.nullable(jobRecords[kind].outcome as (typeof jobRecords)[K]['outcome']), // null until the job has one
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
  });
type JobRecordSchema = { [K in JobKind]: ReturnType<typeof jobRecord<K>> }[JobKind];

/** A job's record, by kind: narrow on `kind` to read its params and outcome. */
export const Job = z.discriminatedUnion('kind', JobKind.options.map((kind) => jobRecord(kind)) as [JobRecordSchema, ...JobRecordSchema[]]);
export type Job = z.infer<typeof Job>;
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;
export type TrainingJob = JobOf<TrainingJobKind>;
export const isJobOf = <K extends JobKind>(job: Job, kind: K): job is JobOf<K> => job.kind === kind;
export const isTrainingJob = (job: Job): job is TrainingJob => (TRAINING_JOB_KINDS as readonly string[]).includes(job.kind);

export const BackendInfo = z.object({
  name: z.string(), // 'tensorflow' | 'webgpu' | 'cpu' | ...
  device: z.string(), // human-readable device description
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const EngineState = z.enum(['starting', 'ready', 'restarting', 'stopped']);
export const EngineInfo = z.object({
  state: EngineState,
  pid: z.number().int().nullable(),
  restarts: z.number().int().nonnegative(),
  backend: BackendInfo.nullable(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

type FamilyNames<T extends readonly Family[]> = { readonly [I in keyof T]: T[I]['name'] };
/** The families of models.json: those the studio trains (models/families.ts), and the ESRGAN upscalers it ships. */
export const ModelFamily = z.enum([...(families.map((family) => family.name) as unknown as FamilyNames<typeof families>), 'esrgan']);
export type ModelFamily = z.infer<typeof ModelFamily>;
/** The families whose generators models.exportOnnx writes (the studio's own models, not imported ONNX ones). */
export const ONNX_EXPORT_FAMILIES: readonly ModelFamily[] = ['pix2pix', 'cyclegan', 'stylegan2'];
export const ModelSummary = z.object({
  id: Id,
  projectId: Id.nullable(), // null: a builtin model every project sees
  name: z.string(),
  family: ModelFamily,
  source: z.enum(['builtin', 'trained', 'imported']),
  imageSize: z.number().int().positive(), // square side of its input/output in pixels
  description: z.string(),
  createdAt: Timestamp,
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/** Export formats; each embeds the generation's parameters (PNG tEXt chunk, EXIF ImageDescription for JPEG/WebP). */
export const ExportFormat = z.enum(['png', 'jpeg', 'webp']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Where training pairs come from (main/data/prepare-pairs.ts reads the same shapes). */
export const PairSourceParams = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('side-by-side'), dir: LocalPath }), // A|B images, left half A
  z.object({ kind: z.literal('two-folders'), aDir: LocalPath, bDir: LocalPath }), // paired by file name
  z.object({ kind: z.literal('photos'), dir: LocalPath, margin: z.number().min(0).max(1).optional() }), // A = edges of B
]);
export type PairSourceParams = z.infer<typeof PairSourceParams>;

export const DatasetSummary = z.object({
  name: z.string(), // folder name under the project's datasets/
  storedSize: z.number().int(),
  train: z.number().int(),
  test: z.number().int(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  source: z.string(), // human description of where the pairs came from
  complete: z.boolean(), // false when its preparation was cancelled
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;


const PreviewPng = z.string().min(1).max(Math.ceil((MAX_PREVIEW_BYTES * 4) / 3) + 4);

const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

const JobStarted = z.object({ jobId: Id });
/** The method that starts family F's training job (its `training.method`): its settings in, the job's id out. */
export type TrainingMethod = Family['training']['method'];
const trainingMethods = Object.fromEntries(families.map((family) => [family.training.method, method(trainingParams[family.name], JobStarted)])) as {
  [F in Family as F['training']['method']]: { params: TrainingParamsSchema<F>; result: typeof JobStarted };
};

export const methods = {
  'studio.info': method(
    z.object({}).strict(),
    z.object({ version: z.string(), libraryPath: z.string(), engine: EngineInfo }),
  ),
  'projects.list': method(z.object({}).strict(), z.array(Project)),
  'projects.create': method(z.object({ name: label(MAX_PROJECT_NAME_CHARS) }).strict(), Project),
  // Cancels the project's queued and running jobs first (cancelledJobs says how many), then deletes it with its files.
  'projects.delete': method(z.object({ projectId: Id }).strict(), z.object({ deleted: z.boolean(), cancelledJobs: z.number().int().min(0) })),
  'assets.list': method(
    z
      .object({
        projectId: Id,
        tag: z.string().optional(),
        limit: z.number().int().min(1).max(5000).default(500),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ items: z.array(Asset), total: z.number().int().nonnegative() }),
  ),
  'assets.upload': method(
    z
      .object({
        projectId: Id,
        files: z
          .array(
            z.object({
              name: z.string().min(1).max(255),
              // base64 of the file bytes; the transport's payload cap bounds the whole message
              dataBase64: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4),
            }),
          )
          .min(1)
          .max(500),
      })
      .strict(),
    ImportOutcome,
  ),
  'assets.importFolder': method(
    z.object({ projectId: Id, path: LocalPath, recursive: z.boolean().default(true) }).strict(),
    z.object({ jobId: Id }),
  ),
  'assets.delete': method(
    z.object({ projectId: Id, assetIds: z.array(Id).min(1) }).strict(),
    z.object({ deleted: z.number().int() }),
  ),
  'assets.tag': method(
    z
      .object({
        projectId: Id,
        assetIds: z.array(Id).min(1),
        tag: label(MAX_TAG_CHARS),
        remove: z.boolean().default(false),
      })
      .strict(),
    z.object({ changed: z.number().int() }),
  ),
  // How a picture was made: the generation that made it, then those that made its parent pictures, back to pictures
  // nobody generated; newest first. Empty for an imported or uploaded picture.
  'assets.lineage': method(
    z.object({ projectId: Id, assetId: Id }).strict(),
    z.array(
      z.object({
        generationId: Id,
        operation: z.string(), // sketch2photo, sample, mix, invert, transfer, upscale, interpolate
        createdAt: Timestamp,
        model: z.object({ id: Id, name: z.string(), family: z.string() }).nullable(), // null: none, or deleted since
        params: z.record(z.string(), z.unknown()), // the recipe, as embedded in exports
        output: Asset.nullable(),
        parents: z.array(z.object({ role: z.string().nullable(), asset: Asset.nullable(), generationId: Id.nullable() })),
      }),
    ),
  ),
  'tags.list': method(
    z.object({ projectId: Id }).strict(),
    z.array(z.object({ name: z.string(), count: z.number().int() })),
  ),
  'jobs.list': method(
    z.object({ projectId: Id.optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    z.array(Job),
  ),
  'models.list': method(
    z.object({ projectId: Id.optional(), family: ModelFamily.optional() }).strict(),
    z.array(ModelSummary),
  ),
  // Live sketch preview: one inference of an image-to-image model on the sketch (any size or channel count;
  // converted to the model's RGB input). Deterministic: the same sketch gives the same image (dropout off).
  'sketch.render': method(
    z.object({ modelId: Id, sketchPngBase64: PreviewPng }).strict(),
    z.object({ imagePngBase64: z.string(), width: z.number().int(), height: z.number().int(), ms: z.number() }),
  ),
  // Turns a photo into pen-like edges (the same extractor that builds training pairs), sized for the model.
  'sketch.edges': method(
    z
      .object({ modelId: Id, source: z.union([z.object({ assetId: Id }), z.object({ imagePngBase64: PreviewPng })]) })
      .strict(),
    z.object({ edgesPngBase64: z.string(), width: z.number().int(), height: z.number().int() }),
  ),
  // Images of seeds from a StyleGAN2 model: z = numpy RandomState(seed).randn(512), as the reference tools draw it.
  'stylegan.generate': method(
    SeedRequest,
    z.object({ imagesPngBase64: z.array(z.string()), size: z.number().int(), ms: z.number() }),
  ),
  // Saves the seeds' images to the project, each a generation recording model, seed, ψ, cutoff and noise mode.
  'stylegan.save': method(
    SeedRequest.extend({ projectId: Id }).strict(),
    z.object({ items: z.array(z.object({ seed: z.number().int(), generationId: Id, asset: Asset })) }),
  ),
  // How a StyleGAN2 model's w layers map onto resolutions and the coarse / middle / fine groups (for mixing sliders).
  'stylegan.layout': method(
    z.object({ modelId: Id }).strict(),
    z.object({
      resolution: z.number().int(),
      numWs: z.number().int(),
      wsResolutions: z.array(z.number().int()),
      groups: z.object({ coarse: z.array(z.number().int()), middle: z.array(z.number().int()), fine: z.array(z.number().int()) }),
    }),
  ),
  // The image of sources' styles blended per layer: one synthesis, fast enough to follow a slider.
  'stylegan.mix': method(MixRequest, z.object({ imagePngBase64: z.string(), size: z.number().int(), ms: z.number() })),
  // Saves a mix to the project as a generation recording its sources and every layer weight.
  'stylegan.saveMix': method(MixRequest.extend({ projectId: Id }).strict(), z.object({ asset: Asset, generationId: Id })),
  // Projects a picture of the project into the model (a job with preview frames): the result is a latent (w or w+,
  // with its noise maps), a reconstruction generation whose parent is the picture, and PSNR/SSIM in the job's result.
  'stylegan.invert': method(
    z
      .object({
        projectId: Id,
        modelId: Id,
        assetId: Id,
        space: InvertSpace.default('w+'),
        steps: z.number().int().min(INVERT_STEPS.min).max(INVERT_STEPS.max).default(INVERT_STEPS.default),
        seed: z.number().int().min(0).default(1),
      })
      .strict(),
    z.object({ jobId: Id }),
  ),
  // A latent walk through keyframes (seeds or stored latents), linear in W+, as a job writing a looping GIF and/or a
  // WebM into the project's exports/; the GIF is filed as an 'interpolate' generation.
  'stylegan.interpolate': method(
    z
      .object({
        projectId: Id,
        modelId: Id,
        keyframes: z.array(MixSource).min(INTERPOLATE_LIMITS.keyframes.min).max(INTERPOLATE_LIMITS.keyframes.max),
        framesPerTransition: z
          .number()
          .int()
          .min(INTERPOLATE_LIMITS.framesPerTransition.min)
          .max(INTERPOLATE_LIMITS.framesPerTransition.max)
          .default(INTERPOLATE_LIMITS.framesPerTransition.default),
        loop: z.boolean().default(true),
        fps: z.number().min(INTERPOLATE_LIMITS.fps.min).max(INTERPOLATE_LIMITS.fps.max).default(INTERPOLATE_LIMITS.fps.default),
        formats: z.array(z.enum(['gif', 'webm'])).min(1).max(2).default(['gif', 'webm']),
      })
      .strict(),
    z.object({ jobId: Id }),
  ),
  // Super-resolution of library pictures with a pretrained ESRGAN (npm @upscalerjs weights), tiled so any size that
  // fits the output limit works; a job filing each result as an 'upscale' generation of its picture.
  'upscale.assets': method(
    z
      .object({
        projectId: Id,
        assetIds: z.array(Id).min(1).max(1000),
        model: UpscaleModel.default('slim'),
        scale: z.literal(UPSCALE_SCALES).default(4),
      })
      .strict(),
    z.object({ jobId: Id }),
  ),
  // Translates pictures with a CycleGAN model, A → B or B → A, as a job (progress, cancel keeps what is done): each result
  // is filed as a 'transfer' generation of its source and written as a PNG (recipe embedded) into exportDir, named
  // after its source with the direction (cat.png → cat-AtoB.png). Job.result is a TransferOutcome.
  'transfer.images': method(TransferImagesParams, z.object({ jobId: Id })),
  // Saves the sketch and its rendering to the project: sketch asset → generation → output asset.
  'sketch.save': method(
    z.object({ projectId: Id, modelId: Id, sketchPngBase64: PreviewPng }).strict(),
    z.object({ sketchAsset: Asset, outputAsset: Asset, generationId: Id }),
  ),
  // Writes a copy of an asset into the project's exports/ folder with its generation parameters embedded.
  'assets.export': method(
    z
      .object({ projectId: Id, assetId: Id, format: ExportFormat, quality: z.number().int().min(EXPORT_QUALITY.min).max(EXPORT_QUALITY.max).default(EXPORT_QUALITY.default) })
      .strict(),
    z.object({ path: z.string(), fileName: z.string(), bytes: z.number().int() }),
  ),
  // Writes the model's generator as ONNX (NCHW float, opset 17; a StyleGAN2 as its synthesis file, ws → image, and its
  // mapping file, z → ws, beside it) into the project's exports/ with a manifest beside it; checked by running the files in ONNX Runtime against the
  // studio's own output. Families: ONNX_EXPORT_FAMILIES, models made or trained in the studio.
  'models.exportOnnx': method(
    z.object({ projectId: Id, modelId: Id }).strict(),
    z.object({
      path: z.string(),
      manifestPath: z.string(),
      bytes: z.number().int(),
      maxAbsDiff: z.number(), // |ONNX Runtime − studio| over a random input, in output units ([-1, 1] images)
    }),
  ),
  // Writes the model's generator as TensorFlow.js GraphModels (model.json + weights, what tf.loadGraphModel reads; NHWC
  // float in [-1, 1]; a StyleGAN2 as synthesis/ and mapping/) into a folder of the project's exports/ with
  // gan-studio.json saying how to feed them; checked by loading them in tfjs-converter against the studio's output.
  'models.exportTfjs': method(
    z.object({ projectId: Id, modelId: Id }).strict(),
    z.object({
      path: z.string(), // the folder
      manifestPath: z.string(),
      bytes: z.number().int(),
      maxAbsDiff: z.number(),
    }),
  ),
  // Brings in a generator exported elsewhere (e.g. PyTorch → ONNX) with its manifest (default: the .onnx path + '.json').
  'models.importOnnx': method(
    z.object({ projectId: Id, onnxPath: LocalPath, manifestPath: LocalPath.optional(), name: label(120).optional() }).strict(),
    ModelSummary,
  ),
  'datasets.list': method(z.object({ projectId: Id }).strict(), z.array(DatasetSummary)),
  // Builds training pairs from folders on disk, as a job (progress, cancel; bad files are skipped and listed).
  'datasets.prepare': method(
    z.object({ projectId: Id, name: Name, source: PairSourceParams, imageSize: z.literal(DATASET_IMAGE_SIZES).default(128) }).strict(),
    z.object({ jobId: Id }),
  ),
  // Each family's training method, whose params are its training settings ('train.start' for pix2pix).
  ...trainingMethods,
  // StyleGAN2 models the project sees that a training run can start from (fine-tune): those that keep their
  // discriminator beside G_ema, as the shipped demo models do. With the network sizes a new run must share.
  'train.fineTuneModels': method(
    z.object({ projectId: Id }).strict(),
    z.array(
      z.object({
        modelId: Id,
        name: z.string(),
        source: z.enum(['builtin', 'trained', 'imported']),
        resolution: z.number().int().positive(),
        channelBase: z.number().int().positive(),
        channelMax: z.number().int().positive(),
        mappingLayers: z.number().int().positive(),
      }),
    ),
  ),
  // Continues a paused (cancelled), failed or interrupted training job from its latest checkpoint, exactly.
  // untilStep: pause again once that many steps are done (else train to the end).
  'train.resume': method(z.object({ jobId: Id, untilStep: z.number().int().min(1).optional() }).strict(), z.object({ jobId: Id })),
  // Every metric a run recorded, for its charts: name → [step, value] pairs in step order.
  'runs.metrics': method(
    z.object({ jobId: Id }).strict(),
    z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))),
  ),
  'jobs.cancel': method(z.object({ jobId: Id }).strict(), z.object({ cancelled: z.boolean() })),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export const JobProgress = z.object({
  jobId: Id,
  stage: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  metrics: z.record(z.string(), z.number()).optional(), // values of this step: a training step's losses, an inversion's PSNR
  previewAssetId: Id.optional(),
  previewStep: z.number().int().nonnegative().optional(), // the step the preview shows (a training sample grid's)
  // Training: the run's newest sample grid, and its latest held-out measures (test_l1/test_psnr of pix2pix, kid of
  // the generators) with the step they were measured at, which is not the progress step. Both stay on later events.
  sample: SampleGrid.optional(),
  evaluation: z.object({ step: z.number().int().nonnegative(), values: z.record(z.string(), z.number().nullable()) }).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const events = {
  'job.progress': JobProgress,
  'job.state': Job, // every status change, with the job's whole record
  'library.changed': z.object({ projectId: Id.nullable(), what: z.enum(['projects', 'assets', 'tags']) }),
  'engine.state': EngineInfo,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** Variants of an asset's pixels served by URL (studio:// in Electron, token route in browser mode). */
export const AssetVariant = z.enum(['full', 'thumb']);
export type AssetVariant = z.infer<typeof AssetVariant>;

/** What the preload exposes as `window.studio`, and what the WebSocket client implements. */
export interface StudioBridge {
  invoke<M extends MethodName>(
    method: M,
    params: ParamsIn<M>,
  ): Promise<Outcome<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  assetUrl(assetId: number, variant: AssetVariant): string;
}
