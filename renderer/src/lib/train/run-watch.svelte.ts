// One opened training run as a rune class: its metric series (history from 'runs.metrics' read when opened and when a
// job of the run ends, live points from job.progress in between: losses, held-out measures as they are made), its live
// progress and speed, and its latest sample grid. Works the same for a finished run.
import { isTrainingJob, rootRunOf, type Job, type JobProgress, type SampleGrid } from '../../../../main/api/contract';
import type { Studio } from '../studio';
import { RunMetrics, type MetricPoint } from './metric-series';
import { isActive, RateMeter } from './training-runs';


export class RunWatch {
  readonly rootId: number;
  readonly projectId: number;
  /** Metric name → its series; not reactive: `version` says when any of them changed. */
  readonly metrics = new RunMetrics();
  /** Goes up on every change of `metrics`. */
  version = $state(0);
  historyLoaded = $state(false);
  historyError = $state<string | null>(null);
  /** Latest progress of the run's running job; null while none runs. */
  progress = $state.raw<JobProgress | null>(null);
  stepsPerSecond = $state<number | null>(null);
  /** The run's newest sample grid: from its jobs' outcomes when opened, then from progress as new ones are filed. */
  sample = $state.raw<SampleGrid | null>(null);

  readonly #studio: Studio;
  readonly #jobs: () => readonly Job[];
  readonly #rate = new RateMeter();
  readonly #off: (() => void)[] = [];
  #disposed = false;
  #historyInFlight: Promise<void> | null = null;
  #historyAgain = false;

  /** `jobs` gives the job records the app knows (its job list), to tell which are this run's. */
  constructor(studio: Studio, projectId: number, rootId: number, jobs: () => readonly Job[]) {
    this.#studio = studio;
    this.projectId = projectId;
    this.rootId = rootId;
    this.#jobs = jobs;
    this.#off.push(
      studio.on('job.progress', (p) => this.#onProgress(p)),
      studio.on('job.state', (job) => this.#onState(job)),
    );
  }

  /** Loads the recorded history and shows the newest sample grid the run's jobs filed; failures are kept in `historyError`. */
  async load(): Promise<void> {
    for (const job of this.#jobs()) this.#showSampleOf(job);
    await this.refreshHistory();
  }

  /** Reads the whole history (on opening, and when the artist retries after a failure); calls made while one is under way run once after it. */
  async refreshHistory(): Promise<void> {
    if (this.#historyInFlight) {
      this.#historyAgain = true;
      return this.#historyInFlight;
    }
    this.#historyInFlight = (async () => {
      do {
        this.#historyAgain = false;
        const history = await this.#studio.call('runs.metrics', { jobId: this.rootId });
        if (this.#disposed) return;
        if (history.ok) {
          this.metrics.mergeHistory(history.value as Record<string, readonly MetricPoint[]>);
          this.historyError = null;
          this.version++;
        } else {
          this.historyError = history.error.message;
        }
        this.historyLoaded = true;
      } while (this.#historyAgain && !this.#disposed);
    })().finally(() => (this.#historyInFlight = null));
    return this.#historyInFlight;
  }

  dispose(): void {
    this.#disposed = true;
    for (const off of this.#off.splice(0)) off();
  }

  #isOurs(job: Job): boolean {
    return isTrainingJob(job) && rootRunOf(job.id, job.params) === this.rootId;
  }

  #onProgress(p: JobProgress): void {
    if (this.#disposed) return;
    const job = this.#jobs().find((j) => j.id === p.jobId);
    if (job === undefined || !this.#isOurs(job)) return;
    this.progress = p;
    if (p.total > 0) {
      this.#rate.add(p.step, Date.now());
      this.stepsPerSecond = this.#rate.perSecond();
    }
    if (p.metrics) this.metrics.record(p.step, p.metrics);
    // Held-out measures are made at their own step (a sample step, a KID step), before the progress that brings them.
    if (p.evaluation) this.metrics.record(p.evaluation.step, p.evaluation.values);
    if (p.metrics || p.evaluation) this.version++;
    if (p.sample) this.#showSample(p.sample);
  }

  #onState(job: Job): void {
    if (this.#disposed || !this.#isOurs(job)) return;
    // A grid made after the last progress report (the final one) is in the job's outcome.
    this.#showSampleOf(job);
    if (isActive(job.status)) return;
    this.progress = null;
    this.stepsPerSecond = null;
    this.#rate.reset();
    // Progress is throttled in the engine, so a fast run's live points skip steps; its recorded history, read once
    // more as its job ends, fills them in (each point is recorded once per step, so this adds only what was missed).
    void this.refreshHistory();
  }

  #showSampleOf(job: Job): void {
    if (isTrainingJob(job) && this.#isOurs(job) && job.result?.latestSample) this.#showSample(job.result.latestSample);
  }

  /** Shows `sample` unless a newer grid (a later asset) is shown already. */
  #showSample(sample: SampleGrid): void {
    if (this.sample === null || sample.assetId > this.sample.assetId) this.sample = sample;
  }
}
