// Schema 2 adds runs and metrics; statuses are checked and metrics go with their run.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../../main/library/migrate.js';
import { migrations } from '../../../../main/library/migrations/index.js';

describe('migration 0002 runs/metrics', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, migrations.slice(0, 1));
    db.prepare(`INSERT INTO projects (name, name_key, folder, created_at) VALUES ('P', 'p', 'projects/1-p', 'now')`).run();
    expect(applyMigrations(db, migrations.slice(0, 2))).toEqual({ from: 1, to: 2 });
  });
  afterEach(() => db.close());

  const addRun = (projectId: number | null, status = 'queued') =>
    Number(
      db
        .prepare(`INSERT INTO runs (project_id, kind, params, status, created_at) VALUES (?, 'train', '{}', ?, 'now')`)
        .run(projectId, status).lastInsertRowid,
    );

  it('keeps the rows of schema 1 and adds STRICT runs and metrics tables', () => {
    expect(db.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'P' }]);
    const cols = (t: string) => (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => c.name);
    expect(cols('runs')).toEqual([
      'id', 'project_id', 'kind', 'params', 'status', 'step', 'total', 'error', 'result', 'created_at', 'started_at', 'finished_at',
    ]);
    expect(cols('metrics')).toEqual(['run_id', 'step', 'name', 'value']);
    expect(db.prepare(`SELECT strict FROM pragma_table_list WHERE name IN ('runs', 'metrics')`).all()).toEqual([
      { strict: 1 },
      { strict: 1 },
    ]);
    expect(cols('models')).toEqual([]);
  });

  it('rejects unknown statuses, invalid JSON, negative steps and wrong types', () => {
    expect(() => addRun(1, 'exploded')).toThrow(/CHECK constraint failed/);
    const id = addRun(1);
    expect(() => db.prepare(`UPDATE runs SET params = '{oops' WHERE id = ?`).run(id)).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`UPDATE runs SET step = -1 WHERE id = ?`).run(id)).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`INSERT INTO metrics VALUES (?, 1, 'loss', 'low')`).run(id)).toThrow(/cannot store TEXT value in REAL/);
  });

  it('cascades project -> runs -> metrics', () => {
    const id = addRun(1);
    const global = addRun(null);
    db.prepare(`INSERT INTO metrics VALUES (?, 1, 'loss', 0.5)`).run(id);
    db.prepare(`INSERT INTO metrics VALUES (?, 1, 'loss', 0.7)`).run(global);
    db.prepare('DELETE FROM projects WHERE id = 1').run();
    expect(db.prepare('SELECT id FROM runs').all()).toEqual([{ id: global }]);
    expect(db.prepare('SELECT run_id FROM metrics').all()).toEqual([{ run_id: global }]);
  });
});
