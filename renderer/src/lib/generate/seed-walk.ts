// A latent walk through selected seeds ('stylegan.interpolate'): its keyframes, its settings with the contract's bounds,
// and its outcome read from the job's untyped result (main/jobs/kinds/interpolate.ts stores it).
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

export type WalkFormat = 'gif' | 'webm';

export interface WalkFile {
  format: WalkFormat;
  /** Absolute path of the file written into the project's exports/. */
  path: string;
  bytes: number;
}

export interface WalkOutcome {
  files: WalkFile[];
  generationId: number | null;
  /** The GIF, filed in the library (it plays where the asset is shown). */
  assetId: number | null;
}

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

const isFormat = (v: unknown): v is WalkFormat => v === 'gif' || v === 'webm';
const idOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** A job's `result` as a walk's outcome, or null when it is not one (yet). */
export function walkOutcomeOf(result: unknown): WalkOutcome | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  if (!Array.isArray(r['files'])) return null;
  const files = r['files'].flatMap((f: unknown): WalkFile[] => {
    const file = f as Partial<Record<keyof WalkFile, unknown>> | null;
    if (!file || !isFormat(file.format) || typeof file.path !== 'string' || typeof file.bytes !== 'number') return [];
    return [{ format: file.format, path: file.path, bytes: file.bytes }];
  });
  return { files, generationId: idOrNull(r['generationId']), assetId: idOrNull(r['assetId']) };
}
