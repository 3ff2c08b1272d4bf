// Style mixing for editing: per-layer blends of several w+ latents, and the coarse/middle/fine groups of layers
// (Karras et al. 2019, StyleGAN §3.1 and Fig. 3: coarse styles set pose and shape, fine ones colour and texture).
import * as tf from '@tensorflow/tfjs-core';
import { wsResolutions } from './networks.js';

/** weights[l][s]: how much of source s the ws index l takes; each row sums to 1. */
export type LayerMixWeights = ReadonlyArray<readonly number[]>;

/**
 * sources S × [numWs, wDim] → [numWs, wDim], row l = Σ_s weights[l][s]·sources[s][l].
 * A row that takes all of one source (1, 0, …) copies that source's row as is, so a one-source mix reproduces the
 * source bit for bit (a sum would turn −0 into +0, and 0·∞ into NaN).
 */
export function mixStyles(sources: readonly tf.Tensor2D[], weights: LayerMixWeights): tf.Tensor2D {
  const first = sources[0];
  if (first === undefined) throw new RangeError('mixStyles: no source latents');
  const [layers, wDim] = first.shape;
  for (const s of sources) if (s.shape[0] !== layers || s.shape[1] !== wDim) throw new RangeError(`mixStyles: sources differ in shape (${s.shape} vs ${first.shape})`);
  if (weights.length !== layers) throw new RangeError(`mixStyles: ${weights.length} weight rows for ${layers} ws`);
  weights.forEach((row, l) => {
    const sum = row.reduce((a, b) => a + b, 0);
    if (row.length !== sources.length || !row.every(Number.isFinite) || Math.abs(sum - 1) > 1e-6) {
      throw new RangeError(`mixStyles: row ${l} must have ${sources.length} finite weights summing to 1, got [${row.join(', ')}]`);
    }
  });
  return tf.tidy(() => {
    const rows = weights.map((row, l) => {
      const only = row.findIndex((v) => v === 1);
      if (only >= 0 && row.every((v, s) => s === only || v === 0)) return tf.slice(sources[only]!, [l, 0], [1, wDim]);
      return tf.addN(row.map((v, s) => tf.mul(tf.slice(sources[s]!, [l, 0], [1, wDim]), v)));
    });
    return tf.concat(rows, 0) as tf.Tensor2D;
  });
}

export type StyleGroup = 'coarse' | 'middle' | 'fine';

/**
 * The group of a layer by the resolution it modulates, as the paper's style mixing figure: coarse 4²–8², middle
 * 16²–32², fine 64² and up.
 */
export function styleGroupOf(resolution: number): StyleGroup {
  if (resolution <= 8) return 'coarse';
  if (resolution <= 32) return 'middle';
  return 'fine';
}

/** ws indices of each group for an image of `resolution` px (64 px: coarse [0, 1, 2], middle [3…6], fine [7, 8, 9]). */
export function styleGroups(resolution: number): Record<StyleGroup, number[]> {
  const groups: Record<StyleGroup, number[]> = { coarse: [], middle: [], fine: [] };
  wsResolutions(resolution).forEach((r, i) => groups[styleGroupOf(r)].push(i));
  return groups;
}

/**
 * Weights that take each group whole from one source: `from.coarse = 1` takes the coarse styles from source 1 (the
 * paper's "coarse styles from source B"). Groups not named come from source 0.
 */
export function groupMixWeights(resolution: number, sourceCount: number, from: Partial<Record<StyleGroup, number>>): number[][] {
  return wsResolutions(resolution).map((r) => {
    const source = from[styleGroupOf(r)] ?? 0;
    if (!Number.isInteger(source) || source < 0 || source >= sourceCount) throw new RangeError(`groupMixWeights: source ${source} of ${sourceCount}`);
    return Array.from({ length: sourceCount }, (_, s) => (s === source ? 1 : 0));
  });
}
