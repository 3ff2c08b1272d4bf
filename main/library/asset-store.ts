// Assets: rows describing images stored content-addressed in a project folder, with dedup and file cleanup.
import * as fs from 'node:fs';
import type Database from 'better-sqlite3';
import { AssetOrigin, type Asset } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import type { IngestedImage } from '../data/image-ingest.js';
import { resolveInsideProject } from './project-paths.js';
import type { ProjectStore } from './project-store.js';
import type { TagStore } from './tag-store.js';

type Origin = Asset['origin'];
export type AssetVariant = 'full' | 'thumb';

interface AssetRow {
  id: number;
  project_id: number;
  name: string;
  content_hash: string;
  path: string;
  thumb_path: string;
  width: number;
  height: number;
  format: string;
  origin: Origin;
  created_at: string;
}

const COLUMNS = 'id, project_id, name, content_hash, path, thumb_path, width, height, format, origin, created_at';

function checkIngested(img: IngestedImage, origin: Origin): void {
  if (!AssetOrigin.options.includes(origin)) {
    throw new StudioError('INVALID_PARAMS', `Unknown asset origin "${String(origin)}".`);
  }
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  if (!/^[0-9a-f]{64}$/.test(img.contentHash) || !positiveInt(img.width) || !positiveInt(img.height)) {
    throw new StudioError('INVALID_PARAMS', `The image record for "${img.name}" is incomplete.`);
  }
}

function checkPage(limit: number, offset: number): void {
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
    throw new StudioError('INVALID_PARAMS', 'Paging needs a whole limit of at least 1 and a whole offset of at least 0.');
  }
}

export class AssetStore {
  constructor(
    private readonly db: Database.Database,
    private readonly projects: ProjectStore,
    private readonly tags: TagStore,
  ) {}

  private toAssets(rows: AssetRow[]): Asset[] {
    const tags = this.tags.tagsOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      contentHash: r.content_hash,
      path: r.path,
      width: r.width,
      height: r.height,
      format: r.format,
      origin: r.origin,
      tags: tags.get(r.id) ?? [],
      createdAt: r.created_at,
    }));
  }

  add(projectId: number, img: IngestedImage, origin: Origin): { asset: Asset; duplicate: boolean } {
    checkIngested(img, origin);
    const folder = this.projects.folderOf(projectId);
    // A row may only point at a file inside its project; checked before the row exists.
    resolveInsideProject(folder, img.path);
    resolveInsideProject(folder, img.thumbPath);
    const name = img.name.trim() || `${img.contentHash.slice(0, 12)}.${img.format}`;
    const inserted = this.db
      .prepare(
        `INSERT INTO assets (project_id, content_hash, path, thumb_path, width, height, format, origin, name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, content_hash) DO NOTHING`,
      )
      .run(projectId, img.contentHash, img.path, img.thumbPath, img.width, img.height, img.format, origin, name,
        new Date().toISOString());
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM assets WHERE project_id = ? AND content_hash = ?`)
      .get(projectId, img.contentHash) as AssetRow;
    return { asset: this.toAssets([row])[0]!, duplicate: inserted.changes === 0 };
  }

  list(projectId: number, opts: { tag?: string; limit: number; offset: number }): { items: Asset[]; total: number } {
    checkPage(opts.limit, opts.offset);
    this.projects.folderOf(projectId); // NOT_FOUND for a deleted project rather than an empty list
    const tag = opts.tag?.trim();
    const filter = tag
      ? `AND EXISTS (SELECT 1 FROM asset_tags l JOIN tags t ON t.id = l.tag_id
                     WHERE l.asset_id = a.id AND t.project_id = @projectId AND t.name = @tag)`
      : '';
    const where = tag ? { projectId, tag } : { projectId };
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM assets a WHERE a.project_id = @projectId ${filter}`).get(where) as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM assets a WHERE a.project_id = @projectId ${filter}
         ORDER BY a.created_at DESC, a.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...where, limit: opts.limit, offset: opts.offset }) as AssetRow[];
    return { items: this.toAssets(rows), total };
  }

  private row(id: number): AssetRow {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM assets WHERE id = ?`).get(id) as AssetRow | undefined;
    if (!row) throw new StudioError('NOT_FOUND', `Image ${id} does not exist (it may have been deleted).`);
    return row;
  }

  get(id: number): Asset {
    return this.toAssets([this.row(id)])[0]!;
  }

  filePath(id: number, variant: AssetVariant): string {
    const row = this.row(id);
    return resolveInsideProject(this.projects.folderOf(row.project_id), variant === 'thumb' ? row.thumb_path : row.path);
  }

  /** Deletes the project's rows among `assetIds`, then each file no remaining row of the project refers to. */
  delete(projectId: number, assetIds: readonly number[]): number {
    const folder = this.projects.folderOf(projectId);
    const ids = JSON.stringify([...new Set(assetIds)]);
    const removed = this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT path, thumb_path FROM assets WHERE project_id = ? AND id IN (SELECT value FROM json_each(?))`)
        .all(projectId, ids) as Pick<AssetRow, 'path' | 'thumb_path'>[];
      this.db.prepare('DELETE FROM assets WHERE project_id = ? AND id IN (SELECT value FROM json_each(?))').run(
        projectId,
        ids,
      );
      return rows;
    })();
    const stillUsed = this.db.prepare(
      'SELECT 1 FROM assets WHERE project_id = ? AND (path = ? OR thumb_path = ?) LIMIT 1',
    );
    for (const file of new Set(removed.flatMap((r) => [r.path, r.thumb_path]))) {
      if (stillUsed.get(projectId, file, file)) continue;
      // The rows are already gone, which is what the user asked for; a file that cannot be removed (already
      // missing, or a stored path that escapes the project) is left alone rather than failing the delete.
      try {
        fs.rmSync(resolveInsideProject(folder, file), { force: true });
      } catch {
        /* see above */
      }
    }
    return removed.length;
  }
}
