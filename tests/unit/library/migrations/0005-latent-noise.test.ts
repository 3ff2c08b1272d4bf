// Schema 5 gives latents an optional noise blob; latents of schema 4 keep their rows with no noise.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../../main/library/migrate.js';
import { migrations } from '../../../../main/library/migrations/index.js';

describe('migration 0005 latent noise', () => {
  let db: Database.Database;
  afterEach(() => db.close());

  it('adds a nullable noise BLOB and keeps existing latents', () => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, migrations.slice(0, 4));
    db.prepare(`INSERT INTO projects (name, name_key, folder, created_at) VALUES ('P', 'p', 'projects/1-p', 'now')`).run();
    db.prepare(`INSERT INTO models (project_id, name, family, config, source, folder, created_at) VALUES (1, 'G', 'stylegan2', '{}', 'trained', 'models/g', 'now')`).run();
    db.prepare(`INSERT INTO latents (project_id, model_id, kind, data, created_at) VALUES (1, 1, 'w', ?, 'now')`).run(Buffer.alloc(8));
    expect(applyMigrations(db, migrations.slice(0, 5))).toEqual({ from: 4, to: 5 });
    expect(db.prepare('SELECT kind, noise FROM latents').all()).toEqual([{ kind: 'w', noise: null }]);
    db.prepare(`INSERT INTO latents (project_id, model_id, kind, data, noise, created_at) VALUES (1, 1, 'w+', ?, ?, 'now')`).run(Buffer.alloc(8), Buffer.alloc(16));
    expect(() => db.prepare(`INSERT INTO latents (project_id, model_id, kind, data, noise, created_at) VALUES (1, 1, 'w', ?, 'text', 'now')`).run(Buffer.alloc(8))).toThrow(/cannot store TEXT value in BLOB/);
  });
});
