// Adam (Kingma & Ba 2015) with torch.optim.Adam's update, for the GAN steps: one fused pass per variable on tfjs-cpu.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  learningRate: number; // α (2e-4 in pix2pix and CycleGAN)
  beta1: number; // β1 (0.5 in the GAN references)
  beta2: number; // β2 (0.999)
  epsilon?: number; // ε added to √v̂ (1e-8, PyTorch's default)
}

export interface Adam {
  /** Differentiates `loss` with respect to `variables`, applies one Adam update to them and returns the loss (caller disposes). */
  minimize(loss: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar;
  /** Frees the moment estimates. */
  dispose(): void;
}

interface Moments {
  m: Float32Array; // first moment, same size as the variable
  v: Float32Array; // second moment
}

/**
 * Adam as PyTorch computes it: m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; θ ← θ − α/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + ε).
 *
 * Why not tf.train.adam: it spends 14 elementwise tensor ops per variable, each a full pass over the weights with its
 * own output tensor; for pix2pix's 42–54 M weights that was over half of a training step. On tfjs-cpu the tensors are
 * plain Float32Arrays in this process, so one loop per variable does the whole update with the moments kept as arrays.
 * On any other backend reading weights back would cost a device round trip: there it defers to tf.train.adam.
 */
export function createAdam(options: AdamOptions): Adam {
  if (tf.getBackend() !== 'cpu') return tfjsAdam(options);
  const { learningRate, beta1, beta2 } = options;
  const epsilon = options.epsilon ?? 1e-8;
  const moments = new Map<tf.Variable, Moments>();
  let step = 0;
  return {
    minimize(loss, variables) {
      const { value, grads } = tf.variableGrads(loss, variables);
      step++;
      const stepSize = learningRate / (1 - beta1 ** step);
      const sqrtCorrection2 = Math.sqrt(1 - beta2 ** step);
      for (const variable of variables) {
        const gradient = grads[variable.name]!.dataSync() as Float32Array;
        const theta = variable.dataSync() as Float32Array; // tfjs-cpu's own array: read only
        let state = moments.get(variable);
        if (state === undefined) {
          state = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
          moments.set(variable, state);
        }
        const { m, v } = state;
        const next = new Float32Array(variable.size);
        for (let i = 0; i < next.length; i++) {
          const g = gradient[i]!;
          const mi = beta1 * m[i]! + (1 - beta1) * g;
          const vi = beta2 * v[i]! + (1 - beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          next[i] = theta[i]! - (stepSize * mi) / (Math.sqrt(vi) / sqrtCorrection2 + epsilon);
        }
        tf.tidy(() => variable.assign(tf.tensor(next, variable.shape, 'float32')));
      }
      tf.dispose(Object.values(grads));
      return value;
    },
    dispose() {
      moments.clear();
    },
  };
}

/** tf.train.adam behind the same interface (backends whose tensors live on a device). */
function tfjsAdam({ learningRate, beta1, beta2, epsilon = 1e-8 }: AdamOptions): Adam {
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  return {
    minimize: (loss, variables) => optimizer.minimize(loss, true, variables)!,
    dispose: () => optimizer.dispose(),
  };
}
