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

/** Steps of a whole run: `epochs` at the initial rate, then `epochsDecay` decaying, `stepsPerEpoch` each. */
export function linearDecayTotalSteps(schedule: Pick<LinearDecaySchedule, 'epochs' | 'epochsDecay'>, stepsPerEpoch: number): number {
  return (schedule.epochs + schedule.epochsDecay) * stepsPerEpoch;
}

/** Where an epoch-scheduled run stands (part of its run state): updates done, epoch, place in its order, current rate. */
export interface EpochPosition {
  step: number; // updates done
  epoch: number; // 0-based epoch of the next batch
  cursor: number; // position in `permutation` of the next batch's first sample
  permutation: number[] | null; // this epoch's order of 0…epochLength − 1; null until the epoch's first batch draws it
  learningRate: number; // α of the last update (the schedule's value; the initial rate before any)
}

/**
 * The epochs of a pix2pix or CycleGAN run over `epochLength` samples: shuffled batches (the DataLoader's shuffle=True,
 * drop_last=False), the linear rate schedule, and the run's length. The position lives in the run's state; this moves it.
 */
export class EpochSchedule {
  readonly stepsPerEpoch: number;

  constructor(
    readonly schedule: LinearDecaySchedule & { batchSize: number },
    readonly epochLength: number,
  ) {
    this.stepsPerEpoch = stepsPerEpoch(epochLength, schedule.batchSize);
  }

  get totalSteps(): number {
    return linearDecayTotalSteps(this.schedule, this.stepsPerEpoch);
  }

  /** The fresh position of a run that has taken no step. */
  start(): EpochPosition {
    return { step: 0, epoch: 0, cursor: 0, permutation: null, learningRate: this.schedule.learningRate };
  }

  /** The sample indices of the next batch; a new epoch first draws its order with `permutation` (one draw per epoch). */
  nextBatch(position: EpochPosition, permutation: (n: number) => number[]): number[] {
    position.permutation ??= permutation(this.epochLength);
    return position.permutation.slice(position.cursor, position.cursor + this.schedule.batchSize);
  }

  /** α of the next update. */
  learningRate(position: EpochPosition): number {
    return linearDecayLearningRate(this.schedule, position.step, this.stepsPerEpoch);
  }

  /** Counts an update of `batch` samples at `learningRate`; returns the epoch it belonged to. */
  advance(position: EpochPosition, batch: number, learningRate: number): number {
    const epoch = position.epoch;
    position.step++;
    position.learningRate = learningRate;
    position.cursor += batch;
    if (position.cursor >= this.epochLength) {
      position.epoch++;
      position.cursor = 0;
      position.permutation = null;
    }
    return epoch;
  }
}
