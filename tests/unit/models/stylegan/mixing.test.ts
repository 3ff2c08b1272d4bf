// Style mixing for editing: per-layer blends of w+ latents (exact for one-source rows) and coarse/middle/fine groups by resolution.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOrtKernels, uninstallOrtKernels } from '../../../../main/engine/ort-kernels/index.js';
import { evalMode } from '../../../../models/common/mode.js';
import { disposeParams, namedVariables } from '../../../../models/common/param-tree.js';
import { styleGAN2Config } from '../../../../models/stylegan/config.js';
import { groupMixWeights, mixStyles, styleGroupOf, styleGroups } from '../../../../models/stylegan/mixing.js';
import { createGenerator, mapping, numWs, synthesis } from '../../../../models/stylegan/networks.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installOrtKernels();
});
afterAll(() => uninstallOrtKernels());

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));

describe('style groups', () => {
  it('group each ws index by the resolution it modulates: coarse 4–8, middle 16–32, fine ≥ 64 (not a fixed 18 layers)', () => {
    expect([4, 8, 16, 32, 64, 256, 1024].map(styleGroupOf)).toEqual(['coarse', 'coarse', 'middle', 'middle', 'fine', 'fine', 'fine']);
    expect(styleGroups(64)).toEqual({ coarse: [0, 1, 2], middle: [3, 4, 5, 6], fine: [7, 8, 9] });
    expect(styleGroups(32)).toEqual({ coarse: [0, 1, 2], middle: [3, 4, 5, 6, 7], fine: [] });
    const at1024 = styleGroups(1024);
    expect([at1024.coarse.length, at1024.middle.length, at1024.fine.length]).toEqual([3, 4, 11]);
    expect(groupMixWeights(64, 2, { coarse: 1 })).toEqual([[0, 1], [0, 1], [0, 1], ...Array(7).fill([1, 0])]);
    expect(() => groupMixWeights(64, 2, { fine: 2 })).toThrow(RangeError);
  });
});

describe('mixStyles', () => {
  it('blends row by row and validates the weights', () => {
    const a = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const b = tf.tensor2d([[10, 20], [30, 40], [50, 60]]);
    const c = tf.tensor2d([[0, 0], [0, 0], [-5, -5]]);
    const mixed = mixStyles([a, b, c], [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0, 0.5]]);
    expect(values(mixed)).toEqual([1, 2, 0.25 * 3 + 0.75 * 30, 0.25 * 4 + 0.75 * 40, 0, 0.5]);
    expect(() => mixStyles([a, b], [[1, 0], [0.5, 0.6], [0, 1]])).toThrow(RangeError); // a row summing to 1.1
    expect(() => mixStyles([a, b], [[1, 0], [0, 1]])).toThrow(RangeError); // 2 rows for 3 ws
    expect(() => mixStyles([a, b], [[1], [1], [1]])).toThrow(RangeError); // 1 weight for 2 sources
    tf.dispose([a, b, c, mixed]);
  });

  it("weights (1, 0) reproduce A's ws and A's image bit for bit; coarse from B changes the image, and nothing leaks", () => {
    const config = styleGAN2Config(32, { zDim: 32, wDim: 32, mappingLayers: 2, channelBase: 256, channelMax: 16, seed: 21 });
    const g = createGenerator(config);
    for (const [path, v] of namedVariables(g)) if (path.endsWith('noise.strength')) v.assign(tf.scalar(0.3));
    const z = tf.randomNormal([2, 32], 0, 1, 'float32', 22) as tf.Tensor2D;
    const ws = mapping(g.mapping, z, evalMode, { truncationPsi: 0.8 }); // [2, numWs, wDim]: A and B
    const [wsA, wsB] = tf.unstack(ws) as [tf.Tensor2D, tf.Tensor2D];
    // An extreme B: the one-source rows must not even look at it (0·∞ would be NaN in a weighted sum).
    const wild = tf.fill([numWs(32), 32], Infinity) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const onlyA = mixStyles([wsA, wsB, wild], Array.from({ length: numWs(32) }, () => [1, 0, 0]));
    expect(bits(onlyA)).toEqual(bits(wsA));
    const image = (w: tf.Tensor2D): tf.Tensor4D => tf.tidy(() => synthesis(g.synthesis, tf.expandDims(w, 0) as tf.Tensor3D, evalMode));
    const [imageA, imageMixedA] = [image(wsA), image(onlyA)];
    expect(bits(imageMixedA)).toEqual(bits(imageA));
    const coarseFromB = mixStyles([wsA, wsB], groupMixWeights(32, 2, { coarse: 1 }));
    tf.tidy(() => {
      expect(values(tf.slice(coarseFromB, [0, 0], [3, -1]))).toEqual(values(tf.slice(wsB, [0, 0], [3, -1])));
      expect(values(tf.slice(coarseFromB, [3, 0], [-1, -1]))).toEqual(values(tf.slice(wsA, [3, 0], [-1, -1])));
    });
    const imageCoarseB = image(coarseFromB);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(imageCoarseB, imageA))).dataSync()[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([onlyA, imageA, imageMixedA, coarseFromB, imageCoarseB]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, ws, wsA, wsB, wild]);
    disposeParams(g);
  });
});
