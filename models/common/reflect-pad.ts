// Reflection padding (nn.ReflectionPad2d): mirrors the border without repeating the edge pixel; exact gradient.
import * as tf from '@tensorflow/tfjs-core';

/**
 * x [B, H, W, C] → [B, H + 2p, W + 2p, C]; row −1 copies row 1, row H copies row H − 2 (needs p < H, p < W).
 * Why a custom gradient: tfjs' MirrorPad gradient only slices the centre out of dy, dropping what the mirrored border
 * contributed (PyTorch adds it back), and its strided Slice runs element by element on tfjs-cpu (44 s of a 128 px
 * CycleGAN step). Here each border's gradient is folded back onto the rows it copied, along one axis at a time with
 * that axis moved first, so every slice and concat is a contiguous block.
 */
export function reflectPad(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [, height, width] = x.shape;
  const pad = tf.customGrad((...inputs) => ({
    value: tf.mirrorPad(inputs[0] as tf.Tensor4D, [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ], 'reflect'),
    gradFunc: (dy: tf.Tensor) => {
      const heightFirst = foldReflection(tf.transpose(dy, [1, 0, 2, 3]), height, p); // [H, B, W + 2p, C]
      const widthFirst = foldReflection(tf.transpose(heightFirst, [2, 1, 0, 3]), width, p); // [W, B, H, C]
      return tf.transpose(widthFirst, [1, 2, 0, 3]); // [B, H, W, C]
    },
  }));
  return pad(x) as tf.Tensor4D;
}

/**
 * The adjoint of reflect padding along axis 0: g [n + 2p, …] → [n, …]. Padded row i < p copied row p − i and padded
 * row p + n + j copied row n − 2 − j, so their gradients are added to those rows (rows 1…p and n − 1 − p…n − 2).
 */
function foldReflection(g: tf.Tensor, n: number, p: number): tf.Tensor {
  const rest = g.shape.slice(1);
  const rows = (begin: number, count: number): tf.Tensor => tf.slice(g, [begin, ...rest.map(() => 0)], [count, ...rest]);
  const zeros = (count: number): tf.Tensor[] => (count > 0 ? [tf.zeros([count, ...rest])] : []);
  const reversedRows = (begins: number[]): tf.Tensor => tf.concat(begins.map((r) => rows(r, 1)), 0);
  const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
  const top = reversedRows(range(0, p).reverse()); // gradients of x rows 1…p
  const bottom = reversedRows(range(n + p, p).reverse()); // gradients of x rows n − 1 − p…n − 2
  return tf.addN([
    rows(p, n),
    tf.concat([...zeros(1), top, ...zeros(n - 1 - p)], 0),
    tf.concat([...zeros(n - 1 - p), bottom, ...zeros(1)], 0),
  ]);
}
