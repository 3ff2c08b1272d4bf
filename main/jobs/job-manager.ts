// Schedules jobs on the engine one at a time, persists their status and progress in the library's runs table,
// and publishes job events. A job that ends early keeps whatever it finished.
import type { Job, JobKind } from '../api/contract.js';
import type { EventBus } from '../api/event-bus.js';
import { StudioError } from '../api/errors.js';
import type { EngineHost } from '../engine/engine-host.js';
import type { Library } from '../library/library.js';
import type { TaskProgress } from '../engine/engine-protocol.js';
import { EtaEstimator } from './eta.js';
import { PUBLISH_OUTCOME, type JobPreview } from './job-kind.js';
import { jobKinds } from './kinds/index.js';

const PERSIST_PROGRESS_MS = 1000;
const LIBRARY_CHANGED_MS = 500;

interface QueuedJob {
  id: number;
  kind: JobKind;
  projectId: number | null;
  params: Record<string, unknown>;
}

export class JobManager {
  #queue: QueuedJob[] = [];
  #running: { jobId: number; taskId: number | null; cancelRequested: boolean } | null = null;
  #idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly library: Library,
    private readonly engine: EngineHost,
    private readonly events: EventBus,
  ) {
    // Jobs that were running when the studio last stopped cannot resume by themselves: say so honestly.
    this.library.markUnfinishedRunsInterrupted();
  }

  start(kind: JobKind, projectId: number | null, params: Record<string, unknown>): Job {
    if (projectId !== null) this.library.getProject(projectId); // NOT_FOUND before anything is queued
    const job = this.library.createRun(projectId, kind, params);
    this.events.emit('job.state', job);
    this.#queue.push({ id: job.id, kind, projectId, params });
    this.#pump();
    return job;
  }

  cancel(jobId: number): boolean {
    const job = this.library.getRun(jobId);
    const queuedIndex = this.#queue.findIndex((q) => q.id === jobId);
    if (queuedIndex >= 0) {
      this.#queue.splice(queuedIndex, 1);
      this.#finish(jobId, 'cancelled', null, job.result);
      return true;
    }
    if (this.#running?.jobId === jobId) {
      this.#running.cancelRequested = true;
      if (this.#running.taskId !== null) this.engine.cancel(this.#running.taskId);
      return true;
    }
    return false;
  }

  /** Resolves when the queue is empty and nothing runs (tests, orderly shutdown). */
  whenIdle(): Promise<void> {
    return this.#idle;
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    const next = this.#queue.shift()!;
    this.#idle = this.#run(next).finally(() => {
      this.#running = null;
      this.#pump();
    });
  }

  async #run(queued: QueuedJob): Promise<void> {
    const spec = jobKinds[queued.kind];
    this.#running = { jobId: queued.id, taskId: null, cancelRequested: false };
    let collector: ReturnType<typeof spec.prepare>['collector'] | null = null;
    const storing: Promise<void>[] = []; // items the collector is still writing (e.g. sample images)
    let finalProgress = (): TaskProgress | undefined => undefined; // progress is saved at most once a second
    try {
      const prepared = spec.prepare(queued.params, queued.projectId, this.library, queued.id);
      collector = prepared.collector;
      this.#update(queued.id, { status: 'running', startedAt: new Date().toISOString() });
      await this.engine.start();
      const eta = new EtaEstimator();
      let persistedAt = 0;
      let changedAt = 0;
      let preview: JobPreview | undefined;
      let last: TaskProgress | undefined;
      const emitProgress = (progress: TaskProgress): void => {
        this.events.emit('job.progress', {
          jobId: queued.id,
          stage: progress.stage,
          step: progress.step,
          total: progress.total,
          etaSeconds: eta.update(progress.step, progress.total),
          ...(progress.metrics ? { metrics: progress.metrics } : {}),
          ...(preview === undefined ? {} : { previewAssetId: preview.assetId, ...(preview.step === undefined ? {} : { previewStep: preview.step }) }),
        });
      };
      // A new preview is shown at once, even when it comes after the last progress report (a final sample grid).
      const setPreview = (next: JobPreview | void): void => {
        if (next === undefined) return;
        preview = next;
        if (last !== undefined) emitProgress(last);
      };
      const task = this.engine.runTask(spec.task, prepared.engineParams, {
        onProgress: (progress) => {
          last = progress;
          const now = Date.now();
          if (now - persistedAt >= PERSIST_PROGRESS_MS || progress.step === progress.total) {
            persistedAt = now;
            this.library.updateRun(queued.id, { step: progress.step, total: progress.total });
          }
          emitProgress(progress);
        },
        onItem: (item) => {
          const result = prepared.collector.onItem(item);
          if (result instanceof Promise) {
            storing.push(result.then(setPreview, (err: unknown) => console.warn(`GAN Studio: job ${queued.id} could not store an item: ${String(err)}`)));
          } else if (result === PUBLISH_OUTCOME) this.#update(queued.id, { result: prepared.collector.result() ?? null });
          else setPreview(result);
          const now = Date.now();
          if (now - changedAt >= LIBRARY_CHANGED_MS) {
            changedAt = now;
            this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
          }
        },
      });
      finalProgress = () => last;
      this.#running.taskId = task.taskId;
      if (this.#running.cancelRequested) this.engine.cancel(task.taskId);
      const outcome = await task.result; // awaited apart: an optional call would skip evaluating its argument
      prepared.collector.onResult?.(outcome);
      await Promise.all(storing);
      this.#finish(queued.id, 'succeeded', null, collector.result(), finalProgress());
    } catch (err) {
      await Promise.all(storing);
      const error = err instanceof StudioError ? err : new StudioError('INTERNAL', String(err));
      const partial = collector ? collector.result() : null;
      if (error.code === 'CANCELLED' || this.#running?.cancelRequested) this.#finish(queued.id, 'cancelled', null, partial, finalProgress());
      else this.#finish(queued.id, 'failed', error.message, partial, finalProgress());
    } finally {
      if (queued.projectId !== null) this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
    }
  }

  #finish(jobId: number, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, result: unknown, progress?: TaskProgress): void {
    const steps = progress === undefined ? {} : { step: progress.step, total: progress.total };
    this.#update(jobId, { status, error, result: result ?? null, finishedAt: new Date().toISOString(), ...steps });
  }

  #update(jobId: number, patch: Parameters<Library['updateRun']>[1]): void {
    this.events.emit('job.state', this.library.updateRun(jobId, patch));
  }
}
