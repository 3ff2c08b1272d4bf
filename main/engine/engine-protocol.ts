// Messages between main/ (EngineHost) and the engine process. Plain structured-clone data only.
import type { BackendInfo } from '../api/contract.js';
import type { StudioErrorShape } from '../api/errors.js';
import type { InteractiveModels } from './interactive-models.js';
import type { TrialFunction, TrialRequest } from './onnx/onnx-trial.js';

export type HostToEngine =
  | { type: 'run'; taskId: number; task: string; params: unknown }
  | { type: 'cancel'; taskId: number }
  | { type: 'shutdown' }
  /** A test run the engine asked for (see EngineToHost 'trial'): one finished run of several, the last one, or why not. */
  | { type: 'trial-progress'; trialId: number; done: number; total: number }
  | { type: 'trial-done'; trialId: number; result: { wAvg?: number[] } }
  | { type: 'trial-failed'; trialId: number; error: StudioErrorShape };

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
  | { type: 'failed'; taskId: number; error: StudioErrorShape }
  /**
   * Task `taskId` asks the host to test-run an untrusted ONNX graph in a process the host starts (onnx-trial.ts):
   * the engine cannot start one itself inside Electron. `trialId` is unique within this engine process.
   */
  | { type: 'trial'; taskId: number; trialId: number; request: TrialRequest; timeLimitS?: number }
  /** The task no longer wants the test run (it was cancelled): the host kills its process. */
  | { type: 'trial-cancel'; trialId: number };

/**
 * What a task running in the engine gets: cancellation, progress and a way to stream partial results (`Item`: what the
 * task streams, engine-api.ts's EngineItem of its name).
 */
export interface TaskContext<Item = unknown> {
  signal: AbortSignal;
  onProgress(progress: TaskProgress): void;
  /** Streams one finished unit of work to main/ at once, so a crash or cancel keeps what was done. */
  emitItem(item: Item): void;
  /**
   * Test-runs an untrusted ONNX graph in a short-lived process the host starts and kills (onnx-trial.ts's runTrial,
   * run by EngineHost): refuses (MODEL_INCOMPATIBLE) on a failed or too slow run, CANCELLED when `signal` aborts.
   */
  runTrial: TrialFunction;
}

/** What a task gets besides cancellation and progress: the engine's loaded models. */
export interface EngineTaskContext<Item = unknown> extends TaskContext<Item> {
  models: InteractiveModels;
}
