// The prepared datasets of a project: folders under <project>/datasets/, each with its dataset.json.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetSummary } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import { readDatasetManifest } from '../data/prepare-pairs.js';
import { resolveInsideProject } from '../library/project-paths.js';

export const DATASETS_DIR = 'datasets';

/** The folder of dataset `name` (a plain folder name: no separators, no dot-dot). */
export function datasetFolder(projectFolder: string, name: string): string {
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(name) || name.includes('..')) {
    throw new StudioError('INVALID_PARAMS', `“${name}” cannot be a dataset name: use letters, digits, spaces, dots, dashes and underscores.`);
  }
  return resolveInsideProject(projectFolder, path.join(DATASETS_DIR, name));
}

export async function listDatasets(projectFolder: string): Promise<DatasetSummary[]> {
  const root = path.join(projectFolder, DATASETS_DIR);
  const names = await readdir(root).catch(() => [] as string[]);
  const summaries: DatasetSummary[] = [];
  for (const name of names.sort()) {
    try {
      const manifest = await readDatasetManifest(path.join(root, name));
      summaries.push({
        name,
        storedSize: manifest.storedSize,
        train: manifest.pairs.filter((p) => p.split === 'train').length,
        test: manifest.pairs.filter((p) => p.split === 'test').length,
        skipped: manifest.skipped,
        source: manifest.source.description,
        complete: manifest.complete,
      });
    } catch {
      // A folder without a readable manifest is a preparation still running or one that crashed: not a dataset yet.
    }
  }
  return summaries;
}
