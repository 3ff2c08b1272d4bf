// Schema 1 creates projects, assets and tags as STRICT tables whose links cascade.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../../main/library/migrate.js';
import { migrations } from '../../../../main/library/migrations/index.js';

const HASH = 'a'.repeat(64);

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
}

describe('migration 0001 projects/assets', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(applyMigrations(db, migrations.slice(0, 1))).toEqual({ from: 0, to: 1 });
  });
  afterEach(() => db.close());

  const addProject = () =>
    Number(
      db.prepare(`INSERT INTO projects (name, name_key, folder, created_at) VALUES ('P', 'p', 'projects/1-p', 'now')`).run()
        .lastInsertRowid,
    );
  const addAsset = (projectId: number, hash = HASH) =>
    Number(
      db
        .prepare(
          `INSERT INTO assets (project_id, content_hash, path, thumb_path, width, height, format, origin, name, created_at)
           VALUES (?, ?, 'assets/x.png', 'thumbs/x.webp', 4, 3, 'png', 'import', 'x.png', 'now')`,
        )
        .run(projectId, hash).lastInsertRowid,
    );

  it('creates the tables with their columns, all STRICT, and nothing from later migrations', () => {
    expect(columns(db, 'projects')).toEqual(['id', 'name', 'name_key', 'folder', 'created_at']);
    expect(columns(db, 'assets')).toEqual(
      expect.arrayContaining(['project_id', 'content_hash', 'path', 'thumb_path', 'width', 'height', 'format', 'origin', 'name']),
    );
    expect(columns(db, 'asset_tags')).toEqual(['asset_id', 'tag_id']);
    const strict = db.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`).all();
    expect(strict).toEqual(
      expect.arrayContaining(['projects', 'assets', 'tags', 'asset_tags'].map((name) => ({ name, strict: 1 }))),
    );
    expect(columns(db, 'runs')).toEqual([]);
  });

  it('rejects wrong types, unknown origins and a second copy of the same content in a project', () => {
    const projectId = addProject();
    expect(() =>
      db
        .prepare(
          `INSERT INTO assets (project_id, content_hash, path, thumb_path, width, height, format, origin, name, created_at)
           VALUES (?, ?, 'a', 't', 'wide', 3, 'png', 'import', 'x', 'now')`,
        )
        .run(projectId, HASH),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare(`UPDATE projects SET name = x'00'`).run()).toThrow(/cannot store BLOB value in TEXT column/);
    addAsset(projectId);
    expect(() => addAsset(projectId)).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare(`UPDATE assets SET origin = 'stolen'`).run()).toThrow(/CHECK constraint failed/);
  });

  it('cascades a project delete to its assets, tags and tag links', () => {
    const projectId = addProject();
    const assetId = addAsset(projectId);
    const tagId = Number(db.prepare(`INSERT INTO tags (project_id, name) VALUES (?, 'cat')`).run(projectId).lastInsertRowid);
    db.prepare('INSERT INTO asset_tags VALUES (?, ?)').run(assetId, tagId);
    expect(() => db.prepare(`INSERT INTO tags (project_id, name) VALUES (?, 'CAT')`).run(projectId)).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM projects WHERE id = ?').run(projectId);
    for (const table of ['assets', 'tags', 'asset_tags']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(() => addAsset(999)).toThrow(/FOREIGN KEY constraint failed/);
  });
});
