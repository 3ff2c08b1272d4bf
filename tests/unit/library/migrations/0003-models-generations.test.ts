// Schema 3 adds models, checkpoints, generations with lineage, and latents, with the intended delete behaviour.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../../main/library/migrate.js';
import { migrations } from '../../../../main/library/migrations/index.js';

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 0003 models/generations', () => {
  let db: Database.Database;
  let modelId: number;
  let assetId: number;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(applyMigrations(db, migrations.slice(0, 3))).toEqual({ from: 0, to: 3 });
    db.prepare(`INSERT INTO projects (name, name_key, folder, created_at) VALUES ('P', 'p', 'projects/1-p', 'now')`).run();
    assetId = Number(
      db
        .prepare(
          `INSERT INTO assets (project_id, content_hash, path, thumb_path, width, height, format, origin, name, created_at)
           VALUES (1, ?, 'a', 't', 4, 4, 'png', 'import', 'x', 'now')`,
        )
        .run('b'.repeat(64)).lastInsertRowid,
    );
    modelId = Number(
      db
        .prepare(
          `INSERT INTO models (project_id, name, family, config, source, folder, created_at)
           VALUES (1, 'faces', 'stylegan', '{"resolution":64}', 'trained', 'models/faces', 'now')`,
        )
        .run().lastInsertRowid,
    );
  });
  afterEach(() => db.close());

  const addGeneration = (output: number | null) =>
    Number(
      db
        .prepare(
          `INSERT INTO generations (project_id, model_id, operation, params, output_asset_id, created_at)
           VALUES (1, ?, 'mix', '{"seed":7}', ?, 'now')`,
        )
        .run(modelId, output).lastInsertRowid,
    );

  it('creates STRICT tables and checks sources, latent kinds and lineage shape', () => {
    const tables = ['models', 'checkpoints', 'generations', 'generation_parents', 'latents'];
    const rows = db.prepare(`SELECT name, strict FROM pragma_table_list WHERE name IN (${tables.map(() => '?').join()})`).all(...tables);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => (r as { strict: number }).strict === 1)).toBe(true);
    expect(() => db.prepare(`UPDATE models SET source = 'stolen'`).run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO latents (project_id, model_id, kind, data, created_at) VALUES (1, ?, 'z', x'00', 'now')`).run(modelId),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO latents (project_id, model_id, kind, data, created_at) VALUES (1, ?, 'w', 'text', 'now')`).run(modelId),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    const gen = addGeneration(assetId);
    // a lineage row names exactly one parent
    expect(() => db.prepare('INSERT INTO generation_parents (generation_id) VALUES (?)').run(gen)).toThrow(/CHECK/);
    expect(() =>
      db.prepare('INSERT INTO generation_parents VALUES (?, ?, ?, NULL)').run(gen, assetId, gen),
    ).toThrow(/CHECK/);
  });

  it('keeps generations when their model or output is deleted, and drops latents and checkpoints with the model', () => {
    const latent = new Float32Array([0.5, -1.25, 3]);
    db.prepare(
      `INSERT INTO latents (project_id, model_id, kind, data, source_asset_id, created_at) VALUES (1, ?, 'w', ?, ?, 'now')`,
    ).run(modelId, Buffer.from(latent.buffer), assetId);
    const stored = (db.prepare('SELECT data FROM latents').get() as { data: Buffer }).data;
    expect([...new Float32Array(stored.buffer, stored.byteOffset, 3)]).toEqual([0.5, -1.25, 3]);
    db.prepare(`INSERT INTO checkpoints (model_id, step, folder, created_at) VALUES (?, 100, 'models/faces/ck100', 'now')`).run(modelId);
    const first = addGeneration(assetId);
    const second = addGeneration(null);
    db.prepare('INSERT INTO generation_parents (generation_id, parent_generation_id) VALUES (?, ?)').run(second, first);
    db.prepare('INSERT INTO generation_parents (generation_id, parent_asset_id) VALUES (?, ?)').run(first, assetId);

    db.prepare('DELETE FROM assets WHERE id = ?').run(assetId);
    expect(db.prepare('SELECT output_asset_id FROM generations WHERE id = ?').get(first)).toEqual({ output_asset_id: null });
    expect(db.prepare('SELECT source_asset_id FROM latents').get()).toEqual({ source_asset_id: null });
    expect(count(db, 'generation_parents')).toBe(1); // the asset link went, the generation link stays

    db.prepare('DELETE FROM models WHERE id = ?').run(modelId);
    expect(count(db, 'generations')).toBe(2);
    expect(count(db, 'latents')).toBe(0);
    expect(count(db, 'checkpoints')).toBe(0);

    db.prepare('DELETE FROM projects').run();
    expect(count(db, 'generations') + count(db, 'generation_parents')).toBe(0);
  });
});
