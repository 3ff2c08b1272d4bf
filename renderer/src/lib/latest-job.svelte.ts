// The latest job a view started, one at a time (an inversion, a transfer batch), as a rune class: the run the view
// keeps of it, and whether it is starting, running or being cancelled. What to check, call and record is the view's own.
import { cancelJob, watchNewJob, type JobWatch } from './job-watch.svelte';
import { failure, type Outcome, type Studio } from './studio';

/** What a view keeps of a job it started: at least the project it ran in and the watch on it. */
export interface JobRun {
  projectId: number;
  watch: JobWatch;
}

export class LatestJob<R extends JobRun> {
  starting = $state(false);
  cancelling = $state(false);
  /** The latest run started here; null before the first. */
  run = $state.raw<R | null>(null);
  running = $derived(this.run?.watch.active ?? false);
  /** Starting or running: no second one starts, and the settings it runs with stay put. */
  busy = $derived(this.starting || this.running);

  readonly #studio: Studio;
  /** The work as messages name it: "inversion", "transfer". */
  readonly #what: string;

  constructor(studio: Studio, what: string) {
    this.#studio = studio;
    this.#what = what;
  }

  /** The run shown for `projectId`: another project's is hidden. */
  runOf(projectId: number | null): R | null {
    return this.run?.projectId === projectId ? this.run : null;
  }

  /**
   * Starts a job through `begin` (the studio call, which answers the job's id) and makes `record(watch)` the run; the
   * previous run's watch stops listening. A failed call comes back with its code and the message to show.
   */
  async launch(begin: () => Promise<Outcome<{ jobId: number }>>, record: (watch: JobWatch) => R): Promise<Outcome<number>> {
    this.starting = true;
    try {
      const started = await watchNewJob(this.#studio, begin);
      if (!started.ok) return failure(started.error.code, `Could not start the ${this.#what}: ${started.error.message}`);
      const { jobId, watch } = started.value;
      this.run?.watch.dispose();
      this.run = record(watch);
      return { ok: true, value: jobId };
    } finally {
      this.starting = false;
    }
  }

  /** Asks the job under way to stop; resolves with false when none is (it had ended). */
  async cancel(): Promise<Outcome<boolean>> {
    const jobId = this.run?.watch.jobId;
    if (jobId === null || jobId === undefined || !this.running) return { ok: true, value: false };
    this.cancelling = true;
    try {
      return await cancelJob(this.#studio, jobId, this.#what);
    } finally {
      this.cancelling = false;
    }
  }
}
