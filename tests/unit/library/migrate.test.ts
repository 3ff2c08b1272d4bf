// The migration runner: versions only go up, each step is atomic, and a newer schema is refused untouched.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/api/errors.js';
import { applyMigrations, newestSchemaVersion, schemaVersionOf, type Migration } from '../../../main/library/migrate.js';
import { migrations } from '../../../main/library/migrations/index.js';

describe('applyMigrations', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  it('lists migrations 1..N in order and applies them all once', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(applyMigrations(db)).toEqual({ from: 0, to: newestSchemaVersion() });
    expect(applyMigrations(db)).toEqual({ from: newestSchemaVersion(), to: newestSchemaVersion() });
  });

  it('refuses a newer schema with LIBRARY_TOO_NEW and leaves it as it was', () => {
    db.exec('CREATE TABLE future (x INTEGER) STRICT');
    db.pragma('user_version = 7');
    const err = (() => {
      try {
        applyMigrations(db);
      } catch (e) {
        return e;
      }
    })() as StudioError;
    expect(err).toBeInstanceOf(StudioError);
    expect(err.code).toBe('LIBRARY_TOO_NEW');
    expect(err.message).toContain(`schema 7, this build knows ${newestSchemaVersion()}`);
    expect(schemaVersionOf(db)).toBe(7);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all()).toEqual([{ name: 'future' }]);
  });

  it('rolls back a failing migration, schema and version together', () => {
    const broken: Migration = {
      version: 2,
      up(d) {
        d.exec('CREATE TABLE half (x INTEGER) STRICT');
        throw new Error('disk full');
      },
    };
    const first: Migration = { version: 1, up: (d) => d.exec('CREATE TABLE one (x INTEGER) STRICT') };
    expect(() => applyMigrations(db, [first, broken])).toThrow('disk full');
    expect(schemaVersionOf(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all()).toEqual([{ name: 'one' }]);
  });

  it('refuses a list with a gap', () => {
    const m = (version: number): Migration => ({ version, up: () => {} });
    expect(() => applyMigrations(db, [m(1), m(3)])).toThrow(/out of order/);
    expect(schemaVersionOf(db)).toBe(0);
  });
});
