// Latents: a point in a StyleGAN2 model's W or W+ space (an inverted photo, a mix), kept so an edit starts from it
// without running the inversion again. A latent belongs to one model; it means nothing to another.
import type Database from 'better-sqlite3';
import { StudioError } from '../api/errors.js';

export interface Latent {
  id: number;
  projectId: number;
  modelId: number;
  kind: 'w' | 'w+';
  data: Float32Array; // [wDim] for w, [numWs, wDim] for w+, row-major
  sourceAssetId: number | null; // the photo it was inverted from
  noise: Float32Array | null; // the noise maps it goes with (an inversion's), else null: the model's own
  createdAt: string;
}

interface LatentRow {
  id: number;
  project_id: number;
  model_id: number;
  kind: 'w' | 'w+';
  data: Buffer;
  source_asset_id: number | null;
  noise: Buffer | null;
  created_at: string;
}

export class LatentStore {
  constructor(private readonly db: Database.Database) {}

  add(latent: Omit<Latent, 'id' | 'createdAt' | 'noise'> & { noise?: Float32Array | null }): Latent {
    const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO latents (project_id, model_id, kind, data, source_asset_id, noise, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(latent.projectId, latent.modelId, latent.kind, bytes(latent.data), latent.sourceAssetId, latent.noise ? bytes(latent.noise) : null, new Date().toISOString());
    return this.get(Number(lastInsertRowid));
  }

  get(id: number): Latent {
    const row = this.db.prepare('SELECT * FROM latents WHERE id = ?').get(id) as LatentRow | undefined;
    if (row === undefined) throw new StudioError('NOT_FOUND', `There is no latent ${id}.`);
    // A copy into an aligned buffer: SQLite's blob may start at any byte offset.
    const floats = (blob: Buffer): Float32Array => new Float32Array(new Uint8Array(blob).buffer);
    return {
      id: row.id,
      projectId: row.project_id,
      modelId: row.model_id,
      kind: row.kind,
      data: floats(row.data),
      sourceAssetId: row.source_asset_id,
      noise: row.noise === null ? null : floats(row.noise),
      createdAt: row.created_at,
    };
  }
}
