// Seed arithmetic of the Generate view: pages of consecutive seeds in the uint32 seed space (wrapping at its ends),
// what the start field accepts, and which w layers a truncation cutoff can stop at.

import { MAX_SEED } from '../../../../main/api/contract.js';

export { MAX_SEED };
/** Seeds are numpy RandomState seeds: integers in [0, 2³² − 1] (the contract's range). */
export const SEED_COUNT = MAX_SEED + 1;

/** Grid sides offered (a page is side² seeds); one `stylegan.generate` call takes at most 64 seeds. */
export const GRID_SIDES = [3, 4, 5, 6] as const;
export type GridSide = (typeof GRID_SIDES)[number];
export const DEFAULT_GRID_SIDE: GridSide = 4;

/** `seed` moved into [0, 2³²): paging past either end of the seed space wraps round. */
export function wrapSeed(seed: number): number {
  return ((Math.trunc(seed) % SEED_COUNT) + SEED_COUNT) % SEED_COUNT;
}

/** The `count` consecutive seeds of the page starting at `start`. */
export function pageSeeds(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => wrapSeed(start + i));
}

/** Start of the page `pages` pages after (negative: before) the one starting at `start`. */
export function shiftPage(start: number, pageSize: number, pages: number): number {
  return wrapSeed(start + pages * pageSize);
}

/** A random page start; `random` returns [0, 1) like Math.random. */
export function randomPageStart(random: () => number = Math.random): number {
  return wrapSeed(Math.floor(random() * SEED_COUNT));
}

/** The seed typed into the start field, or null when it is not a whole number in the seed range. */
export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= MAX_SEED ? value : null;
}

/**
 * The resolution each w index modulates (models/stylegan/networks.ts `wsResolutions`, repeated here because the
 * renderer imports nothing from models/): index 0 the 4×4 conv, 2k − 1 and 2k the convs at 4·2ᵏ px, the last one
 * the final toRGB. 32 px: [4, 8, 8, 16, 16, 32, 32, 32] (num_ws = 2·log2(res) − 2).
 */
export function wsResolutions(imageSize: number): number[] {
  const count = 2 * Math.round(Math.log2(imageSize)) - 2;
  return Array.from({ length: Math.max(0, count) }, (_, i) => Math.min(4 * 2 ** Math.ceil(i / 2), imageSize));
}

export interface CutoffChoice {
  /** Number of leading ws truncated. */
  layers: number;
  label: string;
}

/**
 * Cutoffs worth offering: truncating the first N ws, for N from 1 to num_ws − 1 (N = num_ws is "all layers"), each
 * labelled with the coarsest-to-finest resolutions it reaches, e.g. "First 4 (≤ 16 px)".
 */
export function cutoffChoices(imageSize: number): CutoffChoice[] {
  const resolutions = wsResolutions(imageSize);
  return resolutions.slice(0, -1).map((_, i) => ({ layers: i + 1, label: `First ${i + 1} (≤ ${resolutions[i]} px)` }));
}
