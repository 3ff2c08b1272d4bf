// Training runs as the artist sees them: the jobs of one run (a first job and the jobs that resumed it) folded into
// one row, what their typed outcomes say (step, held-out PSNR, the model, what was read), and readings of live progress.
import { isTrainingJob, rootRunOf, type Job, type JobStatus, type SampleGrid, type TrainingDataset, type TrainingJob } from '../../../../main/api/contract';
import { familyRun } from './family-runs';
import { iterationsOf } from './image-folder-form';
import { familyOfJobKind, folderName, trainingFamily, type TrainingFamilyId } from './training-form';

/** What a training task read from its images, with CycleGAN's per-folder counts (A, B) as a list: empty for one folder. */
export type RunDataset = Omit<TrainingDataset, 'domains'> & { domains: { label: string; train: number; test: number }[] };

const runDataset = ({ domains, ...read }: TrainingDataset): RunDataset => ({
  ...read,
  domains: Object.entries(domains ?? {}).map(([label, counts]) => ({ label, ...counts })),
});

/** The settings a training job was started with, as far as the Train view reads them. */
export interface TrainingSettings {
  name: string;
  /** pix2pix: the prepared dataset's name. */
  dataset: string;
  /** StyleGAN2, PGGAN: the folder of images. */
  dataDir: string;
  /** CycleGAN: the folders of its two domains. */
  dataA: string;
  dataB: string;
  /** Square side in px (pix2pix imageSize, StyleGAN2 resolution). */
  imageSize: number | null;
  ngf: number | null;
  /** CycleGAN: ResNet blocks of each generator. */
  nBlocks: number | null;
  epochs: number | null;
  epochsDecay: number | null;
  batchSize: number | null;
  /** StyleGAN2 and PGGAN: the run's length in thousands of images, and its network widths (PGGAN's fmapBase/fmapMax). */
  totalKimg: number | null;
  channelBase: number | null;
  channelMax: number | null;
  /** StyleGAN2: depth of the mapping network. */
  mappingLayers: number | null;
  sampleEvery: number | null;
  untilStep: number | null;
}

export interface TrainingRun {
  /** The first job of the run: its run folder, metrics and sample tag belong to this id. */
  rootId: number;
  family: TrainingFamilyId;
  /** The newest job of the run: its status is the run's. */
  job: TrainingJob;
  /** Every job of the run, newest first. */
  jobs: TrainingJob[];
  settings: TrainingSettings;
  status: JobStatus;
  /**
   * Ended without a model before its last step: "stop after N steps" was reached. The back end marks such a job
   * succeeded, and train.resume refuses succeeded jobs.
   */
  stoppedEarly: boolean;
  /** Last step stored for the newest job (live progress is newer while it runs). */
  step: number;
  total: number;
  /** Latest held-out PSNR (dB) and L1 any job of the run stored (pix2pix), or null. */
  psnr: number | null;
  l1: number | null;
  /** Latest KID any job of the run stored (generators; lower is closer to the training images), or null. */
  kid: number | null;
  /** The model the run produced, once it finished. */
  modelId: number | null;
  /** The iteration of the run's latest checkpoint any of its jobs reported, or null: none yet. */
  checkpointStep: number | null;
  /** Paused, failed or interrupted: train.resume continues it from its latest checkpoint. */
  resumable: boolean;
  /** What the newest job that read the images found there, or null (pix2pix, or not read yet). */
  dataset: RunDataset | null;
  /** The newest sample grid any job of the run filed, or null: none yet. */
  latestSample: SampleGrid | null;
}

export const isActive = (status: JobStatus): boolean => status === 'queued' || status === 'running';
export const isResumable = (status: JobStatus): boolean => status === 'cancelled' || status === 'failed' || status === 'interrupted';

/** The settings of a training job as the Train view reads them: the fields every job has, and its family's (lib/train/family-runs.ts). */
export function trainingSettings(job: TrainingJob): TrainingSettings {
  const { name, batchSize, sampleEvery } = job.params;
  const settings: TrainingSettings = {
    name,
    dataset: '',
    dataDir: '',
    dataA: '',
    dataB: '',
    imageSize: null,
    ngf: null,
    nBlocks: null,
    epochs: null,
    epochsDecay: null,
    batchSize,
    totalKimg: null,
    channelBase: null,
    channelMax: null,
    mappingLayers: null,
    sampleEvery,
    untilStep: job.params.untilStep ?? null,
  };
  return { ...settings, ...familyRun(familyOfJobKind(job.kind).id).runSettings(job.params) };
}

/**
 * Steps of the whole run as its settings plan them, where they say (StyleGAN2: ⌈kimg·1000 / batch⌉), else 0. Stands
 * in for the job's total when the record has none (a job whose last report was a stage without steps, e.g. KID).
 */
export function plannedSteps(settings: Pick<TrainingSettings, 'totalKimg' | 'batchSize'>): number {
  const { totalKimg, batchSize } = settings;
  return totalKimg !== null && totalKimg > 0 && batchSize !== null && batchSize > 0 ? iterationsOf(totalKimg, batchSize) : 0;
}

/** What a run trained on, in a few words: the prepared dataset's name, the image folder's, or both folders' (A ↔ B). */
export function runSource(settings: Pick<TrainingSettings, 'dataset' | 'dataDir' | 'dataA' | 'dataB'>): string {
  if (settings.dataA || settings.dataB) return `${folderName(settings.dataA)} ↔ ${folderName(settings.dataB)}`;
  return settings.dataset || folderName(settings.dataDir);
}

/**
 * A run's settings in one line: "CycleGAN on “photos ↔ paintings” · 128 px · ngf 32 · 6 ResNet blocks · batch 1",
 * "StyleGAN2 on “faces” · 64 px · channels 4096/128 · batch 16", "Pix2Pix on “shoes” · 128 px · ngf 64".
 */
export function runSummary(run: Pick<TrainingRun, 'family' | 'settings'>): string {
  const s = run.settings;
  const family = familyRun(run.family);
  const label = family.summaryLabel ?? trainingFamily(run.family).shortLabel;
  return [`${label} on “${runSource(s)}”`, ...(s.imageSize ? [`${s.imageSize} px`] : []), ...family.summaryParts(s)].join(' · ');
}

/** Training jobs of `kinds` among `jobs`, one row per run, newest run first. */
export function trainingRuns(jobs: readonly Job[], kinds: readonly string[]): TrainingRun[] {
  const byRoot = new Map<number, TrainingJob[]>();
  for (const job of jobs) {
    if (!isTrainingJob(job) || !kinds.includes(job.kind)) continue;
    const root = rootRunOf(job.id, job.params);
    const chain = byRoot.get(root);
    if (chain) chain.push(job);
    else byRoot.set(root, [job]);
  }
  const runs: TrainingRun[] = [];
  for (const [rootId, chain] of byRoot) {
    chain.sort((a, b) => b.id - a.id);
    const job = chain[0]!;
    const outcomes = chain.map((j) => j.result);
    const latestWith = (name: string): number | null => outcomes.find((o) => typeof o?.metrics[name] === 'number')?.metrics[name] ?? null;
    const modelId = job.status === 'succeeded' ? (outcomes[0]?.modelId ?? null) : null;
    // The record's step is saved at most once a second while running; the outcome has the step it ended at.
    const step = isActive(job.status) ? job.step : Math.max(job.step, outcomes[0]?.step ?? 0);
    const settings = trainingSettings(job);
    const dataset = outcomes.find((o) => o?.dataset)?.dataset;
    runs.push({
      rootId,
      family: familyOfJobKind(job.kind).id,
      job,
      jobs: chain,
      settings,
      status: job.status,
      stoppedEarly: job.status === 'succeeded' && modelId === null,
      step,
      total: job.total > 0 ? job.total : plannedSteps(settings),
      psnr: latestWith('test_psnr'),
      l1: latestWith('test_l1'),
      kid: latestWith('kid'),
      modelId,
      checkpointStep: outcomes.find((o) => o?.checkpointStep != null)?.checkpointStep ?? null,
      // A run stopped by its "stop after" ended well but has no model yet: it resumes like a paused one.
      resumable: isResumable(job.status) || (job.status === 'succeeded' && outcomes[0] != null && outcomes[0].modelId === null),
      dataset: dataset === undefined ? null : runDataset(dataset),
      latestSample: outcomes.find((o) => o?.latestSample)?.latestSample ?? null,
    });
  }
  return runs.sort((a, b) => b.rootId - a.rootId);
}

/** The 1-based epoch in a progress stage such as "Training, epoch 3", or null. */
export function epochOfStage(stage: string | null | undefined): number | null {
  const match = /\bepoch (\d+)/i.exec(stage ?? '');
  return match ? Number(match[1]) : null;
}

/** The 1-based epoch that step `step` of a `total`-step run of `epochs` epochs trains in (0 before the first step). */
export function epochOfStep(step: number, total: number, epochs: number): number | null {
  if (!(total > 0) || !(epochs > 0) || total % epochs !== 0) return null;
  if (step <= 0) return 0;
  const perEpoch = total / epochs;
  return Math.min(epochs, Math.floor((step - 1) / perEpoch) + 1);
}

/**
 * Steps per second over the last `windowMs` of progress reports. A step lower than the last one (a run resumed from
 * an earlier checkpoint) starts over.
 */
export class RateMeter {
  #samples: { step: number; at: number }[] = [];
  readonly #windowMs: number;

  constructor(windowMs = 30_000) {
    this.#windowMs = windowMs;
  }

  add(step: number, at: number): void {
    const last = this.#samples[this.#samples.length - 1];
    if (last && (step < last.step || at < last.at)) this.#samples = [];
    if (last && step === last.step) return;
    this.#samples.push({ step, at });
    const horizon = at - this.#windowMs;
    // Keep one sample at or before the horizon so the window is always full once it has been.
    while (this.#samples.length > 2 && this.#samples[1]!.at <= horizon) this.#samples.shift();
  }

  /** Null until two reports at least half a second apart. */
  perSecond(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.at - first.at < 500) return null;
    return ((last.step - first.step) * 1000) / (last.at - first.at);
  }

  reset(): void {
    this.#samples = [];
  }
}

/** "12.3 steps/s", "0.42 steps/s", "1 step every 8.0 s". */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond) || perSecond <= 0) return '';
  if (perSecond >= 10) return `${perSecond.toFixed(0)} steps/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)} steps/s`;
  if (perSecond >= 0.1) return `${perSecond.toFixed(2)} steps/s`;
  return `1 step every ${(1 / perSecond).toFixed(0)} s`;
}
