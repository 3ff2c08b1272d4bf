// How one kind of job maps onto an engine task, and how main/ folds the task's streamed items into the library.
import type { Library } from '../library/library.js';

/** An asset that shows how a job is going (the latest training sample grid), and the step it shows. */
export interface JobPreview {
  assetId: number;
  step?: number;
}

/**
 * What onItem returns when the job's outcome (result()) changed in a way worth showing while the job still runs, e.g.
 * what a training run read from its folder: the job's record is stored and sent with it at once, not only at the end.
 */
export const PUBLISH_OUTCOME = 'publish-outcome';

export interface JobCollector {
  /**
   * Called in main/ for each item the engine streams; work done here survives a later crash or cancel. Returning a
   * preview makes it the job's preview, sent with its progress; PUBLISH_OUTCOME publishes the outcome so far. The job
   * finishes only after every returned promise has settled.
   */
  onItem(item: unknown): JobPreview | typeof PUBLISH_OUTCOME | void | Promise<JobPreview | void>;
  /** The engine task's return value, when it finishes. */
  onResult?(result: unknown): void;
  /** The job's stored outcome, also when it ended early (partial results are kept). */
  result(): unknown;
}

export interface JobKindSpec {
  label: string;
  task: string;
  prepare(params: Record<string, unknown>, projectId: number | null, library: Library, jobId: number): {
    engineParams: unknown;
    collector: JobCollector;
  };
}
