// Adam (Kingma & Ba 2015) with torch.optim.Adam's update, for the GAN steps: one fused pass per variable on tfjs-cpu.
import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  learningRate: number; // α (2e-4 in pix2pix and CycleGAN); a schedule changes it with setLearningRate
  beta1: number; // β1 (0.5 in the GAN references)
  beta2: number; // β2 (0.999)
  epsilon?: number; // ε added to √v̂ (1e-8, PyTorch's default)
  /** The one-loop update on host arrays (default: when the backend is 'cpu'); false defers to tf.train.adam. */
  fused?: boolean;
}

/** The moments of one variable, each the variable's size (flattened as its data). */
export interface AdamMoments {
  m: Float32Array; // first moment
  v: Float32Array; // second moment
}

/**
 * Everything an Adam needs to continue exactly, keyed by each variable's path in its network (`namedVariables`),
 * not by tf variable name: names are numbered per process, so a fresh process that rebuilds the network gives its
 * variables other names but the same paths.
 */
export interface AdamState {
  step: number; // t, the updates applied so far (the bias corrections 1 − βᵗ use it)
  learningRate: number; // α in force (the schedule's last value)
  moments: Map<string, AdamMoments>; // path → moments, for each variable updated so far, in update order
}

export interface Adam {
  /** Differentiates `loss` with respect to `variables`, applies one Adam update to them and returns the loss (caller disposes). */
  minimize(loss: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar;
  /** α of the next update. */
  readonly learningRate: number;
  setLearningRate(learningRate: number): void;
  /** Updates applied so far. */
  readonly step: number;
  /** A copy of the state; `variables` (path → variable, as `namedVariables`) names the moments. */
  exportState(variables: ReadonlyMap<string, tf.Variable>): Promise<AdamState>;
  /**
   * Replaces the state with a copy of `state`, matching moments to `variables` by path. For the tf.train.adam
   * fallback, whose moments are positional, pass `variables` in the order `minimize` receives them.
   */
  importState(state: AdamState, variables: ReadonlyMap<string, tf.Variable>): Promise<void>;
  /** Frees the moment estimates. */
  dispose(): void;
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
  if (!(options.fused ?? tf.getBackend() === 'cpu')) return tfjsAdam(options);
  const { beta1, beta2 } = options;
  const epsilon = options.epsilon ?? 1e-8;
  let learningRate = options.learningRate;
  let moments = new Map<tf.Variable, AdamMoments>();
  let step = 0;
  return {
    minimize(loss, variables) {
      const { value, grads } = tf.variableGrads(loss, variables);
      step++;
      const stepSize = learningRate / (1 - beta1 ** step);
      const sqrtCorrection2 = Math.sqrt(1 - beta2 ** step);
      for (const variable of variables) {
        // A variable the loss does not reach (D's output bias under R1) takes a zero gradient, as the reference gets by
        // adding real_logits·0 to that loss: its moments still decay and it still moves by what they hold.
        const gradient = (grads[variable.name]?.dataSync() as Float32Array | undefined) ?? new Float32Array(variable.size);
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
    get learningRate() {
      return learningRate;
    },
    setLearningRate(next) {
      learningRate = next;
    },
    get step() {
      return step;
    },
    async exportState(variables) {
      const exported = new Map<string, AdamMoments>();
      for (const [path, variable] of variables) {
        const state = moments.get(variable);
        if (state !== undefined) exported.set(path, { m: state.m.slice(), v: state.v.slice() });
      }
      return { step, learningRate, moments: exported };
    },
    async importState(state, variables) {
      const imported = new Map<tf.Variable, AdamMoments>();
      for (const [path, { m, v }] of state.moments) {
        const variable = variables.get(path);
        if (variable === undefined) throw new Error(`Adam state has moments for "${path}", which this network lacks`);
        if (m.length !== variable.size || v.length !== variable.size) {
          throw new Error(`Adam state for "${path}" has ${m.length}/${v.length} moments, the variable ${variable.size} weights`);
        }
        imported.set(variable, { m: m.slice(), v: v.slice() });
      }
      moments = imported;
      step = state.step;
      learningRate = state.learningRate;
    },
    dispose() {
      moments.clear();
    },
  };
}

/** tf.train.adam keeps α in a protected field that every update reads; a schedule must change it between steps. */
const rateOf = (optimizer: tf.AdamOptimizer): { learningRate: number } => optimizer as unknown as { learningRate: number };

/**
 * β1ᵗ⁺¹ and β2ᵗ⁺¹ as tf.train.adam holds them after t updates: β multiplied in once per update in float32.
 * Its setWeights recomputes them with one pow, which can differ in the last bit and so shift every later update;
 * these are the values the uninterrupted optimizer would hold. (Fields private to tfjs 4.22's AdamOptimizer.)
 */
function restoreAccumulatedBetas(optimizer: tf.AdamOptimizer, beta1: number, beta2: number, step: number): void {
  const internals = optimizer as unknown as { accBeta1?: unknown; accBeta2?: unknown };
  const power = (beta: number): number => {
    let acc = Math.fround(beta);
    for (let i = 0; i < step; i++) acc = Math.fround(acc * Math.fround(beta));
    return acc;
  };
  for (const [field, beta] of [['accBeta1', beta1], ['accBeta2', beta2]] as const) {
    const variable = internals[field];
    if (variable instanceof tf.Variable) tf.tidy(() => variable.assign(tf.scalar(power(beta))));
  }
}

/**
 * tf.train.adam behind the same interface (backends whose tensors live on a device). Its state goes through
 * getWeights/setWeights: [iter, m of each variable…, v of each variable…], named `<tf variable name>/m|v` and matched
 * to variables by position (the order of `minimize`'s variables), which is why paths are mapped here both ways.
 */
function tfjsAdam({ learningRate, beta1, beta2, epsilon = 1e-8 }: AdamOptions): Adam {
  let optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  return {
    minimize: (loss, variables) => optimizer.minimize(loss, true, variables)!,
    get learningRate() {
      return rateOf(optimizer).learningRate;
    },
    setLearningRate(next) {
      rateOf(optimizer).learningRate = next;
    },
    get step() {
      return optimizer.iterations;
    },
    async exportState(variables) {
      const pathOf = new Map([...variables].map(([path, variable]) => [variable.name, path]));
      const [iter, ...slots] = await optimizer.getWeights();
      tf.dispose(iter!.tensor); // a fresh scalar from saveIterations
      const moments = new Map<string, AdamMoments>();
      const half = slots.length / 2;
      for (let i = 0; i < half; i++) {
        const tfName = slots[i]!.name.replace(/\/m$/, '');
        const path = pathOf.get(tfName);
        if (path === undefined) throw new Error(`Adam updates variable "${tfName}", which is not among the named variables`);
        const m = (await slots[i]!.tensor.data()) as Float32Array;
        const v = (await slots[half + i]!.tensor.data()) as Float32Array;
        moments.set(path, { m: m.slice(), v: v.slice() });
      }
      return { step: optimizer.iterations, learningRate: rateOf(optimizer).learningRate, moments };
    },
    async importState(state, variables) {
      const slots: Array<{ variable: tf.Variable; moments: AdamMoments }> = [];
      for (const [path, variable] of variables) {
        const moments = state.moments.get(path);
        if (moments !== undefined) slots.push({ variable, moments });
      }
      if (slots.length !== state.moments.size) {
        const missing = [...state.moments.keys()].find((path) => !variables.has(path));
        throw new Error(`Adam state has moments for "${missing}", which this network lacks`);
      }
      // setWeights adopts new moment variables without freeing the old ones: start from a fresh optimizer.
      optimizer.dispose();
      optimizer = tf.train.adam(state.learningRate, beta1, beta2, epsilon);
      const tensors = slots.flatMap(({ variable, moments }) => [
        { name: `${variable.name}/m`, tensor: tf.tensor(moments.m, variable.shape, 'float32') },
        { name: `${variable.name}/v`, tensor: tf.tensor(moments.v, variable.shape, 'float32') },
      ]);
      const iter = tf.scalar(state.step, 'int32');
      const ms = tensors.filter((_, i) => i % 2 === 0);
      const vs = tensors.filter((_, i) => i % 2 === 1);
      await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...ms, ...vs]);
      restoreAccumulatedBetas(optimizer, beta1, beta2, state.step);
      // The optimizer's moment variables hold their own reference to the data.
      tf.dispose([iter, ...tensors.map((t) => t.tensor)]);
    },
    dispose: () => optimizer.dispose(),
  };
}
