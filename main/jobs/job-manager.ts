// Schedules jobs on the engine one at a time, persists their status and progress in the library's runs table,
// and publishes job events. A job that ends early keeps whatever it finished.
import type { Job, JobKind } from '../api/contract.js';
import type { EventBus } from '../service/event-bus.js';
import { StudioError } from '../api/errors.js';
import type { EngineHost } from '../engine/engine-host.js';
import type { Library } from '../library/library.js';
import type { TaskProgress } from '../engine/engine-protocol.js';
import { EtaEstimator } from './eta.js';
import { PUBLISH_OUTCOME, PUBLISH_PROGRESS, RECORD_OUTCOME, type JobCollector, type JobPreview } from './job-kind.js';
import { jobKinds } from './kinds/index.js';

const PERSIST_PROGRESS_MS = 1000;

/** The step a job's record keeps: the job's own position where it has one, else its last progress report. */
const positionOf = (collector: JobCollector, progress: TaskProgress | undefined): { step: number; total: number } | undefined =>
  collector.position?.() ?? progress;
const LIBRARY_CHANGED_MS = 500;

interface QueuedJob {
  id: number;
  kind: JobKind;
  projectId: number | null;
  params: Record<string, unknown>;
}

const PROJECT_DELETED = 'Cancelled: its project was deleted.';

interface RunningJob {
  jobId: number;
  projectId: number | null;
  taskId: number | null;
  cancelRequested: boolean;
  cancelReason: string | null; // said in the job's record when it was cancelled for a reason other than the user's
}

export class JobManager {
  #queue: QueuedJob[] = [];
  #running: RunningJob | null = null;
  #idle: Promise<void> = Promise.resolve();
  #closingProjects = new Map<number, number>(); // projects being deleted, by how many deletes: they take no new job
  /** How long a project's delete waits for its running job to stop. */
  stopTimeoutMs = 30_000;

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
    if (projectId !== null && this.#closingProjects.has(projectId)) {
      throw new StudioError('NOT_FOUND', `Project ${projectId} is being deleted; it takes no new jobs.`);
    }
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

  /**
   * Cancels every queued and running job of `projectId` and resolves, with how many there were, once none of them
   * runs any more: a project is deleted only after its jobs stopped writing into its folder and rows. New jobs for
   * the project are refused until `done` is called.
   */
  async stopProjectJobs(projectId: number): Promise<{ cancelled: number; done(): void }> {
    // Counted, not a flag: of two deletes at once, the first to finish must not reopen the project under the second.
    this.#closingProjects.set(projectId, (this.#closingProjects.get(projectId) ?? 0) + 1);
    let closed = false;
    const done = (): void => {
      if (closed) return;
      closed = true;
      const left = (this.#closingProjects.get(projectId) ?? 1) - 1;
      if (left > 0) this.#closingProjects.set(projectId, left);
      else this.#closingProjects.delete(projectId);
    };
    try {
      let cancelled = 0;
      for (const queued of this.#queue.filter((q) => q.projectId === projectId)) {
        this.#queue.splice(this.#queue.indexOf(queued), 1);
        this.#finish(queued.id, 'cancelled', PROJECT_DELETED, null);
        cancelled++;
      }
      const running = this.#running;
      if (running !== null && running.projectId === projectId) {
        const stopped = this.#idle; // settles once this job's record is final (see #pump)
        running.cancelReason = PROJECT_DELETED;
        this.cancel(running.jobId);
        cancelled++;
        // A task stops at its next cancellation check, which is seconds away at most; one that does not answer
        // keeps the project rather than hang the delete (the artist can try again, or quit, which ends the engine).
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          stopped.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.stopTimeoutMs))),
        ]).finally(() => clearTimeout(timer));
        if (timedOut) {
          running.cancelReason = null; // it is still cancelled, but its project stays
          const waited = this.stopTimeoutMs < 1000 ? `${this.stopTimeoutMs} ms` : `${Math.round(this.stopTimeoutMs / 1000)} s`;
          throw new StudioError('BUSY', `Job ${running.jobId} did not stop within ${waited} of being cancelled, so the project was kept. Try deleting it again in a moment.`);
        }
      }
      return { cancelled, done };
    } catch (err) {
      done();
      throw err;
    }
  }

  /** Resolves when the queue is empty and nothing runs (tests, orderly shutdown). */
  whenIdle(): Promise<void> {
    return this.#idle;
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    const next = this.#queue.shift()!;
    this.#idle = this.#run(next)
      // #run records its own failures; anything it still throws is a bug, logged rather than an unhandled rejection.
      .catch((err: unknown) => console.error(`GAN Studio: job ${next.id} ended with an unexpected error: ${String(err)}`))
      .finally(() => {
        this.#running = null;
        this.#pump();
      });
  }

  async #run(queued: QueuedJob): Promise<void> {
    const spec = jobKinds[queued.kind];
    const running: RunningJob = { jobId: queued.id, projectId: queued.projectId, taskId: null, cancelRequested: false, cancelReason: null };
    this.#running = running;
    let collector: JobCollector | null = null;
    const storing: Promise<void>[] = []; // items the collector is still writing (e.g. sample images)
    let finalProgress = (): TaskProgress | undefined => undefined; // progress is saved at most once a second
    try {
      const prepared = await spec.prepare(queued.params, queued.projectId, this.library, queued.id);
      collector = prepared.collector;
      const startsAt = collector.position?.() ?? null; // a resumed run: its checkpoint's step, before any report
      this.#update(queued.id, { status: 'running', startedAt: new Date().toISOString(), ...(startsAt ?? {}) });
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
          ...prepared.collector.progress?.(),
        });
      };
      // A new preview is shown at once, even when it comes after the last progress report (a final sample grid).
      const setPreview = (next: JobPreview | void): void => {
        if (next === undefined) return;
        preview = next;
        if (last !== undefined) emitProgress(last);
      };
      const task = this.engine.run(spec.task, prepared.engineParams, {
        onProgress: (progress) => {
          last = progress;
          const now = Date.now();
          if (now - persistedAt >= PERSIST_PROGRESS_MS || progress.step === progress.total) {
            persistedAt = now;
            const { step, total } = prepared.collector.position?.() ?? progress;
            this.library.updateRun(queued.id, { step, total });
          }
          emitProgress(progress);
        },
        // A throw here fails this job (EngineHost turns it into the task's rejection), never the studio.
        onItem: (item) => {
          let recorded: Job | null = null;
          // Boxed: a transaction's function may not return a promise, and a collector may still be storing (a sample).
          const { result } = this.library.transaction(() => {
            const stored = prepared.collector.onItem(item);
            if (stored === RECORD_OUTCOME) recorded = this.library.updateRun(queued.id, { result: prepared.collector.result() ?? null });
            return { result: stored };
          });
          if (result instanceof Promise) {
            storing.push(result.then(setPreview, (err: unknown) => console.warn(`GAN Studio: job ${queued.id} could not store an item: ${String(err)}`)));
          } else if (result === PUBLISH_OUTCOME) this.#update(queued.id, { result: prepared.collector.result() ?? null });
          else if (result === PUBLISH_PROGRESS) {
            if (last !== undefined) emitProgress(last); // held-out measures come after their step's report
          } else if (result !== RECORD_OUTCOME) setPreview(result);
          const now = Date.now();
          if (now - changedAt >= LIBRARY_CHANGED_MS) {
            changedAt = now;
            if (recorded !== null) this.events.emit('job.state', recorded);
            this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
          }
        },
      });
      finalProgress = () => last;
      running.taskId = task.taskId;
      if (running.cancelRequested) this.engine.cancel(task.taskId);
      const outcome = await task.result; // awaited apart: an optional call would skip evaluating its argument
      prepared.collector.onResult?.(outcome);
      await Promise.all(storing);
      this.#finish(queued.id, 'succeeded', null, collector.result(), positionOf(collector, finalProgress()));
    } catch (err) {
      await Promise.all(storing);
      const error = err instanceof StudioError ? err : new StudioError('INTERNAL', String(err));
      const partial = collector ? collector.result() : null;
      const at = collector ? positionOf(collector, finalProgress()) : finalProgress();
      if (error.code === 'CANCELLED' || running.cancelRequested) this.#finish(queued.id, 'cancelled', running.cancelReason, partial, at);
      else this.#finish(queued.id, 'failed', error.message, partial, at);
    } finally {
      if (queued.projectId !== null) this.events.emit('library.changed', { projectId: queued.projectId, what: 'assets' });
    }
  }

  #finish(jobId: number, status: 'succeeded' | 'failed' | 'cancelled', error: string | null, result: unknown, progress?: { step: number; total: number }): void {
    const steps = progress === undefined ? {} : { step: progress.step, total: progress.total };
    this.#update(jobId, { status, error, result: result ?? null, finishedAt: new Date().toISOString(), ...steps });
  }

  #update(jobId: number, patch: Parameters<Library['updateRun']>[1]): void {
    let job: Job;
    try {
      job = this.library.updateRun(jobId, patch);
    } catch (err) {
      // The record can be gone (its project deleted) or unwritable: the job still ends, and the studio with it must not.
      console.error(`GAN Studio: could not record job ${jobId}: ${String(err)}`);
      return;
    }
    this.events.emit('job.state', job);
  }
}
