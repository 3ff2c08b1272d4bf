// Schedules jobs on the engine one at a time, persists their status and progress in the library's runs table,
// and publishes job events. A job that ends early keeps whatever it finished.
import type { Job, JobKind } from '../api/contract.js';
import type { EventBus } from '../api/event-bus.js';
import { StudioError } from '../api/errors.js';
import type { EngineHost } from '../engine/engine-host.js';
import type { Library } from '../library/library.js';
import { EtaEstimator } from './eta.js';
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
    try {
      const prepared = spec.prepare(queued.params, queued.projectId, this.library, queued.id);
      collector = prepared.collector;
      this.#update(queued.id, { status: 'running', startedAt: new Date().toISOString() });
      await this.engine.start();
      const eta = new EtaEstimator();
      let persistedAt = 0;
      let changedAt = 0;
      let previewAssetId: number | undefined;
      const setPreview = (id: number | void): void => {
        if (typeof id === 'number') previewAssetId = id;
      };
      const task = this.engine.runTask(spec.task, prepared.engineParams, {
        onProgress: (progress) => {
          const now = Date.now();
          if (now - persistedAt >= PERSIST_PROGRESS_MS || progress.step === progress.total) {
            persistedAt = now;
            this.library.updateRun(queued.id, { step: progress.step, total: progress.total });
          }
          this.events.emit('job.progress', {
            jobId: queued.id,
            stage: progress.stage,
            step: progress.step,
            total: progress.total,
            etaSeconds: eta.update(progress.step, progress.total),
            ...(progress.metrics ? { metrics: progress.metrics } : {}),
            ...(previewAssetId === undefined ? {} : { previewAssetId }),
          });
        },
        onItem: (item) => {
          const preview = prepared.collector.onItem(item);
          if (preview instanceof Promise) {
            storing.push(preview.then(setPreview, (err: unknown) => console.warn(`GAN Studio: job ${queued.id} could not store an item: ${String(err)}`)));
          } else setPreview(preview);
          const now = Date.now();
          if (now - changedAt >= LIBRARY_CHANGED_MS) {
            changedAt = now;
            this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
          }
        },
      });
      this.#running.taskId = task.taskId;
      if (this.#running.cancelRequested) this.engine.cancel(task.taskId);
      const outcome = await task.result; // awaited apart: an optional call would skip evaluating its argument
      prepared.collector.onResult?.(outcome);
      await Promise.all(storing);
      this.#finish(queued.id, 'succeeded', null, collector.result());
    } catch (err) {
      await Promise.all(storing);
      const error = err instanceof StudioError ? err : new StudioError('INTERNAL', String(err));
      const partial = collector ? collector.result() : null;
      if (error.code === 'CANCELLED' || this.#running?.cancelRequested) this.#finish(queued.id, 'cancelled', null, partial);
      else this.#finish(queued.id, 'failed', error.message, partial);
    } finally {
      if (queued.projectId !== null) this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
    }
  }

  #finish(jobId: number, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, result: unknown): void {
    this.#update(jobId, { status, error, result: result ?? null, finishedAt: new Date().toISOString() });
  }

  #update(jobId: number, patch: Parameters<Library['updateRun']>[1]): void {
    this.events.emit('job.state', this.library.updateRun(jobId, patch));
  }
}
