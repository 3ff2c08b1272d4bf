// A latent walk through selected seeds ('stylegan.interpolate'): its keyframes and its settings with the contract's
// bounds (its outcome is the job's InterpolateOutcome).
import { INTERPOLATE_LIMITS, type MixSource } from '../../../../main/api/contract.js';

export const WALK_LIMITS = INTERPOLATE_LIMITS;

/** How the walk moves: frames from one seed to the next, playback speed, and back to the first seed at the end. */
export interface WalkSettings {
  framesPerTransition: number;
  fps: number;
  loop: boolean;
}

/** The contract's defaults: 24 frames per transition at 24 fps, one second from seed to seed, looping. */
export const DEFAULT_WALK: WalkSettings = { framesPerTransition: INTERPOLATE_LIMITS.framesPerTransition.default, fps: INTERPOLATE_LIMITS.fps.default, loop: true };

/** Seeds in pick order as keyframes, each drawn with the truncation the grid shows. */
export function seedKeyframes(seeds: readonly number[], psi: number, cutoff: number | null): MixSource[] {
  return seeds.map((seed) => ({ kind: 'seed', seed, truncationPsi: psi, ...(cutoff === null ? {} : { truncationCutoff: cutoff }) }));
}

/** Number of frames the walk will have: a loop comes back to the first seed, which is then not drawn twice. */
export function walkFrameCount(keyframes: number, settings: WalkSettings): number {
  const transitions = settings.loop ? keyframes : keyframes - 1;
  return transitions * settings.framesPerTransition + (settings.loop ? 0 : 1);
}

/** A message for the first setting out of the contract's bounds, or null when every one is fine. */
export function checkWalkSettings(settings: WalkSettings): string | null {
  const { framesPerTransition: f, fps } = settings;
  const { framesPerTransition: fl, fps: pl } = WALK_LIMITS;
  if (!Number.isInteger(f) || f < fl.min || f > fl.max) return `Frames per transition: a whole number from ${fl.min} to ${fl.max}.`;
  if (!Number.isFinite(fps) || fps < pl.min || fps > pl.max) return `Frames per second: from ${pl.min} to ${pl.max}.`;
  return null;
}
