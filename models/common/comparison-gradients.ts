// Zero gradients for tfjs' comparison ops, so losses that differentiate a gradient (StyleGAN2's R1 penalty) work.
//
// Why: a first-order backward pass builds masks with comparisons (LeakyRelu's gradient is where(x > 0, dy, α·dy));
// under an outer gradient those ops are on the tape, and tfjs registers no gradient for them, so the outer pass
// throws. A comparison is piecewise constant: its derivative is 0 almost everywhere, which is what is registered here.
import * as tf from '@tensorflow/tfjs-core';

const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'] as const;

for (const kernelName of COMPARISONS) {
  if (tf.getGradient(kernelName) !== undefined) continue;
  tf.registerGradient({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  });
}
