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

