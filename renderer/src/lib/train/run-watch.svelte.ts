// One opened training run as a rune class: its metric series (history from 'runs.metrics', then live points from
// job.progress), its live progress and speed, and its latest sample grid. Works the same for a finished run.
import type { Job, JobProgress } from '../../../../main/api/contract';
import type { Studio } from '../studio';
import { RunMetrics, type MetricPoint } from './metric-series';
import { isActive, likelySampleStep, RateMeter, rootOf, sampleStepOfName } from './training-runs';

/** Held-out metrics come only with 'runs.metrics' (progress carries the losses): re-read at most this often. */
const HISTORY_REFRESH_MS = 10_000;

export interface RunSample {
  assetId: number;
  /** Training step the grid was made at; null while unknown. */
  step: number | null;
}


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
  sample = $state.raw<RunSample | null>(null);
  sampleError = $state<string | null>(null);

  readonly #studio: Studio;
  readonly #jobOf: (jobId: number) => Job | undefined;
  readonly #rate = new RateMeter();
  readonly #off: (() => void)[] = [];
  #disposed = false;
  #historyInFlight: Promise<void> | null = null;
  #historyAgain = false;
  #historyAt = 0;
  #historyTimer: ReturnType<typeof setTimeout> | null = null;
  #sampleToken = 0;

  /** `jobOf` finds a job record by id (the app's job list), to tell whether a progress event is this run's. */
  constructor(studio: Studio, projectId: number, rootId: number, jobOf: (jobId: number) => Job | undefined) {
    this.#studio = studio;
    this.projectId = projectId;
    this.rootId = rootId;
    this.#jobOf = jobOf;
    this.#off.push(
      studio.on('job.progress', (p) => this.#onProgress(p)),
      studio.on('job.state', (job) => this.#onState(job)),
    );
  }

  /** Loads the recorded history and the latest sample grid; failures are kept in `historyError` / `sampleError`. */
  async load(): Promise<void> {
    await Promise.all([this.refreshHistory(), this.#loadLatestSample()]);
  }

  /** Re-reads the whole history; calls made while one is under way run once after it. */
  async refreshHistory(): Promise<void> {
    if (this.#historyInFlight) {
      this.#historyAgain = true;
      return this.#historyInFlight;
    }
    this.#historyInFlight = (async () => {
      do {
        this.#historyAgain = false;
        this.#historyAt = Date.now();
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
    if (this.#historyTimer !== null) clearTimeout(this.#historyTimer);
    this.#historyTimer = null;
  }

  #belongs(jobId: number): boolean {
    const job = this.#jobOf(jobId);
    return job !== undefined && rootOf(job) === this.rootId;
  }

  #onProgress(p: JobProgress): void {
    if (this.#disposed || !this.#belongs(p.jobId)) return;
    this.progress = p;
    if (p.total > 0) {
      this.#rate.add(p.step, Date.now());
      this.stepsPerSecond = this.#rate.perSecond();
    }
    if (p.metrics) {
      this.metrics.record(p.step, p.metrics);
      this.version++;
    }
    if (p.previewAssetId !== undefined && p.previewAssetId !== this.sample?.assetId) {
      const sampleEvery = this.#jobOf(p.jobId)?.params['sampleEvery'];
      this.sample = { assetId: p.previewAssetId, step: p.previewStep ?? likelySampleStep(p.step, typeof sampleEvery === 'number' ? sampleEvery : null) };
      void this.#loadLatestSample();
      // A new grid comes with new held-out metrics, which only the history has.
      this.#scheduleHistoryRefresh();
    }
  }

  #onState(job: Job): void {
    if (this.#disposed || rootOf(job) !== this.rootId || isActive(job.status)) return;
    // The job stopped: its last metrics and its final grid (made after the last progress report) are stored now.
    this.progress = null;
    this.stepsPerSecond = null;
    this.#rate.reset();
    void this.refreshHistory();
    void this.#loadLatestSample();
  }

  #scheduleHistoryRefresh(): void {
    if (this.#historyTimer !== null) return;
    const wait = Math.max(0, this.#historyAt + HISTORY_REFRESH_MS - Date.now());
    this.#historyTimer = setTimeout(() => {
      this.#historyTimer = null;
      if (!this.#disposed) void this.refreshHistory();
    }, wait);
  }

  /** The run's newest sample grid: grids are assets tagged "run <root id>", named "… step <N>.png". */
  async #loadLatestSample(): Promise<void> {
    const token = ++this.#sampleToken;
    const page = await this.#studio.call('assets.list', { projectId: this.projectId, tag: `run ${this.rootId}`, limit: 1 });
    if (this.#disposed || token !== this.#sampleToken) return;
    if (!page.ok) return void (this.sampleError = page.error.message);
    const asset = page.value.items[0];
    this.sampleError = null;
    if (!asset) return;
    // A live preview newer than the listing stays (the listing may have been read before it was stored).
    const shown = this.sample;
    if (shown && shown.assetId > asset.id) return;
    this.sample = { assetId: asset.id, step: sampleStepOfName(asset.name) ?? (shown?.assetId === asset.id ? shown.step : null) };
  }
}
