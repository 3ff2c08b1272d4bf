// Messages between main/ (EngineHost) and the engine process. Plain structured-clone data only.
import type { BackendInfo } from '../api/contract.js';
import type { StudioErrorShape } from '../api/errors.js';

export type HostToEngine =
  | { type: 'run'; taskId: number; task: string; params: unknown }
  | { type: 'cancel'; taskId: number }
  | { type: 'shutdown' };

export interface TaskProgress {
  stage: string;
  step: number;
  total: number;
  metrics?: Record<string, number>;
}

export type EngineToHost =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'progress'; taskId: number; progress: TaskProgress }
  | { type: 'item'; taskId: number; item: unknown }
  | { type: 'done'; taskId: number; result: unknown }
  | { type: 'failed'; taskId: number; error: StudioErrorShape };

/** What a task running in the engine gets: cancellation, progress and a way to stream partial results. */
export interface TaskContext {
  signal: AbortSignal;
  onProgress(progress: TaskProgress): void;
  /** Streams one finished unit of work to main/ at once, so a crash or cancel keeps what was done. */
  emitItem(item: unknown): void;
}
