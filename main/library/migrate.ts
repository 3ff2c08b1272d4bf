// Applies numbered schema migrations, tracked by PRAGMA user_version, and refuses databases from a newer app.
import type Database from 'better-sqlite3';
import { StudioError } from '../api/errors.js';
import { migrations as knownMigrations } from './migrations/index.js';

export interface Migration {
  readonly version: number;
  up(db: Database.Database): void;
}

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function newestSchemaVersion(list: readonly Migration[] = knownMigrations): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version;
}

/** Throws LIBRARY_TOO_NEW without touching the database; call it before any statement that writes. */
export function refuseNewerSchema(found: number, list: readonly Migration[] = knownMigrations): void {
  const known = newestSchemaVersion(list);
  if (found > known) {
    throw new StudioError(
      'LIBRARY_TOO_NEW',
      `This library was created by a newer GAN Studio (schema ${found}, this build knows ${known}). ` +
        'Update the app; the library was not changed.',
      { found, known },
    );
  }
}

// A gap or reordering would skip or repeat schema steps on some users' databases: fail at once instead.
function checkSequence(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StudioError('INTERNAL', `Migration list is out of order: position ${i + 1} holds version ${m.version}.`);
    }
  });
}

/**
 * Brings the schema up to the newest of `list`, one transaction per migration so a failure leaves the
 * database at the last complete version. Returns the versions before and after.
 */
export function applyMigrations(
  db: Database.Database,
  list: readonly Migration[] = knownMigrations,
): { from: number; to: number } {
  checkSequence(list);
  const from = schemaVersionOf(db);
  refuseNewerSchema(from, list);
  for (const migration of list.slice(from)) {
    db.transaction(() => {
      migration.up(db);
      // user_version is written inside the same transaction, so the version and the schema move together.
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: schemaVersionOf(db) };
}
