// Runs: the persistent record of every job (parameters, status, progress, outcome) and its training metrics.
import type Database from 'better-sqlite3';
import { JobStatus, type Job } from '../api/contract.js';
import { StudioError } from '../api/errors.js';

export type RunPatch = Partial<{
  status: JobStatus;
  step: number;
  total: number;
  error: string | null;
  result: unknown;
  startedAt: string;
  finishedAt: string;
}>;

interface RunRow {
  id: number;
  project_id: number | null;
  kind: string;
  params: string;
  status: JobStatus;
  step: number;
  total: number;
  error: string | null;
  result: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
const INTERRUPTED_MESSAGE = 'GAN Studio closed before this job finished.';

function toJob(row: RunRow): Job {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    step: row.step,
    total: row.total,
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function toJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new StudioError('INVALID_PARAMS', `The job's ${what} cannot be saved: ${(err as Error).message}`);
  }
  if (json === undefined) throw new StudioError('INVALID_PARAMS', `The job's ${what} cannot be saved as JSON.`);
  return json;
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new StudioError('INVALID_PARAMS', `A job's ${what} must be a whole number of at least 0.`);
  }
}

export class RunStore {
  constructor(private readonly db: Database.Database) {}

  create(projectId: number | null, kind: string, params: Record<string, unknown>): Job {
    if (typeof kind !== 'string' || kind.length === 0) throw new StudioError('INVALID_PARAMS', 'A job needs a kind.');
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new StudioError('INVALID_PARAMS', "A job's parameters must be an object.");
    }
    if (projectId !== null && !this.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId)) {
      throw new StudioError('NOT_FOUND', `Project ${projectId} does not exist (it may have been deleted).`);
    }
    const id = this.db
      .prepare(`INSERT INTO runs (project_id, kind, params, status, created_at) VALUES (?, ?, ?, 'queued', ?)`)
      .run(projectId, kind, toJson(params, 'parameters'), new Date().toISOString()).lastInsertRowid;
    return this.get(Number(id));
  }

  /**
   * Applies `patch`. Moving to 'running' stamps startedAt, and moving to a final status stamps finishedAt,
   * unless the patch gives them or they are already set, so every caller records timings the same way.
   */
  update(id: number, patch: RunPatch): Job {
    const current = this.get(id);
    const set: Record<string, string | number | null> = {};
    if (patch.status !== undefined) {
      if (!JobStatus.options.includes(patch.status)) {
        throw new StudioError('INVALID_PARAMS', `Unknown job status "${String(patch.status)}".`);
      }
      set.status = patch.status;
    }
    if (patch.step !== undefined) {
      checkCount(patch.step, 'step');
      set.step = patch.step;
    }
    if (patch.total !== undefined) {
      checkCount(patch.total, 'total');
      set.total = patch.total;
    }
    if (patch.error !== undefined) set.error = patch.error;
    if (patch.result !== undefined) set.result = patch.result === null ? null : toJson(patch.result, 'result');
    const now = new Date().toISOString();
    if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
    else if (patch.status === 'running' && current.startedAt === null) set.started_at = now;
    if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
    else if (patch.status !== undefined && TERMINAL.has(patch.status) && current.finishedAt === null) {
      set.finished_at = now;
    }

    const columns = Object.keys(set);
    if (columns.length > 0) {
      // Column names come from the fixed keys above, never from the caller.
      this.db
        .prepare(`UPDATE runs SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`)
        .run({ ...set, id });
    }
    return this.get(id);
  }

  get(id: number): Job {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new StudioError('NOT_FOUND', `Job ${id} does not exist.`);
    return toJob(row);
  }

  list(opts: { projectId?: number; limit: number }): Job[] {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) {
      throw new StudioError('INVALID_PARAMS', 'The job list needs a whole limit of at least 1.');
    }
    const rows = (
      opts.projectId === undefined
        ? this.db.prepare('SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?').all(opts.limit)
        : this.db
            .prepare('SELECT * FROM runs WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(opts.projectId, opts.limit)
    ) as RunRow[];
    return rows.map(toJob);
  }

  /** At startup nothing is running yet, so any queued/running record is left over from a studio that stopped. */
  markUnfinishedInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', error = coalesce(error, ?), finished_at = coalesce(finished_at, ?)
         WHERE status IN ('queued', 'running')`,
      )
      .run(INTERRUPTED_MESSAGE, new Date().toISOString()).changes;
  }

  addMetric(runId: number, step: number, name: string, value: number): void {
    checkCount(step, 'metric step');
    if (typeof name !== 'string' || name.length === 0) throw new StudioError('INVALID_PARAMS', 'A metric needs a name.');
    if (typeof value !== 'number') throw new StudioError('INVALID_PARAMS', `Metric "${name}" must be a number.`);
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) {
      throw new StudioError('NOT_FOUND', `Job ${runId} does not exist.`);
    }
    // NaN (a diverged loss) is worth recording; SQLite has no REAL NaN, so it is stored as NULL.
    this.db
      .prepare('INSERT INTO metrics (run_id, step, name, value) VALUES (?, ?, ?, ?)')
      .run(runId, step, name, Number.isNaN(value) ? null : value);
  }

  /** Every metric of `runId`: name → [step, value] in step order (NaN comes back for a stored NULL). */
  listMetrics(runId: number): Record<string, Array<[number, number]>> {
    const rows = this.db
      .prepare('SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step, rowid')
      .all(runId) as Array<{ name: string; step: number; value: number | null }>;
    const series: Record<string, Array<[number, number]>> = {};
    for (const r of rows) (series[r.name] ??= []).push([r.step, r.value ?? Number.NaN]);
    return series;
  }

  /** Drops metrics after `step`: a run resumed from a checkpoint at `step` records those steps again. */
  deleteMetricsAfter(runId: number, step: number): number {
    return this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step).changes;
  }
}
