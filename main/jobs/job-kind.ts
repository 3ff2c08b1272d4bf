// How one kind of job maps onto an engine task, and how main/ folds the task's streamed items into the library.
import type { JobProgress } from '../api/contract.js';
import type { EngineItem, EngineParamsInput, EngineResult, EngineTaskName } from '../engine/engine-api.js';
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

/** What onItem returns when the item changed what the job's progress events carry (progress()): they go out at once. */
export const PUBLISH_PROGRESS = 'publish-progress';

/**
 * What onItem returns when the item changed the job's counts: the outcome is stored in the same transaction as the
 * item's rows, so a studio killed mid-job leaves a record that says exactly how far it got (an import's counts).
 */
export const RECORD_OUTCOME = 'record-outcome';

/** How a job folds the items and result of its engine task (`K`, engine-api.ts's name of it) into the library. */
export interface JobCollector<K extends EngineTaskName = EngineTaskName> {
  /**
   * Called in main/ for each item the engine streams; work done here survives a later crash or cancel. Returning a
   * preview makes it the job's preview, sent with its progress; PUBLISH_OUTCOME publishes the outcome so far. The job
   * finishes only after every returned promise has settled.
   */
  onItem(item: EngineItem<K>): JobPreview | typeof PUBLISH_OUTCOME | typeof RECORD_OUTCOME | typeof PUBLISH_PROGRESS | void | Promise<JobPreview | void>;
  /** The engine task's return value, when it finishes. */
  onResult?(result: EngineResult<K>): void;
  /** The job's stored outcome, also when it ended early (partial results are kept); the run store checks its shape. */
  result(): unknown;
  /** What each progress event of the job carries beside its counts: a training run's sample grid and held-out measures. */
  progress?(): Pick<JobProgress, 'sample' | 'evaluation'>;
  /**
   * Where the job stands in its own units, when its progress reports also count other things: a training run reads
   * its images first (step = images read), and a resumed one starts at its checkpoint's step before any report. The
   * job's record keeps this rather than the last report; null until known.
   */
  position?(): { step: number; total: number } | null;
}

export interface PreparedJob<K extends EngineTaskName = EngineTaskName> {
  engineParams: EngineParamsInput<K>;
  collector: JobCollector<K>;
}

/** A kind of job: the engine task `K` it runs, typed from engine-api.ts's map, and how its params become that task's. */
export interface JobKindSpec<K extends EngineTaskName = EngineTaskName> {
  label: string;
  task: K;
  prepare(params: Record<string, unknown>, projectId: number | null, library: Library, jobId: number): PreparedJob<K> | Promise<PreparedJob<K>>;
}
