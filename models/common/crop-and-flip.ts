// Square crops and mirror flips of uint8 RGB images, as the reference's preprocessing makes training samples
// (junyanz data/base_dataset.py `get_transform`, preprocess resize_and_crop): for pix2pix pairs and CycleGAN images alike.
import type { SeededRandom } from './seeded-random.js';

/**
 * The side images are stored at before a random `cropSize` window is cut: the reference loads at 286 for 256 crops
 * (load_size/crop_size = 286/256), so a crop may shift by up to an eighth of the image.
 */
export function referenceLoadSize(cropSize: number): number {
  return Math.round((cropSize * 286) / 256);
}

/** The `cropSize × cropSize` window at (left, top) of a `size × size` RGB image (HWC), optionally mirrored left-right. */
export function cropRgb(rgb: Uint8Array, size: number, left: number, top: number, cropSize: number, flip: boolean): Uint8Array {
  const out = new Uint8Array(cropSize * cropSize * 3);
  const rowBytes = cropSize * 3;
  for (let y = 0; y < cropSize; y++) {
    const from = ((top + y) * size + left) * 3;
    const to = y * rowBytes;
    if (!flip) {
      out.set(rgb.subarray(from, from + rowBytes), to);
      continue;
    }
    for (let x = 0; x < cropSize; x++) {
      const s = from + (cropSize - 1 - x) * 3;
      const d = to + x * 3;
      out[d] = rgb[s]!;
      out[d + 1] = rgb[s + 1]!;
      out[d + 2] = rgb[s + 2]!;
    }
  }
  return out;
}

/** The centred `crop × crop` window (test.py's centre crop: evaluation, samples, training without augmentation). */
export function centreCropRgb(rgb: Uint8Array, size: number, crop: number): Uint8Array {
  if (size === crop) return rgb;
  if (size < crop) throw new RangeError(`A ${size} px image is smaller than the ${crop} px crop.`);
  const offset = Math.floor((size - crop) / 2);
  return cropRgb(rgb, size, offset, offset, crop, false);
}

/** Turns one stored image into a training sample of `cropSize`, drawing what it needs from `random`. */
export type ImageAugmenter = (rgb: Uint8Array, size: number, cropSize: number, random: SeededRandom) => Uint8Array;

/**
 * transforms.RandomCrop(crop_size) then RandomHorizontalFlip(): draws exactly three numbers in a fixed order
 * (left, top, flip), so a run resumed from a saved random state cuts the same samples.
 */
export const randomCropAndFlip: ImageAugmenter = (rgb, size, cropSize, random) => {
  if (!Number.isInteger(cropSize) || cropSize < 1 || cropSize > size) {
    throw new RangeError(`Crop size ${cropSize} does not fit a stored image of ${size}×${size}.`);
  }
  const left = random.int(size - cropSize + 1); // 0 when stored at the crop size: no crop
  const top = random.int(size - cropSize + 1);
  const flip = random.next() < 0.5;
  return cropRgb(rgb, size, left, top, cropSize, flip);
};
