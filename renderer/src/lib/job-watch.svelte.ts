// One job followed by a view (an inversion, a latent walk) as a rune class: its record, its latest progress, the
// latest value of each metric it reported and its newest preview frame. Created before the call that starts the job,
// so the events that arrive ahead of the call's answer (the job's "running" state) are kept, not lost. Beside it, how a
// view starts one (`watchNewJob`), is told when it ends (`whenJobEnds`) and cancels it (`cancelJob`).
import { untrack } from 'svelte';
import type { Job, JobProgress } from '../../../main/api/contract';
import { failure, type Outcome, type Studio } from './studio';

export const isActiveStatus = (status: Job['status']): boolean => status === 'queued' || status === 'running';

/** Events kept while the job id is not known yet: only the round trip of the starting call, so a handful. */
const MAX_EARLY_EVENTS = 200;
/** Preview assets remembered per job: more than a batch view shows while it runs (its outcome lists them all). */
const MAX_PREVIEW_IDS = 5000;

export class JobWatch {
  /** Null until `follow`. */
  jobId = $state<number | null>(null);
  job = $state.raw<Job | null>(null);
  /** Latest progress while the job runs; kept once it stops (the last step, stage and ETA it reported). */
  progress = $state.raw<JobProgress | null>(null);
  /** Latest value of every metric the job reported, e.g. PSNR that comes only with preview steps. */
  metrics = $state.raw<Record<string, number>>({});
  /** Newest preview frame (an asset) and the step it shows, if the job sends any. */
  preview = $state.raw<{ assetId: number; step: number } | null>(null);
  /** Every distinct preview asset, oldest first: a batch job's results as they are filed (a transfer's outputs). */
  previewIds = $state.raw<number[]>([]);
  status = $derived<Job['status']>(this.job?.status ?? 'queued');
  active = $derived(isActiveStatus(this.status));

  readonly #off: (() => void)[];
  #early: ({ state: Job } | { progress: JobProgress })[] = [];

  constructor(studio: Studio) {
    this.#off = [
      studio.on('job.state', (job) => this.#take({ state: job })),
      studio.on('job.progress', (progress) => this.#take({ progress })),
    ];
  }

  /** Follows `jobId` from now on, with what already came for it. */
  follow(jobId: number): void {
    this.jobId = jobId;
    const early = this.#early;
    this.#early = [];
    for (const event of early) this.#take(event);
  }

  /** Stops listening; the last record, progress and metrics stay readable. */
  dispose(): void {
    for (const off of this.#off.splice(0)) off();
    this.#early = [];
  }

  #take(event: { state: Job } | { progress: JobProgress }): void {
    if (this.jobId === null) {
      if (this.#early.length < MAX_EARLY_EVENTS) this.#early.push(event);
      return;
    }
    if ('state' in event) {
      if (event.state.id === this.jobId) this.job = event.state;
      return;
    }
    const p = event.progress;
    if (p.jobId !== this.jobId) return;
    this.progress = p;
    if (p.metrics) this.metrics = { ...this.metrics, ...p.metrics };
    if (p.previewAssetId !== undefined && p.previewAssetId !== this.preview?.assetId) {
      this.preview = { assetId: p.previewAssetId, step: p.previewStep ?? p.step };
      if (!this.previewIds.includes(p.previewAssetId) && this.previewIds.length < MAX_PREVIEW_IDS) this.previewIds = [...this.previewIds, p.previewAssetId];
    }
  }
}

/**
 * Starts a job through `begin` (a studio call that answers the job's id) and follows it. The watch listens from before
 * the call, so the events that come ahead of its answer are kept; if the call fails, it stops listening and answers
 * the call's error.
 */
export async function watchNewJob(studio: Studio, begin: () => Promise<Outcome<{ jobId: number }>>): Promise<Outcome<{ jobId: number; watch: JobWatch }>> {
  const watch = new JobWatch(studio);
  const started = await begin().catch((err: unknown) => failure('INTERNAL', messageOf(err)));
  if (!started.ok) {
    watch.dispose();
    return started;
  }
  const { jobId } = started.value;
  watch.follow(jobId);
  return { ok: true, value: { jobId, watch } };
}

/**
 * Calls `ended` once when the job a component shows (`current()`) ends while shown: the same job went from queued or
 * running to done, failed, cancelled or interrupted. A job that had already ended when shown is not told again. An
 * effect: call it while the component initialises.
 */
export function whenJobEnds(current: () => JobWatch | null | undefined, ended: (job: Job, watch: JobWatch) => void): void {
  let seen: { jobId: number | null; active: boolean } | null = null;
  $effect(() => {
    const watch = current();
    const now = watch ? { jobId: watch.jobId, active: watch.active } : null;
    const before = seen;
    seen = now;
    // An ended job has its record: `active` is true until the first one comes.
    if (!watch?.job || !now || now.active || before?.jobId !== now.jobId || !before.active) return;
    const job = watch.job;
    untrack(() => ended(job, watch));
  });
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Asks the studio to cancel `jobId`; `what` names the work ("transfer") in the message when it cannot. */
export async function cancelJob(studio: Studio, jobId: number, what: string): Promise<Outcome<boolean>> {
  const answer = await studio.call('jobs.cancel', { jobId });
  if (!answer.ok) return failure(answer.error.code, `Could not cancel the ${what}: ${answer.error.message}`);
  return { ok: true, value: answer.value.cancelled };
}
