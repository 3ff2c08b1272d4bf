// The learning-rate schedule of junyanz pix2pix and CycleGAN (networks.py `get_scheduler`, lr_policy 'linear'):
// epochs at the initial rate, then a linear decay towards 0. Epoch counting for both families' runs.

/** What the schedule reads from a family's config (--lr, --n_epochs, --n_epochs_decay, --batch_size). */
export interface LinearDecaySchedule {
  learningRate: number;
  epochs: number;
  epochsDecay: number;
}

/** Batches per epoch over `epochLength` samples: the last batch smaller when the batch size does not divide it (drop_last=False). */
export function stepsPerEpoch(epochLength: number, batchSize: number): number {
  return Math.ceil(epochLength / batchSize);
}

/**
 * α for the update at `step` (0-based count of updates before it):
 *   λ(e) = 1 − max(0, e + epoch_count − n_epochs) / (n_epochs_decay + 1),  epoch_count = 1,
 * with e the 0-based epoch of the step (e = ⌊step / stepsPerEpoch⌋, as LambdaLR stepped once per finished epoch).
 * So epochs 1…n_epochs train at the full rate and decay epoch j (1…n_epochs_decay) at 1 − j/(n_epochs_decay + 1):
 * the rate falls linearly towards 0, which the epoch after the last would reach. (Newer train.py steps the scheduler
 * at the start of each epoch instead, which starts the decay one epoch earlier and spends the last epoch at 0.)
 */
export function linearDecayLearningRate(schedule: LinearDecaySchedule, step: number, stepsPerEpoch: number): number {
  const epoch = Math.floor(step / stepsPerEpoch);
  return schedule.learningRate * (1 - Math.max(0, epoch + 1 - schedule.epochs) / (schedule.epochsDecay + 1));
}
