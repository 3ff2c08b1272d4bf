// Runs: the persistent record of every job (parameters, status, progress, outcome) and its training metrics.
import type Database from 'better-sqlite3';
import { Job, JobKind, jobRecords, JobStatus } from '../api/contract.js';
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

const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');

/**
 * A row as the contract's Job of its kind, read with this version's schemas, also a row an older version wrote. An
 * outcome that does not read (a shape since changed) becomes null, with a warning, rather than hide its job; a row
 * whose kind or params do not read is no job this version can show: null, said once in the log.
 */
function toJob(row: RunRow, warn: (message: string) => void): Job | null {
  const record = {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    params: JSON.parse(row.params) as unknown,
    status: row.status,
    step: row.step,
    total: row.total,
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
  const whole = Job.safeParse(record);
  if (whole.success) return whole.data;
  const withoutOutcome = Job.safeParse({ ...record, result: null });
  if (withoutOutcome.success) {
    warn(`GAN Studio: job ${row.id}'s stored outcome is not one this version reads (${issuesOf(whole.error)}); it is shown without it.`);
    return withoutOutcome.data;
  }
  warn(`GAN Studio: job ${row.id} (${row.kind}) has a stored record this version cannot read (${issuesOf(withoutOutcome.error)}); it is left out of job lists.`);
  return null;
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

/** An outcome as its kind's schema reads it: one that does not is a bug of the job's collector, refused before it is stored. */
function checkedOutcome(kind: JobKind, result: unknown): unknown {
  toJson(result, 'result'); // a value JSON cannot hold is the caller's INVALID_PARAMS first
  const checked = jobRecords[kind].outcome.safeParse(result);
  if (!checked.success) throw new StudioError('INVALID_PARAMS', `The outcome of a ${kind} job does not fit its record: ${issuesOf(checked.error)}`);
  return result;
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new StudioError('INVALID_PARAMS', `A job's ${what} must be a whole number of at least 0.`);
  }
}

export class RunStore {
  #warned = new Set<number>(); // records said to be unreadable: once each, not at every listing

  constructor(private readonly db: Database.Database) {}

  #toJob(row: RunRow): Job | null {
    return toJob(row, (message) => {
      if (this.#warned.has(row.id)) return;
      this.#warned.add(row.id);
      console.warn(message);
    });
  }

  create(projectId: number | null, kind: JobKind, params: Record<string, unknown>): Job {
    if (!JobKind.safeParse(kind).success) throw new StudioError('INVALID_PARAMS', `"${String(kind)}" is not a kind of job.`);
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new StudioError('INVALID_PARAMS', "A job's parameters must be an object.");
    }
    // Checked against what its record keeps, so every stored job reads back as its kind.
    const checked = jobRecords[kind].params.safeParse(params);
    if (!checked.success) throw new StudioError('INVALID_PARAMS', `The parameters of a ${kind} job do not fit its record: ${issuesOf(checked.error)}`);
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
    if (patch.result !== undefined) set.result = patch.result === null ? null : toJson(checkedOutcome(current.kind, patch.result), 'result');
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
    const job = this.#toJob(row);
    if (job === null) throw new StudioError('INTERNAL', `Job ${id} (${row.kind}) was recorded in a form this version of GAN Studio cannot read.`);
    return job;
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
    return rows.map((row) => this.#toJob(row)).filter((job) => job !== null);
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
