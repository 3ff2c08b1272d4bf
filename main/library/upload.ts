// Imports images whose bytes came over IPC (file picker, drag-drop); bad files are listed, the rest still import.
import type { ImportOutcome } from '../api/contract.js';
import { toErrorShape } from '../api/errors.js';
import { ingestImageBytes } from '../data/image-ingest.js';
import type { Library } from './library.js';

export async function uploadFiles(
  library: Library,
  projectId: number,
  files: { name: string; dataBase64: string }[],
): Promise<ImportOutcome> {
  const project = library.getProject(projectId);
  const outcome: ImportOutcome = { imported: [], duplicates: [], rejected: [] };
  for (const file of files) {
    try {
      const image = await ingestImageBytes(Buffer.from(file.dataBase64, 'base64'), file.name, project.folder);
      const { asset, duplicate } = library.addIngestedAsset(projectId, image, 'upload');
      (duplicate ? outcome.duplicates : outcome.imported).push(asset);
    } catch (err) {
      const { code, message } = toErrorShape(err);
      outcome.rejected.push({ name: file.name, code, message });
    }
  }
  return outcome;
}
