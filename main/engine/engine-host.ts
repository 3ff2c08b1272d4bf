// main/'s handle on the engine process: starts it, routes task messages, and restarts it when it dies,
// failing only the tasks that were in flight so the studio stays usable.
import type { EngineInfo } from '../api/contract.js';
import type { EventBus } from '../service/event-bus.js';
import { StudioError, toErrorShape } from '../api/errors.js';
import { forkChild, siblingEntry, type ChildEntry, type ChildHandle } from './child-entry.js';
import { z } from 'zod';
import { engineTasks, itemSchemaOf, type EngineItem, type EngineParamsInput, type EngineResult, type EngineTaskName } from './engine-api.js';
import type { EngineToHost, HostToEngine, TaskProgress } from './engine-protocol.js';
import { runTrial } from './onnx/onnx-trial.js';
import { nodeTrialSpawner, type TrialSpawner } from './onnx/trial-spawner.js';

export type EngineProcessHandle = ChildHandle<HostToEngine, EngineToHost>;

/** Starts one engine process. Node uses child_process.fork; the Electron shell passes a utilityProcess spawner. */
export type EngineSpawner = () => EngineProcessHandle;

/** The engine's entry, beside this module. */
export const engineEntryPath = (): ChildEntry => siblingEntry(import.meta.url, 'engine-process');

export const nodeForkSpawner: EngineSpawner = () => forkChild(engineEntryPath(), 'engine');

export interface TaskHandlers<K extends EngineTaskName = EngineTaskName> {
  onProgress?(progress: TaskProgress): void;
  /** Each item task K streams, validated against its spec (engine-api.ts). */
  onItem?(item: EngineItem<K>): void;
}

export interface EngineHostOptions {
  /**
   * Starts the processes that test-run an imported ONNX graph for the engine (default: child_process.fork). The
   * Electron shell passes a utilityProcess spawner: the engine, a utilityProcess itself, cannot start one there.
   */
  trialSpawner?: TrialSpawner;
}

/** A test run this host runs for the engine: the task that asked, and the abort that kills its process. */
interface RunningTrial {
  taskId: number;
  controller: AbortController;
}

interface PendingTask {
  task: EngineTaskName;
  onProgress?(progress: TaskProgress): void;
  onItem?(item: unknown): void;
  resolve(result: unknown): void;
  reject(error: StudioError): void;
}

/** `value` checked against `schema`: null when it fits, else the ENGINE_ERROR `what` opens (and zod's account). */
function mismatch(schema: z.ZodType, value: unknown, what: string): StudioError | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : new StudioError('ENGINE_ERROR', `${what} does not match its spec: ${z.prettifyError(parsed.error)}`);
}

const RESTART_DELAYS_MS = [200, 1000, 3000, 10_000];

export class EngineHost {
  #spawner: EngineSpawner;
  #trialSpawner: TrialSpawner;
  #events: EventBus;
  #process: EngineProcessHandle | null = null;
  /** The current engine process's test runs, by its trialId. */
  #trials = new Map<number, RunningTrial>();
  #info: EngineInfo = { state: 'stopped', pid: null, restarts: 0, backend: null };
  #pending = new Map<number, PendingTask>();
  #queued: HostToEngine[] = [];
  #nextTaskId = 1;
  #stopping = false;
  #ready: Promise<void> | null = null;
  #crashesInARow = 0;

  constructor(spawner: EngineSpawner, events: EventBus, options: EngineHostOptions = {}) {
    this.#spawner = spawner;
    this.#trialSpawner = options.trialSpawner ?? nodeTrialSpawner;
    this.#events = events;
  }

  info(): EngineInfo {
    return { ...this.#info, pid: this.#process?.pid ?? null };
  }

  /** Starts the process; resolves once it reported its backend. */
  start(): Promise<void> {
    this.#stopping = false;
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  /**
   * Runs engine task `task` (engine-api.ts's map): `params` are checked against its spec before anything is sent, and
   * its result and streamed items against theirs as they arrive. Params that do not fit fail the task at once with
   * ENGINE_ERROR (a bug of main/'s, as the engine itself answers such params; nothing runs); a result or item that
   * does not fit fails it with ENGINE_ERROR naming the task, and the engine is told to stop it.
   */
  run<K extends EngineTaskName>(task: K, params: EngineParamsInput<K>, handlers: TaskHandlers<K> = {}): { taskId: number; result: Promise<EngineResult<K>> } {
    const taskId = this.#nextTaskId++;
    const refused = mismatch(engineTasks[task].params, params, `Could not run the engine's task "${task}": what main/ passed as its params`);
    if (refused !== null) return { taskId, result: Promise.reject(refused) };
    const result = new Promise<EngineResult<K>>((resolve, reject) => {
      const { onProgress, onItem } = handlers;
      this.#pending.set(taskId, {
        task,
        ...(onProgress === undefined ? {} : { onProgress }),
        ...(onItem === undefined ? {} : { onItem: onItem as (item: unknown) => void }),
        resolve: resolve as (result: unknown) => void,
        reject,
      });
    });
    this.#send({ type: 'run', taskId, task, params });
    return { taskId, result };
  }

  cancel(taskId: number): void {
    if (!this.#pending.has(taskId)) return;
    // The test runs it asked for stop here at once (their processes are this host's), not when the engine hears.
    this.#abortTrials(this.#trials, taskId);
    this.#send({ type: 'cancel', taskId });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const proc = this.#process;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.onExit(() => resolve()));
    proc.send({ type: 'shutdown' });
    const timer = setTimeout(() => proc.kill(), 2000);
    await exited;
    clearTimeout(timer);
  }

  #send(message: HostToEngine): void {
    if (this.#info.state === 'ready' && this.#process) this.#process.send(message);
    else this.#queued.push(message);
  }

  #setState(patch: Partial<EngineInfo>): void {
    this.#info = { ...this.#info, ...patch };
    this.#events.emit('engine.state', this.info());
  }

  #spawn(): Promise<void> {
    return new Promise<void>((resolveReady) => {
      const proc = this.#spawner();
      this.#process = proc;
      const trials = new Map<number, RunningTrial>();
      this.#trials = trials;
      const startedAt = Date.now();
      this.#setState({ state: this.#info.restarts > 0 ? 'restarting' : 'starting' });
      proc.onMessage((message) => {
        if (message.type === 'ready') {
          this.#setState({ state: 'ready', backend: message.backend });
          for (const queued of this.#queued.splice(0)) proc.send(queued);
          resolveReady();
          return;
        }
        if (message.type === 'trial') {
          this.#runTrial(proc, trials, message);
          return;
        }
        if (message.type === 'trial-cancel') {
          trials.get(message.trialId)?.controller.abort();
          return;
        }
        this.#onTaskMessage(message);
      });
      let ended = false;
      const onEnded = (description: string): void => {
        if (ended) return; // a fork that failed may report 'error' and then 'exit': one restart, not two
        ended = true;
        // Nobody is left to hear the test runs' outcomes: their processes go with the engine.
        this.#abortTrials(trials);
        if (this.#process !== proc) return;
        this.#process = null;
        this.#failInFlight(description);
        if (this.#stopping) {
          this.#setState({ state: 'stopped' });
          resolveReady();
          return;
        }
        console.error(`[engine] process ended unexpectedly (${description}); restarting`);
        this.#crashesInARow = Date.now() - startedAt > 60_000 ? 1 : this.#crashesInARow + 1;
        const delay = RESTART_DELAYS_MS[Math.min(this.#crashesInARow - 1, RESTART_DELAYS_MS.length - 1)]!;
        this.#setState({ state: 'restarting', restarts: this.#info.restarts + 1 });
        setTimeout(() => {
          if (!this.#stopping) this.#ready = this.#spawn();
        }, delay);
        resolveReady();
      };
      proc.onExit(onEnded);
      // Without a listener, a fork's 'error' (EAGAIN, ENOMEM: it could not be started) would end the studio itself.
      // One that never started is handled as an exit; any other (a failed send or kill) is only logged, since the
      // process still runs and its own 'exit', when it comes, restarts it.
      proc.onError((error) => {
        console.error(`[engine] process error: ${error.message}`);
        if (proc.pid === null) onEnded(`could not be started: ${error.message}`);
      });
    });
  }

  /** Runs the engine's test run in a process of this host's starting and sends the engine its progress and outcome. */
  #runTrial(proc: EngineProcessHandle, trials: Map<number, RunningTrial>, message: Extract<EngineToHost, { type: 'trial' }>): void {
    const { taskId, trialId, request, timeLimitS } = message;
    const controller = new AbortController();
    trials.set(trialId, { taskId, controller });
    const options = {
      signal: controller.signal,
      ...(timeLimitS === undefined ? {} : { timeLimitS }),
      onProgress: (done: number, total: number) => proc.send({ type: 'trial-progress', trialId, done, total }),
    };
    runTrial(request, options, this.#trialSpawner)
      .then(
        (result) => proc.send({ type: 'trial-done', trialId, result }),
        (err: unknown) => proc.send({ type: 'trial-failed', trialId, error: toErrorShape(err) }),
      )
      // The engine went away meanwhile: its exit already failed the task, and nobody waits for this outcome.
      .catch((err: unknown) => console.error(`[engine] could not report test run ${trialId}: ${String(err)}`))
      .finally(() => trials.delete(trialId));
  }

  /** Kills the test runs of `trials` (those task `taskId` asked for, or all). */
  #abortTrials(trials: Map<number, RunningTrial>, taskId?: number): void {
    for (const trial of trials.values()) if (taskId === undefined || trial.taskId === taskId) trial.controller.abort();
  }

  #onTaskMessage(message: Exclude<EngineToHost, { type: 'ready' | 'trial' | 'trial-cancel' }>): void {
    const pending = this.#pending.get(message.taskId);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
      case 'item':
        try {
          if (message.type === 'progress') pending.onProgress?.(message.progress);
          else {
            const schema = itemSchemaOf(pending.task);
            if (schema === null) throw new StudioError('ENGINE_ERROR', `The engine's task "${pending.task}" streams no items, yet sent one.`);
            const malformed = mismatch(schema, message.item, `An item the engine's task "${pending.task}" sent`);
            if (malformed !== null) throw malformed;
            pending.onItem?.(message.item);
          }
        } catch (err) {
          // Thrown from inside the process's message listener, this would be uncaught and end the whole studio
          // (every other job with it). It fails this task alone: the engine stops it, its caller hears why.
          this.#failTask(message.taskId, pending, err instanceof StudioError ? err : new StudioError('INTERNAL', `Could not keep the task's results: ${String(err)}`));
        }
        break;
      case 'done': {
        const malformed = mismatch(engineTasks[pending.task].result, message.result, `The result the engine's task "${pending.task}" sent`);
        this.#pending.delete(message.taskId);
        if (malformed === null) pending.resolve(message.result);
        else pending.reject(malformed);
        break;
      }
      case 'failed':
        this.#pending.delete(message.taskId);
        pending.reject(new StudioError(message.error.code, message.error.message, message.error.details));
        break;
    }
  }

  /** Fails a running task from this side: its caller hears `error`, and the engine is told to stop it. */
  #failTask(taskId: number, pending: PendingTask, error: StudioError): void {
    this.#pending.delete(taskId);
    this.#send({ type: 'cancel', taskId });
    pending.reject(error);
  }

  #failInFlight(description: string): void {
    const inFlight = [...this.#pending.values()];
    this.#pending.clear();
    // Queued 'run' messages were never delivered; they fail too rather than run after a surprise restart.
    this.#queued = this.#queued.filter((m) => m.type !== 'run' && m.type !== 'cancel');
    for (const task of inFlight) {
      task.reject(
        new StudioError(
          'ENGINE_CRASHED',
          `The engine process stopped unexpectedly (${description}) while running this job. It has been restarted; nothing else was lost.`,
        ),
      );
    }
  }
}
