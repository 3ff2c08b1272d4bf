// Networks here are plain trees of tf.Variables walked by pure forward functions; this file finds and names the leaves.
//
// Why explicit weight tensors rather than tfjs-layers: the GAN steps need exact control over which variables each
// optimizer updates (G vs D), over train/eval behaviour (batch-norm statistics, dropout), and ops tfjs-layers lacks
// (instance norm, reflect padding). A later ONNX export walks the same tree: every op in a forward function maps to one
// ONNX node and every leaf to one initializer, named by its path (as in a PyTorch state_dict).
import * as tf from '@tensorflow/tfjs-core';

/** A network's weights: nested objects/arrays whose tensor leaves are tf.Variables; other leaves (numbers, flags) are structure. */
export type ParamTree = unknown;

/** Every variable of `tree` keyed by its dotted path (`down.0.conv.filter`), in a stable order. */
export function namedVariables(tree: ParamTree, prefix = ''): Map<string, tf.Variable> {
  const found = new Map<string, tf.Variable>();
  const walk = (node: unknown, path: string): void => {
    if (node instanceof tf.Variable) {
      found.set(path, node);
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, path === '' ? String(i) : `${path}.${i}`));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, path === '' ? key : `${path}.${key}`);
    }
  };
  walk(tree, prefix);
  return found;
}

/** The trainable variables of `tree` (what an optimizer updates; batch-norm running statistics are not trainable). */
export function trainableVariables(tree: ParamTree): tf.Variable[] {
  return [...namedVariables(tree).values()].filter((v) => v.trainable);
}

/** Number of trainable scalars, to compare with the reference implementation's parameter count. */
export function countParameters(tree: ParamTree): number {
  return trainableVariables(tree).reduce((n, v) => n + v.size, 0);
}

/** Frees every variable of `tree`. */
export function disposeParams(tree: ParamTree): void {
  for (const v of namedVariables(tree).values()) v.dispose();
}
