// Schema 2: runs (the records behind jobs) and the metrics they report while training.
import type Database from 'better-sqlite3';

export const version = 2;

// Status values are spelled out (not imported from the contract): a shipped migration never changes.
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      -- a run of a deleted project is meaningless (its inputs and outputs lived in the project folder)
      project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      params TEXT NOT NULL CHECK (json_valid(params)),
      status TEXT NOT NULL
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
      step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
      total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
      error TEXT,
      result TEXT CHECK (result IS NULL OR json_valid(result)),
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX runs_newest ON runs (created_at DESC, id DESC);
    CREATE INDEX runs_by_project_newest ON runs (project_id, created_at DESC, id DESC);
    CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('queued', 'running');

    CREATE TABLE metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step INTEGER NOT NULL CHECK (step >= 0),
      name TEXT NOT NULL,
      value REAL -- NULL stands for NaN (a diverged loss), which SQLite cannot store as a REAL
    ) STRICT;
    CREATE INDEX metrics_by_run ON metrics (run_id, name, step);
  `);
}
