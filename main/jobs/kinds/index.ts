// Every job kind the studio can schedule, keyed by the contract's JobKind; each family's training job comes from its
// descriptor (train-family.ts).
import type { JobKind } from '../../api/contract.js';
import type { JobKindSpec } from '../job-kind.js';
import { importFolderJob } from './import-folder.js';
import { interpolateJob } from './interpolate.js';
import { invertJob } from './invert.js';
import { preparePairsJob } from './prepare-pairs.js';
import { trainingJobs } from './train-family.js';
import { transferImagesJob } from './transfer-images.js';
import { upscaleJob } from './upscale.js';

export const jobKinds: Record<JobKind, JobKindSpec> = {
  'library.importFolder': importFolderJob,
  'dataset.preparePairs': preparePairsJob,
  ...trainingJobs,
  'stylegan.invert': invertJob,
  'stylegan.interpolate': interpolateJob,
  'upscale.assets': upscaleJob,
  'transfer.images': transferImagesJob,
};
