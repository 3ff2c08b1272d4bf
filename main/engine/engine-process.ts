// Entry of the engine process: selects a backend, then runs tasks sent by main/ with progress and cancellation.
// It runs apart from the studio so native crashes and heavy compute never freeze or take down the UI.
// tfjs-core's Node build registers no gradient functions; tfjs-layers' import registers them for training.
import '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { StudioError, toErrorShape, type Outcome } from '../api/errors.js';
import { selectBackend } from './backend-ladder.js';
import { exitWithParent } from './child-lifetime.js';
import { parentChannel } from './engine-channel.js';
import { engineTasks, isEngineTaskName, type EngineTaskName } from './engine-api.js';
import type { EngineTaskContext, HostToEngine, TaskProgress } from './engine-protocol.js';
import { InteractiveModels } from './interactive-models.js';
import type { TrialFunction } from './onnx/onnx-trial.js';
import { taskRunners, type EngineTask } from './tasks/index.js';

const PROGRESS_INTERVAL_MS = 100;
exitWithParent();
const channel = parentChannel();
const running = new Map<number, AbortController>();
const models = new InteractiveModels();

interface PendingTrial {
  onProgress?(done: number, total: number): void;
  settle(outcome: Outcome<{ wAvg?: number[] }>): void;
}
const trials = new Map<number, PendingTrial>();
let nextTrialId = 1;

/**
 * Task `taskId`'s TaskContext.runTrial: the host test-runs the graph in a process of its own starting (inside Electron
 * this process cannot start one) and answers with 'trial-progress', then 'trial-done' or 'trial-failed'.
 */
function trialRunner(taskId: number): TrialFunction {
  return (request, options = {}) => {
    const { signal, timeLimitS, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new StudioError('CANCELLED', 'Cancelled.'));
    const trialId = nextTrialId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        channel.send({ type: 'trial-cancel', trialId });
        settle({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } });
      };
      const settle: PendingTrial['settle'] = (outcome) => {
        if (!trials.delete(trialId)) return;
        signal?.removeEventListener('abort', onAbort);
        if (outcome.ok) resolve(outcome.value);
        else reject(new StudioError(outcome.error.code, outcome.error.message, outcome.error.details));
      };
      trials.set(trialId, { settle, ...(onProgress === undefined ? {} : { onProgress }) });
      signal?.addEventListener('abort', onAbort, { once: true });
      channel.send({ type: 'trial', taskId, trialId, request, ...(timeLimitS === undefined ? {} : { timeLimitS }) });
    });
  };
}

function onTrialMessage(message: Extract<HostToEngine, { trialId: number }>): void {
  const trial = trials.get(message.trialId);
  if (!trial) return;
  switch (message.type) {
    case 'trial-progress':
      trial.onProgress?.(message.done, message.total);
      break;
    case 'trial-done':
      trial.settle({ ok: true, value: message.result });
      break;
    case 'trial-failed':
      trial.settle({ ok: false, error: message.error });
      break;
  }
}

function throttledProgress(taskId: number): (progress: TaskProgress) => void {
  let lastSent = 0;
  return (progress) => {
    const now = Date.now();
    // Always send the last step so bars reach 100%; otherwise at most every PROGRESS_INTERVAL_MS.
    if (now - lastSent < PROGRESS_INTERVAL_MS && progress.step < progress.total) return;
    lastSent = now;
    channel.send({ type: 'progress', taskId, progress });
  };
}

/**
 * Runs task `name` on `raw` params validated against its spec (engine-api.ts): the one place the engine checks what
 * main/ sent, so each task gets its params parsed, defaults filled in.
 */
function runNamedTask<K extends EngineTaskName>(name: K, raw: unknown, ctx: EngineTaskContext): Promise<unknown> {
  const parsed = engineTasks[name].params.safeParse(raw);
  if (!parsed.success) throw new StudioError('ENGINE_ERROR', `The engine's task "${name}" was given invalid params: ${z.prettifyError(parsed.error)}`);
  // The registry is typed by the same map (tasks/index.ts), so task K gets K's params; TypeScript cannot follow the
  // correlation through the schema's parse, hence the one widening here.
  const task = taskRunners[name] as EngineTask<K>;
  return task(parsed.data as Parameters<EngineTask<K>>[0], ctx as Parameters<EngineTask<K>>[1]);
}

async function runTask(taskId: number, taskName: string, params: unknown): Promise<void> {
  const controller = new AbortController();
  running.set(taskId, controller);
  try {
    if (!isEngineTaskName(taskName)) throw new StudioError('ENGINE_ERROR', `The engine has no task "${taskName}".`);
    const result = await runNamedTask(taskName, params, {
      signal: controller.signal,
      onProgress: throttledProgress(taskId),
      emitItem: (item) => channel.send({ type: 'item', taskId, item }),
      runTrial: trialRunner(taskId),
      models,
    });
    channel.send({ type: 'done', taskId, result: result ?? null });
  } catch (err) {
    const shape = controller.signal.aborted ? { code: 'CANCELLED' as const, message: 'Cancelled.' } : toErrorShape(err);
    if (shape.code === 'INTERNAL') shape.code = 'ENGINE_ERROR';
    channel.send({ type: 'failed', taskId, error: shape });
  } finally {
    running.delete(taskId);
  }
}

channel.onMessage((message) => {
  switch (message.type) {
    case 'run':
      void runTask(message.taskId, message.task, message.params);
      break;
    case 'cancel':
      running.get(message.taskId)?.abort();
      break;
    case 'trial-progress':
    case 'trial-done':
    case 'trial-failed':
      onTrialMessage(message);
      break;
    case 'shutdown':
      process.exit(0);
  }
});

const backend = await selectBackend();
channel.send({ type: 'ready', backend });
