// Every job kind the studio can schedule, keyed by the contract's JobKind.
import type { JobKind } from '../../api/contract.js';
import type { JobKindSpec } from '../job-kind.js';
import { importFolderJob } from './import-folder.js';
import { interpolateJob } from './interpolate.js';
import { invertJob } from './invert.js';
import { preparePairsJob } from './prepare-pairs.js';
import { trainCycleGANJob } from './train-cyclegan.js';
import { trainPix2pixJob } from './train-pix2pix.js';
import { trainPGGANJob, trainStyleGAN2Job } from './train-image-folder.js';
import { transferImagesJob } from './transfer-images.js';
import { upscaleJob } from './upscale.js';

export const jobKinds: Record<JobKind, JobKindSpec> = {
  'library.importFolder': importFolderJob,
  'dataset.preparePairs': preparePairsJob,
  'train.pix2pix': trainPix2pixJob,
  'train.cyclegan': trainCycleGANJob,
  'train.stylegan2': trainStyleGAN2Job,
  'train.pggan': trainPGGANJob,
  'stylegan.invert': invertJob,
  'stylegan.interpolate': interpolateJob,
  'upscale.assets': upscaleJob,
  'transfer.images': transferImagesJob,
};
