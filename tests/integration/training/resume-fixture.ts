// The run both sides of the exact-resume test train: same config, data and augmenter in the test and in its child process.
import type { PairAugmenter, PairedDataset } from '../../../models/common/datasets.js';
import { pix2pixConfig, type Pix2pixConfig } from '../../../models/pix2pix/config.js';
import { tinyAugment, tinyPairs } from './tiny-pairs.js';

/**
 * 64 px (the smallest U-Net with a dropout level), ngf = ndf = 8, batches of 2 over 7 pairs: 4 steps an epoch, the
 * 4th a single pair. 1 epoch at the full rate then 2 decaying, so steps 5–6 run at 2/3 of it after a resume at step 3.
 */
export function resumeFixture(): { config: Pix2pixConfig; seed: number; dataset: PairedDataset; augment: PairAugmenter } {
  return {
    config: pix2pixConfig(64, { ngf: 8, ndf: 8, batchSize: 2, epochs: 1, epochsDecay: 2 }),
    seed: 2024,
    dataset: tinyPairs(7, 70),
    augment: tinyAugment,
  };
}
