// The shapes of training data as the runs read it: single images (StyleGAN2, PGGAN, CycleGAN) and aligned (A, B) pairs
// of RGB pixels (pix2pix). Loading them from disk is main/data's job; models/ only reads them.
import type { SeededRandom } from './seeded-random.js';

/** Real images of one size: `read(i)` gives HWC RGB uint8, `size × size × 3`. */
export interface ImageDataset {
  readonly length: number;
  readonly size: number;
  read(index: number): Uint8Array;
}

/** One pair at the dataset's stored size: RGB, row-major HWC, uint8, `size × size × 3` bytes each. */
export interface RgbPair {
  a: Uint8Array; // input (for sketch-to-photo: pen-like edges, black on white)
  b: Uint8Array; // target (the photo)
  size: number; // square side in pixels
}

/** A prepared dataset held in memory; `read` is synchronous so a training step never waits on disk. */
export interface PairedDataset {
  readonly size: number; // stored side (the reference's load_size, e.g. 143 for 128 px crops)
  readonly length: number; // number of training pairs
  read(index: number): RgbPair;
}

/** Turns a stored pair into a training sample of `cropSize`: random crop, flip (and edge augmentations). */
export type PairAugmenter = (pair: RgbPair, cropSize: number, random: SeededRandom) => RgbPair;
