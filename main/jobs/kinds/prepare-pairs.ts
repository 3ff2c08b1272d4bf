// Job "Prepare pairs": the engine builds a paired dataset in the project's datasets/ folder from folders on disk.
import { StudioError } from '../../api/errors.js';
import { referenceLoadSize } from '../../../models/common/crop-and-flip.js';
import type { PairSource } from '../../data/prepare-pairs.js';
import type { EngineResult } from '../../engine/engine-api.js';
import { datasetFolder } from '../../generation/datasets.js';
import type { JobKindSpec } from '../job-kind.js';

export const preparePairsJob: JobKindSpec<'dataset.preparePairs'> = {
  label: 'Prepare training pairs',
  task: 'dataset.preparePairs',
  prepare(params, projectId, library) {
    if (projectId === null) throw new StudioError('INVALID_PARAMS', 'Preparing a dataset needs a project.');
    const project = library.getProject(projectId);
    const imageSize = params['imageSize'] as number;
    let outcome: EngineResult<'dataset.preparePairs'> | null = null;
    return {
      engineParams: {
        source: params['source'] as PairSource, // as the contract's job params validated it; the engine's spec checks it again
        outDir: datasetFolder(project.folder, params['name'] as string),
        // Stored at the reference's load size (286 for 256 crops), so training can jitter by random crops.
        storedSize: referenceLoadSize(imageSize),
        heldOutFraction: 0.05,
        seed: 'gan-studio',
      },
      collector: {
        onItem: () => undefined,
        result: () => outcome,
        onResult: (result) => (outcome = result),
      },
    };
  },
};
