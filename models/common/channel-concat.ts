// Concatenation along channels (torch.cat([x, y], 1)) whose gradient avoids tfjs-cpu's element-by-element SplitV.
import * as tf from '@tensorflow/tfjs-core';

/**
 * a [B, H, W, Ca], b [B, H, W, Cb] → [B, H, W, Ca + Cb]. Same values as tf.concat(…, 3).
 * Why custom: tfjs' Concat gradient splits dy along its innermost axis, which tfjs-cpu does with one TensorBuffer
 * get/set per element (1.8 s of a 128 px pix2pix step). Moving channels first makes each part a contiguous block:
 * two native Transposes and two memcpy slices instead.
 */
export function concatChannels(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  const channelsA = a.shape[3];
  const concat = tf.customGrad((...inputs) => ({
    value: tf.concat(inputs.slice(0, 2) as tf.Tensor4D[], 3),
    gradFunc: (dy: tf.Tensor) => {
      const channelsFirst = tf.transpose(dy, [3, 0, 1, 2]); // [Ca + Cb, B, H, W]
      const part = (begin: number, size: number): tf.Tensor => tf.transpose(tf.slice(channelsFirst, [begin, 0, 0, 0], [size, -1, -1, -1]), [1, 2, 3, 0]);
      return [part(0, channelsA), part(channelsA, dy.shape[3]! - channelsA)];
    },
  }));
  return concat(a, b) as tf.Tensor4D;
}
