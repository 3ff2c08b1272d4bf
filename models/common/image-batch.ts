// uint8 RGB images → one network batch: the training runs' inputs, through image-tensor.ts's mapping.
import * as tf from '@tensorflow/tfjs-core';
import { rgbToSigned } from './image-tensor.js';

/** `size × size × 3` HWC uint8 images → [n, size, size, 3] in [-1, 1] (the reference's ToTensor + Normalize). */
export function signedBatch(images: readonly Uint8Array[], size: number): tf.Tensor4D {
  const pixels = size * size * 3;
  const values = new Float32Array(images.length * pixels);
  images.forEach((image, n) => {
    if (image.length !== pixels) throw new Error(`an image of ${image.length} bytes is not ${size}×${size} RGB`);
    rgbToSigned(image, values, n * pixels);
  });
  return tf.tensor4d(values, [images.length, size, size, 3]);
}
