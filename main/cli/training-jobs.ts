// What every `gan-studio train …` command shares: option parsing, following a training job to its end (Ctrl+C
// pauses it), resuming one, and the options of the image-to-image families (pix2pix, CycleGAN) and of the families that
// train on one folder of images (StyleGAN2, PGGAN).
import type { Command } from 'commander';
import path from 'node:path';
import { isTrainingJob } from '../api/contract.js';
import { DIFF_AUGMENT_OPS, trainingParams, type DiffAugmentOpName } from '../api/job-params.js';
import { defaultsOf, type SettingDefaults } from '../../models/common/setting-limits.js';
import type { FamilyName } from '../../models/families.js';
import type { Studio } from '../studio.js';
import { call, CliError } from './call.js';
import { followJob } from './job-progress.js';

export const positiveInt = (v: string): number => {
  const n = Number.parseInt(v, 10);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`"${v}" is not a whole number.`);
  return n;
};

const isAugmentOp = (op: string): op is DiffAugmentOpName => (DIFF_AUGMENT_OPS as readonly string[]).includes(op);

/** --augment: DiffAugment ops joined by commas ('none' for no augmentation), checked here so a typo fails at once. */
export const diffAugmentOps = (v: string): string => {
  if (v === 'none') return '';
  const unknown = v.split(',').filter((op) => !isAugmentOp(op));
  if (unknown.length > 0) throw new CliError(`Unknown augmentation "${unknown.join(',')}": use ${DIFF_AUGMENT_OPS.join(', ')} (joined by commas) or none.`);
  return v;
};

/** The ops of a checked --augment value ('' for none). */
export const augmentOpsOf = (v: string): DiffAugmentOpName[] => v.split(',').filter(isAugmentOp);

/** Follows a training job to its end (Ctrl+C pauses it) and says where it stands and how to continue. */
export async function followTraining(studio: Studio, jobId: number, shown: readonly string[], command: string): Promise<void> {
  console.log(`Training job ${jobId} (Ctrl+C pauses; resume with --resume ${jobId}).`);
  const job = await followJob(studio, jobId, shown);
  const result = isTrainingJob(job) ? job.result : null;
  const domains = Object.entries(result?.dataset?.domains ?? {});
  if (domains.length > 0) console.log(domains.map(([name, { train, test }]) => `${name}: ${train} training images, ${test} held out`).join('; '));
  for (const notice of result?.dataset?.notices ?? []) console.log(`Note: ${notice}`);
  if ((result?.dataset?.skipped.length ?? 0) > 0) console.log(`Note: ${result!.dataset!.skipped.length} files could not be read and were skipped.`);
  const psnr = result?.metrics['test_psnr'];
  const kid = result?.metrics['kid'];
  const held =
    typeof psnr === 'number' ? `, held-out PSNR ${psnr.toFixed(2)} dB, L1 ${result!.metrics['test_l1']?.toFixed(4)}`
    : typeof kid === 'number' ? `, KID ${kid.toFixed(4)}`
    : '';
  console.log(`${job.status} at step ${result?.step ?? 0}${held}.${result?.modelId ? ` Model ${result.modelId} is in the library.` : ''}`);
  if (job.status === 'failed') throw new CliError(job.error ?? 'Training failed.');
  if (job.status !== 'succeeded') console.log(`Checkpoint at step ${result?.checkpointStep ?? 0}: resume with "gan-studio train ${command} --resume ${jobId}".`);
}

export const resumeTraining = (studio: Studio, opts: Record<string, unknown>): Promise<{ jobId: number }> =>
  call(studio, 'train.resume', { jobId: Number(opts['resume']), ...(typeof opts['untilStep'] === 'number' ? { untilStep: opts['untilStep'] } : {}) });

/** The contract's defaults of a family's training settings (its own, its schedule, the seed), which the options take. */
export const trainingDefaults = <N extends FamilyName>(family: N): SettingDefaults<(typeof trainingParams)[N]['shape']> => defaultsOf(trainingParams[family].shape) as never;

/** The options every image-folder family (StyleGAN2, PGGAN) shares, with the family's defaults. */
export function imageFolderTraining(command: Command, defaults: { batchSize: number; seed: number; checkpointEvery: number; sampleEvery: number; kidEvery: number }): Command {
  return command
    .option('-p, --project <name>', 'project name (created if missing)', 'Default')
    .option('--data <dir>', 'folder of training images (other sizes and aspects are centre-cropped and resized)')
    .option('--batch <n>', 'minibatch size', positiveInt, defaults.batchSize)
    .option('--margin <fraction>', 'white border added around each image, as a fraction of its side', Number.parseFloat)
    .option('--seed <n>', 'seed of weights, data order and latents', positiveInt, defaults.seed)
    .option('--checkpoint-every <steps>', 'iterations between checkpoints', positiveInt, defaults.checkpointEvery)
    .option('--sample-every <steps>', 'iterations between seed grids', positiveInt, defaults.sampleEvery)
    .option('--kid-every <steps>', 'iterations between KID measurements (and one at the end)', positiveInt, defaults.kidEvery)
    .option('--until-step <n>', 'pause (with a checkpoint) once this many iterations are done', positiveInt)
    .option('--fp16', "store the finished model's weights as float16 (half the size)")
    .option('--resume <job>', 'continue a paused, failed or interrupted training job from its latest checkpoint', positiveInt);
}

/** The settings both image-folder families read from those options. */
export function imageFolderSettings(opts: Record<string, string | number | boolean | undefined>, projectId: number) {
  if (typeof opts['data'] !== 'string') throw new CliError('Give --data DIR, a folder of training images.');
  return {
    projectId,
    dataDir: path.resolve(opts['data']),
    name: String(opts['name']),
    resolution: Number(opts['resolution']) as 32 | 64 | 128 | 256,
    batchSize: Number(opts['batch']),
    totalKimg: Number(opts['kimg']),
    seed: Number(opts['seed']),
    checkpointEvery: Number(opts['checkpointEvery']),
    sampleEvery: Number(opts['sampleEvery']),
    kidEvery: Number(opts['kidEvery']),
    fp16: opts['fp16'] === true,
    ...(typeof opts['margin'] === 'number' ? { margin: opts['margin'] } : {}),
    ...(typeof opts['untilStep'] === 'number' ? { untilStep: opts['untilStep'] } : {}),
  };
}

/** The defaults of the settings pix2pix and CycleGAN share. */
interface ImageToImageDefaults {
  imageSize: number;
  ngf: number;
  ndf: number;
  epochs: number;
  epochsDecay: number;
  batchSize: number;
  seed: number;
  checkpointEvery: number;
  sampleEvery: number;
}

/**
 * The options pix2pix and CycleGAN share (junyanz's train.py flags), before and after the family's own: `sizes` names
 * the image sizes it takes and `defaults` are the family's (trainingDefaults).
 */
export function imageToImageTraining(command: Command, family: { sizes: string; defaults: ImageToImageDefaults; modelName: string; sampleHelp: string; continueHelp: string }): Command {
  const { defaults } = family;
  return command
    .option('-p, --project <name>', 'project name (created if missing)', 'Default')
    .option('-n, --name <name>', 'the model name in the library', family.modelName)
    .option('--size <px>', `image size: ${family.sizes}`, positiveInt, defaults.imageSize)
    .option('--ngf <n>', 'generator filters (64 in the reference)', positiveInt, defaults.ngf)
    .option('--ndf <n>', 'discriminator filters (64 in the reference)', positiveInt, defaults.ndf)
    .option('--epochs <n>', 'epochs at the initial learning rate', positiveInt, defaults.epochs)
    .option('--epochs-decay <n>', 'epochs of linear decay to 0', positiveInt, defaults.epochsDecay)
    .option('--batch <n>', 'batch size', positiveInt, defaults.batchSize)
    .option('--seed <n>', 'seed of weights, data order, crops and flips (and CycleGAN\'s image pools)', positiveInt, defaults.seed)
    .option('--checkpoint-every <steps>', 'steps between checkpoints', positiveInt, defaults.checkpointEvery)
    .option('--sample-every <steps>', family.sampleHelp, positiveInt, defaults.sampleEvery)
    .option('--until-step <n>', 'pause (with a checkpoint) once this many steps are done', positiveInt)
    .option('--fp16', "store the finished model's filters as float16 (half the size)")
    .option('--resume <job>', 'continue a paused, failed or interrupted training job from its latest checkpoint', positiveInt)
    .option('--continue-from <checkpoint>', family.continueHelp);
}

/** The settings both image-to-image families read from those options. */
export function imageToImageSettings(opts: Record<string, string | number | boolean | undefined>) {
  return {
    name: String(opts['name']),
    ngf: Number(opts['ngf']),
    ndf: Number(opts['ndf']),
    epochs: Number(opts['epochs']),
    epochsDecay: Number(opts['epochsDecay']),
    batchSize: Number(opts['batch']),
    seed: Number(opts['seed']),
    checkpointEvery: Number(opts['checkpointEvery']),
    sampleEvery: Number(opts['sampleEvery']),
    fp16: opts['fp16'] === true,
    ...(typeof opts['untilStep'] === 'number' ? { untilStep: opts['untilStep'] } : {}),
    ...(typeof opts['continueFrom'] === 'string' ? { continueFrom: path.resolve(opts['continueFrom']) } : {}),
  };
}
