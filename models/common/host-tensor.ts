// A tensor's values held on the host, outside tfjs: what snapshots, checkpoints and saved-model folders carry.

/** A tensor's values on the host: `data.length` = product of `shape`, row-major as tfjs holds it. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}
