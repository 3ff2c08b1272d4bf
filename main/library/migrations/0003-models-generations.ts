// Schema 3: models and their checkpoints, generations with their lineage, and cached latents.
import type Database from 'better-sqlite3';

export const version = 3;

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE models (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE, -- NULL: shared by every project (builtin)
      name TEXT NOT NULL,
      family TEXT NOT NULL, -- stylegan, pggan, pix2pix, cyclegan, esrgan
      config TEXT NOT NULL CHECK (json_valid(config)),
      source TEXT NOT NULL CHECK (source IN ('builtin', 'trained', 'imported')),
      -- relative: to the project folder, or for builtin models to the app's assets/models
      folder TEXT NOT NULL,
      run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL, -- the training run that produced it
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX models_by_project ON models (project_id);
    CREATE INDEX models_by_run ON models (run_id);

    CREATE TABLE checkpoints (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      step INTEGER NOT NULL CHECK (step >= 0),
      folder TEXT NOT NULL, -- relative to the project folder
      created_at TEXT NOT NULL,
      UNIQUE (model_id, step)
    ) STRICT;
    CREATE INDEX checkpoints_by_run ON checkpoints (run_id);

    -- A generation keeps its recipe (params: seed, psi, layer weights, latent ref...) even when its model or
    -- output image is deleted, so lineage of later generations stays readable: those links are SET NULL.
    CREATE TABLE generations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
      operation TEXT NOT NULL, -- sample, mix, transfer, invert, interpolate, ...
      params TEXT NOT NULL CHECK (json_valid(params)),
      output_asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX generations_by_project ON generations (project_id, created_at DESC);
    CREATE INDEX generations_by_model ON generations (model_id);
    CREATE INDEX generations_by_output ON generations (output_asset_id);

    -- Exactly one parent per row: an asset (a photo fed to transfer/inversion) or an earlier generation.
    CREATE TABLE generation_parents (
      generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
      parent_asset_id INTEGER REFERENCES assets(id) ON DELETE CASCADE,
      parent_generation_id INTEGER REFERENCES generations(id) ON DELETE CASCADE,
      role TEXT, -- what the parent contributed, e.g. 'coarse' / 'fine' in style mixing
      CHECK ((parent_asset_id IS NULL) <> (parent_generation_id IS NULL))
    ) STRICT;
    CREATE INDEX generation_parents_by_generation ON generation_parents (generation_id);
    CREATE INDEX generation_parents_by_asset ON generation_parents (parent_asset_id);
    CREATE INDEX generation_parents_by_parent ON generation_parents (parent_generation_id);

    CREATE TABLE latents (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE, -- a latent means nothing to another model
      kind TEXT NOT NULL CHECK (kind IN ('w', 'w+')),
      data BLOB NOT NULL, -- float32 little-endian: [wDim] for w, [numWs, wDim] for w+
      source_asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL, -- the photo it was inverted from
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX latents_by_model ON latents (model_id);
    CREATE INDEX latents_by_source ON latents (source_asset_id);
  `);
}
