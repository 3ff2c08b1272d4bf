// Models: builtin ones shipped under assets/models (shared by every project) and those trained or imported into a
// project. A row points at a saved-model folder; the folder's model.json is the truth about the weights.
import type Database from 'better-sqlite3';
import type { ModelFamily, ModelSummary } from '../api/contract.js';
import { StudioError } from '../api/errors.js';

export interface ModelRecord extends ModelSummary {
  config: Record<string, unknown>;
  folder: string; // relative to the project folder, or for builtin models to the shipped assets/models folder
  runId: number | null;
}

export interface NewModel {
  projectId: number | null;
  name: string;
  family: ModelFamily;
  source: ModelSummary['source'];
  config: Record<string, unknown> & { imageSize: number };
  folder: string;
  description: string;
  runId?: number | null;
}

interface ModelRow {
  id: number;
  project_id: number | null;
  name: string;
  family: ModelFamily;
  config: string;
  source: ModelSummary['source'];
  folder: string;
  run_id: number | null;
  description: string;
  created_at: string;
}

const COLUMNS = 'id, project_id, name, family, config, source, folder, run_id, description, created_at';

function toRecord(row: ModelRow): ModelRecord {
  const config = JSON.parse(row.config) as Record<string, unknown>;
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    family: row.family,
    source: row.source,
    // Image-to-image configs name their side imageSize; unconditional ones (StyleGAN2) resolution.
    imageSize: typeof config.imageSize === 'number' ? config.imageSize : typeof config.resolution === 'number' ? config.resolution : 0,
    description: row.description,
    createdAt: row.created_at,
    config,
    folder: row.folder,
    runId: row.run_id,
  };
}

/** What the contract shows of a model (its files and config stay in main/). */
export function modelSummary({ config: _config, folder: _folder, runId: _runId, ...summary }: ModelRecord): ModelSummary {
  return summary;
}

export class ModelStore {
  constructor(private readonly db: Database.Database) {}

  add(model: NewModel): ModelRecord {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO models (project_id, name, family, config, source, folder, run_id, description, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(model.projectId, model.name, model.family, JSON.stringify(model.config), model.source, model.folder,
        model.runId ?? null, model.description, new Date().toISOString());
    return this.get(Number(lastInsertRowid));
  }

  /**
   * Makes the builtin rows match the shipped manifest, matched by folder: inserts new ones, updates changed ones and
   * deletes those no longer shipped (their generations keep their recipes: generations.model_id is SET NULL).
   */
  syncBuiltins(shipped: readonly Omit<NewModel, 'projectId' | 'source'>[]): void {
    const sync = this.db.transaction(() => {
      const existing = new Map(
        (this.db.prepare(`SELECT ${COLUMNS} FROM models WHERE source = 'builtin'`).all() as ModelRow[]).map((r) => [r.folder, r]),
      );
      for (const model of shipped) {
        const row = existing.get(model.folder);
        existing.delete(model.folder);
        if (row === undefined) {
          this.add({ ...model, projectId: null, source: 'builtin' });
        } else {
          this.db
            .prepare('UPDATE models SET name = ?, family = ?, config = ?, description = ? WHERE id = ?')
            .run(model.name, model.family, JSON.stringify(model.config), model.description, row.id);
        }
      }
      for (const gone of existing.values()) this.db.prepare('DELETE FROM models WHERE id = ?').run(gone.id);
    });
    sync();
  }

  /** Builtin models plus, with a project, that project's own; optionally of one family. Builtins first, then newest. */
  list(opts: { projectId?: number; family?: ModelFamily }): ModelRecord[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM models
         WHERE (project_id IS NULL OR project_id = @projectId) AND (@family IS NULL OR family = @family)
         ORDER BY project_id IS NOT NULL, created_at DESC, id DESC`,
      )
      .all({ projectId: opts.projectId ?? null, family: opts.family ?? null }) as ModelRow[];
    return rows.map(toRecord);
  }

  get(id: number): ModelRecord {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
    if (row === undefined) throw new StudioError('NOT_FOUND', `There is no model ${id}.`);
    return toRecord(row);
  }
}
