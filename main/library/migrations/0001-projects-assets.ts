// Schema 1: projects, their assets (content-addressed files) and tags.
import type Database from 'better-sqlite3';

export const version = 1;

// Migrations are frozen once shipped: value lists are spelled out here rather than imported from the contract,
// because a later contract change must not silently change what an old migration creates.
// AUTOINCREMENT everywhere: ids cross to the renderer, and a stale id must never name a newer, different row.
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE projects (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL CHECK (length(trim(name)) > 0),
      -- lower-cased name: uniqueness ignoring case in every script, which COLLATE NOCASE (ASCII only) does not give
      name_key TEXT NOT NULL UNIQUE,
      folder TEXT NOT NULL UNIQUE, -- relative to the library home
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE assets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      content_hash TEXT NOT NULL CHECK (length(content_hash) = 64), -- sha256 hex of the file bytes
      path TEXT NOT NULL, -- relative to the project folder
      thumb_path TEXT NOT NULL, -- relative to the project folder
      width INTEGER NOT NULL CHECK (width > 0),
      height INTEGER NOT NULL CHECK (height > 0),
      format TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('import', 'upload', 'generation', 'sketch', 'sample')),
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (project_id, content_hash)
    ) STRICT;
    CREATE INDEX assets_by_project_newest ON assets (project_id, created_at DESC, id DESC);

    CREATE TABLE tags (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      name TEXT NOT NULL COLLATE NOCASE,
      UNIQUE (project_id, name)
    ) STRICT;

    CREATE TABLE asset_tags (
      asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
      tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      PRIMARY KEY (asset_id, tag_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX asset_tags_by_tag ON asset_tags (tag_id);
  `);
}
