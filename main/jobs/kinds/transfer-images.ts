// Job "Transfer": a CycleGAN translates pictures one way, in the engine; main/ files each result as it arrives (asset,
// 'transfer' generation of its source, PNG in the export folder), so a cancelled batch keeps what was done.
import path from 'node:path';
import { TransferJobParams, type TransferOutcome } from '../../api/contract.js';
import { StudioError, toErrorShape } from '../../api/errors.js';
import { fitNotices } from '../../data/image-folder-dataset.js';
import type { TransferTaskParams } from '../../engine/engine-api.js';
import { EXPORTS_DIR } from '../../generation/export-image.js';
import { ExportNames, fileTranslation } from '../../generation/image-transfer.js';
import type { JobKindSpec } from '../job-kind.js';

export type { TransferJobParams } from '../../api/contract.js'; // the handler builds it (main/service/handlers.ts)

type FiledPicture = TransferOutcome['items'][number];

export const transferImagesJob: JobKindSpec<'transfer.images'> = {
  label: 'Transfer',
  task: 'transfer.images',
  prepare(raw, projectId, library, jobId) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Transfer needs a project.');
    const params = TransferJobParams.parse(raw);
    const project = library.getProject(projectId);
    const model = library.getModel(params.modelId);
    const { direction, source } = params;
    const exportDir = params.exportDir ?? path.join(project.folder, EXPORTS_DIR, `transfer-${jobId}`);
    const exportNames = new ExportNames(exportDir, direction);
    const filing = { library, projectId, model, direction, jobId, studioVersion: params.studioVersion };
    const assets = source.kind === 'assets' ? source.assetIds.map((id) => library.getAsset(id)) : [];
    const filed: FiledPicture[] = []; // by the picture's index: files are stored concurrently, listed in the input's order
    const rejected: TransferOutcome['rejected'] = [];
    const sourceSizes: Array<{ width: number; height: number }> = [];
    const engineParams: TransferTaskParams = {
      modelFolder: params.modelFolder,
      family: model.family,
      direction,
      projectFolder: project.folder,
      source: source.kind === 'assets' ? { kind: 'assets', pictures: assets.map((a) => ({ path: library.assetFilePath(a.id, 'full'), name: a.name })) } : source,
    };
    return {
      engineParams,
      collector: {
        onItem(item) {
          if (item.kind === 'rejected') {
            rejected.push({ name: item.name, code: item.code, message: item.message });
            return;
          }
          // A picture from disk becomes an asset first (or is the one the project has already), so lineage holds.
          const sourceAsset = item.imported === null ? assets[item.index]! : library.addIngestedAsset(projectId, item.imported, 'import').asset;
          return fileTranslation(filing, sourceAsset, Buffer.from(item.png), exportNames.claim(item.name)).then(
            ({ outputAssetId, generationId, exportPath }) => {
              filed[item.index] = { name: item.name, sourceAssetId: sourceAsset.id, outputAssetId, generationId, exportPath };
              sourceSizes.push({ width: sourceAsset.width, height: sourceAsset.height });
              return { assetId: outputAssetId }; // the latest translation is the job's preview
            },
            (err: unknown) => {
              const { code, message } = toErrorShape(err);
              rejected.push({ name: item.name, code, message });
            },
          );
        },
        result(): TransferOutcome {
          const items = filed.filter((picture) => picture !== undefined);
          return { direction, exportDir, translated: items.length, items, rejected, notices: fitNotices(sourceSizes, model.imageSize) };
        },
      },
    };
  },
};
