// Tags: per-project labels linked to assets, created on first use and dropped when no asset carries them.
import type Database from 'better-sqlite3';
import { StudioError } from '../api/errors.js';

const MAX_TAG_LENGTH = 64;

export class TagStore {
  constructor(private readonly db: Database.Database) {}

  /** Adds or removes `tag` on those of `assetIds` that belong to the project; returns the links changed. */
  tag(projectId: number, assetIds: readonly number[], rawTag: string, remove: boolean): number {
    const tag = typeof rawTag === 'string' ? rawTag.trim() : '';
    if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) {
      throw new StudioError('INVALID_PARAMS', `A tag needs 1 to ${MAX_TAG_LENGTH} characters.`);
    }
    const ids = JSON.stringify([...new Set(assetIds)]);
    return this.db.transaction((): number => {
      if (!remove) {
        this.db.prepare('INSERT INTO tags (project_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(projectId, tag);
      }
      const row = this.db.prepare('SELECT id FROM tags WHERE project_id = ? AND name = ?').get(projectId, tag) as
        | { id: number }
        | undefined;
      if (!row) return 0;
      // Asset ids are filtered by project in SQL: an id from another project is ignored, never linked.
      const changed = remove
        ? this.db
            .prepare(
              `DELETE FROM asset_tags WHERE tag_id = ?
               AND asset_id IN (SELECT a.id FROM assets a, json_each(?) j WHERE a.id = j.value AND a.project_id = ?)`,
            )
            .run(row.id, ids, projectId).changes
        : this.db
            .prepare(
              `INSERT INTO asset_tags (asset_id, tag_id)
               SELECT a.id, ? FROM assets a, json_each(?) j WHERE a.id = j.value AND a.project_id = ?
               ON CONFLICT DO NOTHING`,
            )
            .run(row.id, ids, projectId).changes;
      this.db
        .prepare('DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM asset_tags WHERE tag_id = ?)')
        .run(row.id, row.id);
      return changed;
    })();
  }

  list(projectId: number): { name: string; count: number }[] {
    return this.db
      .prepare(
        `SELECT t.name AS name, count(*) AS count FROM tags t JOIN asset_tags l ON l.tag_id = t.id
         WHERE t.project_id = ? GROUP BY t.id ORDER BY t.name COLLATE NOCASE`,
      )
      .all(projectId) as { name: string; count: number }[];
  }

  /** Tag names of each asset, sorted; assets without tags map to []. */
  tagsOf(assetIds: readonly number[]): Map<number, string[]> {
    const byAsset = new Map<number, string[]>(assetIds.map((id) => [id, []]));
    if (assetIds.length === 0) return byAsset;
    const rows = this.db
      .prepare(
        `SELECT l.asset_id AS assetId, t.name AS name FROM asset_tags l JOIN tags t ON t.id = l.tag_id
         WHERE l.asset_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`,
      )
      .all(JSON.stringify(assetIds)) as { assetId: number; name: string }[];
    for (const row of rows) byAsset.get(row.assetId)?.push(row.name);
    return byAsset;
  }
}
