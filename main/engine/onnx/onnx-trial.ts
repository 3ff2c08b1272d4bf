// Runs the test inferences of an untrusted ONNX graph in a short-lived child process (onnx-trial-process.ts) that can
// be stopped: a graph that never ends (a Loop whose condition stays true) or that is far too large would otherwise hold
// the engine, and every task queued behind it, for good. ONNX Runtime's run is one synchronous native call that neither
// a timer nor a worker's terminate() can interrupt; SIGKILL to a process can. The studio (EngineHost) runs this, at the
// engine's request: the process is started through a TrialSpawner (trial-spawner.ts), a utilityProcess in Electron.
import { StudioError } from '../../api/errors.js';
import { nodeTrialSpawner, type TrialProcessHandle, type TrialSpawner } from './trial-spawner.js';

/** A tensor the manifest names: its graph name and its shape (batch first). */
export interface TensorSpec {
  name: string;
  shape: readonly number[];
}

export type TrialRequest =
  /** One image-to-image run on a mid-grey image. */
  | { kind: 'image'; bytes: Uint8Array; input: TensorSpec; output: TensorSpec; fill: number }
  /** A StyleGAN2 pair: w̄ from `wAvgSamples` mapped z unless `wAvg` is given, then one synthesis run at w̄. */
  | { kind: 'stylegan2'; synthesis: Uint8Array; mapping: Uint8Array; z: TensorSpec; mappedWs: TensorSpec; ws: TensorSpec; image: TensorSpec; wAvg?: number[]; wAvgSamples: number };

export type TrialToHost =
  | { type: 'ready' }
  /** A test run finished (sent at most every few hundred ms): the host's watchdog starts again. */
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; wAvg?: number[] }
  | { type: 'failed'; message: string };

export interface TrialOptions {
  signal?: AbortSignal;
  /** Longest a single test run (loading the graph included) may take, in seconds. */
  timeLimitS?: number;
  onProgress?(done: number, total: number): void;
}

/** Runs a test request (runTrial on the host; the engine's TaskContext.runTrial asks the host to). */
export type TrialFunction = (request: TrialRequest, options?: TrialOptions) => Promise<{ wAvg?: number[] }>;

export const DEFAULT_TRIAL_SECONDS = 60;
/** The w̄ estimate as a whole may take this many single-run limits (10 minutes at the default). */
const W_AVG_LIMITS = 10;
/** Starting Node and loading ONNX Runtime, before any of the file is seen. */
const STARTUP_LIMIT_MS = 60_000;

const refuse = (message: string): StudioError => new StudioError('MODEL_INCOMPATIBLE', message);

/**
 * Runs `request` in a fresh child process (started by `spawner`) and resolves with its outcome; refuses (MODEL_INCOMPATIBLE) when a run fails,
 * crashes the child or outlasts its limit, and rejects with CANCELLED when `signal` aborts. The child is always gone
 * when this settles.
 */
export function runTrial(request: TrialRequest, options: TrialOptions = {}, spawner: TrialSpawner = nodeTrialSpawner): Promise<{ wAvg?: number[] }> {
  const limitS = options.timeLimitS ?? DEFAULT_TRIAL_SECONDS;
  const limitMs = limitS * 1000;
  if (options.signal?.aborted) return Promise.reject(new StudioError('CANCELLED', 'Cancelled.'));
  let child: TrialProcessHandle;
  try {
    child = spawner();
  } catch (err) {
    return Promise.reject(new StudioError('ENGINE_ERROR', `The ONNX test process could not run: ${(err as Error).message}`));
  }
  return new Promise<{ wAvg?: number[] }>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // The first report's time and count: the pace is measured from there (the first run also loads the graph).
    let firstReport: { at: number; done: number } | null = null;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.kill();
      outcome();
    };
    const tooSlow = (): void =>
      finish(() => reject(refuse(`The model did not finish a test run within ${limitS} s; it may loop forever or be far too large for this computer.`)));
    const watch = (ms: number, onTimeout: () => void): void => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
    };
    const onAbort = (): void => finish(() => reject(new StudioError('CANCELLED', 'Cancelled.')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    watch(STARTUP_LIMIT_MS, () => finish(() => reject(new StudioError('ENGINE_ERROR', `The ONNX test process did not start within ${STARTUP_LIMIT_MS / 1000} s.`))));

    child.onMessage((message) => {
      switch (message.type) {
        case 'ready':
          watch(limitMs, tooSlow);
          child.send(request);
          break;
        case 'progress': {
          watch(limitMs, tooSlow);
          options.onProgress?.(message.done, message.total);
          // Each run in time is not enough: 10 000 runs of 50 s each would take a week. Refuse as soon as the pace
          // says the whole estimate cannot end within its limit.
          if (firstReport === null) firstReport = { at: Date.now(), done: message.done };
          else if (message.done < message.total && message.done > firstReport.done) {
            const projectedMs = ((Date.now() - firstReport.at) / (message.done - firstReport.done)) * (message.total - firstReport.done);
            if (projectedMs > W_AVG_LIMITS * limitMs) {
              finish(() =>
                reject(refuse(`The mapping is too slow to estimate w̄ from ${message.total} z within ${W_AVG_LIMITS * limitS} s (it would take about ${Math.round(projectedMs / 1000)} s); give w̄ as wAvg in the manifest.`)),
              );
            }
          }
          break;
        }
        case 'done':
          finish(() => resolve(message.wAvg === undefined ? {} : { wAvg: message.wAvg }));
          break;
        case 'failed':
          finish(() => reject(refuse(message.message)));
          break;
      }
    });
    child.onError((err) => finish(() => reject(new StudioError('ENGINE_ERROR', `The ONNX test process could not run: ${err.message}`))));
    child.onExit((description) =>
      finish(() => reject(refuse(`ONNX Runtime stopped while running the model (${description}); the file is malformed or needs more memory than this computer has.`))),
    );
  });
}
