// Training-time augmentation of sketch-to-photo pairs: pix2pix's random crop and flip, plus stroke width on the sketch.
import type { SeededRandom } from '../../models/common/seeded-random.js';
import { cropRgb } from '../../models/common/crop-and-flip.js';
import { strokeWidthVariant } from './edge-extractor.js';
import type { PairAugmenter, RgbPair } from '../../models/common/datasets.js';

/** Stroke widths drawn for the sketch (A), in pixels at the crop size, uniformly. */
export const STROKE_WIDTHS = [1, 2, 3] as const;

/**
 * pix2pix's training transform (junyanz `get_params`/`get_transform` with preprocess resize_and_crop): the pair
 * is stored at load_size (e.g. 143 for 128 px training, 286 for 256), a random `cropSize` window is cut from the
 * same place in A and B, and both are mirrored together with probability 0.5. A sketch (A) is then redrawn with a
 * random pen width of 1–3 px, so sketches drawn by hand, thicker than the extracted edges, look familiar.
 * Draws exactly four numbers from `random` in a fixed order (left, top, flip, width), so a run resumed from a saved
 * random state reproduces every sample.
 */
export const augmentPair: PairAugmenter = (pair: RgbPair, cropSize: number, random: SeededRandom): RgbPair => {
  const { size } = pair;
  if (!Number.isInteger(cropSize) || cropSize < 1 || cropSize > size) {
    throw new RangeError(`Crop size ${cropSize} does not fit a stored pair of ${size}×${size}.`);
  }
  const left = random.int(size - cropSize + 1); // 0 when stored at the crop size: no crop
  const top = random.int(size - cropSize + 1);
  const flip = random.next() < 0.5;
  const width = STROKE_WIDTHS[random.int(STROKE_WIDTHS.length)]!;
  const a = cropRgb(pair.a, size, left, top, cropSize, flip);
  const b = cropRgb(pair.b, size, left, top, cropSize, flip);
  return { a: strokeWidthVariant(a, cropSize, width), b, size: cropSize };
};
