// Bounds and defaults of the contract that the renderer's forms read as values (zod gives a schema's enum values, not
// its readable limits): the contract's schemas use these same constants. Plain zod and TypeScript, like all of main/api.
import { z } from 'zod';

/** Small images that cross the boundary as bytes (sketches and their live previews): base64 of a PNG, at most 4 MB. */
export const MAX_PREVIEW_BYTES = 4 * 1024 * 1024;

/** Upper bound of one upload file; larger files must be imported from disk by path. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Longest project name, and longest tag, in characters. */
export const MAX_PROJECT_NAME_CHARS = 120;
export const MAX_TAG_CHARS = 64;
/** Square sides a prepared dataset's pairs are stored at. */
export const DATASET_IMAGE_SIZES = [64, 128, 256] as const;
/** Where an inversion searches: w+ (closer to the picture) or w (edits behave more like the model's own images). */
export const InvertSpace = z.enum(['w', 'w+']);
export type InvertSpace = z.infer<typeof InvertSpace>;
/** Optimisation steps of an inversion; 1000 as the StyleGAN2 projector runs. */
export const INVERT_STEPS = { min: 10, max: 5000, default: 1000 } as const;
/** A latent walk: keyframes, frames from one to the next, playback speed; 24 frames at 24 fps is a second a step. */
export const INTERPOLATE_LIMITS = {
  keyframes: { min: 2, max: 64 },
  framesPerTransition: { min: 2, max: 240, default: 24 },
  fps: { min: 1, max: 60, default: 24 },
} as const;
/** The ESRGAN upscalers: slim is fast, medium sharper and about 3× slower. */
export const UpscaleModel = z.enum(['slim', 'medium']);
export type UpscaleModel = z.infer<typeof UpscaleModel>;
export const UPSCALE_SCALES = [2, 4] as const;
export type UpscaleScale = (typeof UPSCALE_SCALES)[number];
/** JPEG and WebP quality of an exported image (PNG is lossless). */
export const EXPORT_QUALITY = { min: 1, max: 100, default: 92 } as const;
