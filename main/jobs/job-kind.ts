// How one kind of job maps onto an engine task, and how main/ folds the task's streamed items into the library.
import type { Library } from '../library/library.js';

export interface JobCollector {
  /** Called in main/ for each item the engine streams; work done here survives a later crash or cancel. */
  onItem(item: unknown): void;
  /** The job's stored outcome, also when it ended early (partial results are kept). */
  result(): unknown;
}

export interface JobKindSpec {
  label: string;
  task: string;
  prepare(params: Record<string, unknown>, projectId: number | null, library: Library): {
    engineParams: unknown;
    collector: JobCollector;
  };
}
