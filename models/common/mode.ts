// Train vs eval behaviour of a forward pass, as PyTorch's module.train()/eval(): batch statistics and dropout.

export interface ForwardMode {
  /** true: batch norm uses (and tracks) batch statistics and dropout is on; false: running statistics, no dropout. */
  training: boolean;
}

export const trainMode: ForwardMode = { training: true };
export const evalMode: ForwardMode = { training: false };
