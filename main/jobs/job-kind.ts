// How one kind of job maps onto an engine task, and how main/ folds the task's streamed items into the library.
import type { Library } from '../library/library.js';

export interface JobCollector {
  /**
   * Called in main/ for each item the engine streams; work done here survives a later crash or cancel. Returning an
   * asset id makes it the job's preview (shown with its progress, e.g. the latest training sample grid). The job
   * finishes only after every returned promise has settled.
   */
  onItem(item: unknown): number | void | Promise<number | void>;
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
