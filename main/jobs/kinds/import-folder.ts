// Job "Import folder": the engine ingests files; main/ adds each finished image to the library as it arrives.
import type { Asset, ImportOutcome } from '../../api/contract.js';
import { StudioError } from '../../api/errors.js';
import { RECORD_OUTCOME, type JobKindSpec } from '../job-kind.js';

export const importFolderJob: JobKindSpec<'library.importFolder'> = {
  label: 'Import folder',
  task: 'library.importFolder',
  prepare(params, projectId, library) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Import folder needs a project.');
    const project = library.getProject(projectId);
    const imported: Asset[] = [];
    const duplicates: Asset[] = [];
    const rejected: ImportOutcome['rejected'] = [];
    return {
      // The contract's job params (path, recursive), as its dispatch validated them; the engine's spec checks them again.
      engineParams: { dir: params['path'] as string, recursive: (params['recursive'] ?? true) as boolean, projectFolder: project.folder },
      collector: {
        onItem(item) {
          if (!item.ok) rejected.push({ name: item.name, code: item.code, message: item.message });
          else {
            const { asset, duplicate } = library.addIngestedAsset(projectId, item.image, 'import');
            (duplicate ? duplicates : imported).push(asset);
          }
          // Stored with the asset's row: a studio killed mid-import leaves a record that counts every row it added.
          return RECORD_OUTCOME;
        },
        // Stored in the run row: counts plus the rejected files, which the user needs to see.
        result: () => ({
          imported: imported.length,
          duplicates: duplicates.length,
          rejected,
        }),
      },
    };
  },
};
