// Generations: every image a model made, with its recipe (params) and lineage (the assets and generations it came from).
import type Database from 'better-sqlite3';
import { StudioError } from '../api/errors.js';

export interface GenerationParent {
  assetId?: number;
  generationId?: number;
  role?: string; // what the parent contributed: 'sketch', 'source', 'coarse', …
}

export interface Generation {
  id: number;
  projectId: number;
  modelId: number | null;
  operation: string; // sketch2photo, sample, mix, transfer, invert, …
  params: Record<string, unknown>;
  outputAssetId: number | null;
  parents: GenerationParent[];
  createdAt: string;
}

interface GenerationRow {
  id: number;
  project_id: number;
  model_id: number | null;
  operation: string;
  params: string;
  output_asset_id: number | null;
  created_at: string;
}

export class GenerationStore {
  constructor(private readonly db: Database.Database) {}

  add(g: Omit<Generation, 'id' | 'createdAt'>): Generation {
    const insert = this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO generations (project_id, model_id, operation, params, output_asset_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(g.projectId, g.modelId, g.operation, JSON.stringify(g.params), g.outputAssetId, new Date().toISOString());
      const id = Number(lastInsertRowid);
      const parent = this.db.prepare(
        'INSERT INTO generation_parents (generation_id, parent_asset_id, parent_generation_id, role) VALUES (?, ?, ?, ?)',
      );
      for (const p of g.parents) {
        if ((p.assetId === undefined) === (p.generationId === undefined)) {
          throw new StudioError('INVALID_PARAMS', 'A generation parent is exactly one asset or one generation.');
        }
        parent.run(id, p.assetId ?? null, p.generationId ?? null, p.role ?? null);
      }
      return id;
    });
    return this.get(insert());
  }

  get(id: number): Generation {
    const row = this.db.prepare('SELECT * FROM generations WHERE id = ?').get(id) as GenerationRow | undefined;
    if (row === undefined) throw new StudioError('NOT_FOUND', `There is no generation ${id}.`);
    const parents = (
      this.db
        .prepare('SELECT parent_asset_id, parent_generation_id, role FROM generation_parents WHERE generation_id = ? ORDER BY rowid')
        .all(id) as Array<{ parent_asset_id: number | null; parent_generation_id: number | null; role: string | null }>
    ).map((p) => ({
      ...(p.parent_asset_id === null ? {} : { assetId: p.parent_asset_id }),
      ...(p.parent_generation_id === null ? {} : { generationId: p.parent_generation_id }),
      ...(p.role === null ? {} : { role: p.role }),
    }));
    return {
      id: row.id,
      projectId: row.project_id,
      modelId: row.model_id,
      operation: row.operation,
      params: JSON.parse(row.params) as Record<string, unknown>,
      outputAssetId: row.output_asset_id,
      parents,
      createdAt: row.created_at,
    };
  }

  /** The newest generation whose output is `assetId` (the recipe embedded when that image is exported), if any. */
  producing(assetId: number): Generation | undefined {
    const row = this.db
      .prepare('SELECT id FROM generations WHERE output_asset_id = ? ORDER BY id DESC LIMIT 1')
      .get(assetId) as { id: number } | undefined;
    return row === undefined ? undefined : this.get(row.id);
  }
}
