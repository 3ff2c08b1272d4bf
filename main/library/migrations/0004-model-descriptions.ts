// Schema 4: a model's one-line description (what it turns into what), shown wherever an artist picks a model.
import type Database from 'better-sqlite3';

export const version = 4;

export function up(db: Database.Database): void {
  db.exec(`ALTER TABLE models ADD COLUMN description TEXT NOT NULL DEFAULT ''`);
}
