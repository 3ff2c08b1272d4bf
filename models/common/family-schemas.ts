// Schema pieces the families' descriptors share (plain zod): counts, powers of 2, and what the run states of the
// epoch-scheduled (pix2pix, CycleGAN) and image-folder (StyleGAN2, PGGAN) families hold in common.
import { z } from 'zod';

/** An integer from `min` up. */
export const int = (min = 0): z.ZodNumber => z.number().int().min(min);

/** A power of 2 in [min, max]. */
export const powerOf2 = (min: number, max: number) => int(min).max(max).refine((n) => (n & (n - 1)) === 0, { message: 'must be a power of 2' });

// seedrandom's Alea state (models/common/seeded-random.ts): three 32-bit fractions and a carry.
export const randomState = z.object({ alea: z.object({ c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() }).strict() }).strict();

/** Where an epoch-scheduled run (pix2pix, CycleGAN) stands: updates done, epoch, place in its order, current rate. */
export const epochPosition = {
  step: int(0),
  epoch: int(0),
  cursor: int(0),
  permutation: z.array(int(0)).nullable(),
  learningRate: z.number().min(0),
};

/** The optimiser and epoch fields that end pix2pix's and CycleGAN's stored configs (junyanz --lr, --beta1, --n_epochs…). */
export const epochConfigFields = {
  learningRate: z.number().positive(),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  batchSize: int(1),
  epochs: int(0),
  epochsDecay: int(0),
  seed: z.number().int().optional(),
};

/** What the run state of every family that trains on one folder of images (StyleGAN2, PGGAN) holds. */
export const imageFolderRunState = {
  seed: z.number().int(),
  datasetLength: int(1),
  totalKimg: z.number().positive(),
  step: int(0),
  cursor: int(0),
  permutation: z.array(int(0)).nullable(),
  random: z.object({ data: randomState, latents: randomState }).strict(),
};


// ---- training settings the families share (limits and defaults the contract and the Train forms read)

/** pix2pix's and CycleGAN's length and batch: the junyanz defaults (100 epochs at the full rate, 100 decaying, batch 1). */
export const epochSettings = {
  epochs: z.number().int().min(0).max(10_000).default(100),
  epochsDecay: z.number().int().min(0).max(10_000).default(100),
  batchSize: z.number().int().min(1).max(64).default(1),
};

/** How often an epoch-scheduled run samples (its grid, and held-out metrics where it has them) and checkpoints. */
export const epochRunSchedule = {
  checkpointEvery: z.number().int().min(1).default(500), // steps
  sampleEvery: z.number().int().min(1).default(200), // steps
};

/** The image side of an image-folder or CycleGAN model, in px. */
export const imageSide = (fallback: 64 | 128) => z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(fallback);

/** How often an image generator's run (StyleGAN2, PGGAN) samples its seed grid, checkpoints and measures KID. */
export const generatorRunSchedule = {
  checkpointEvery: z.number().int().min(1).default(250), // iterations
  sampleEvery: z.number().int().min(1).default(100), // iterations: the seed grid
  kidEvery: z.number().int().min(1).default(1000), // iterations between KID measurements (and one at the end)
  kidImages: z.number().int().min(2).max(10_000).default(256), // images per KID measurement
};

/** Engine-side network settings that are whole numbers, by name (the job's settings were checked against their limits). */
export function wholeNumbers<const K extends string>(keys: readonly K[]): z.ZodObject<{ [P in K]: z.ZodNumber }> {
  return z.object(Object.fromEntries(keys.map((key) => [key, z.number().int()])) as { [P in K]: z.ZodNumber });
}
