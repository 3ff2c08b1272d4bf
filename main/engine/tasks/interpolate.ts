// Engine task: a latent walk through keyframes (seeds or stored latents) of a StyleGAN2 model, rendered frame by frame
// and written as a looping GIF and/or a WebM.

import path from 'node:path';
import { StudioError } from '../../api/errors.js';
import { encodeGif, encodeWebm } from '../../data/animation.js';
import { writeNewFile } from '../../library/new-file.js';
import type { MixSource } from '../style-generator.js';
import type { EngineParams, InterpolateItem, InterpolateResult } from '../engine-api.js';
import type { EngineTaskContext } from '../engine-protocol.js';
import { mkdirInLiveProject } from '../../library/project-paths.js';

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function interpolateTask(params: EngineParams<'stylegan.interpolate'>, ctx: EngineTaskContext<InterpolateItem>): Promise<InterpolateResult> {
  const model = await ctx.models.styleGenerator(params.modelFolder);
  const size = model.numWs * model.wDim;
  // Every keyframe as a full w+ (a mix of one source is that source's ws).
  const keys = params.keyframes.map((k) => {
    const source: MixSource = 'seed' in k ? { seed: k.seed, truncation: { psi: k.truncationPsi, cutoff: k.truncationCutoff } } : { ws: Float32Array.from(k.ws) };
    return model.mix([source], Array.from({ length: model.numWs }, () => [1]));
  });
  const stops = params.loop ? [...keys, keys[0]!] : keys;
  const transitions = stops.length - 1;
  // Without a loop the last keyframe is a frame of its own; with one, the first frame closes the cycle.
  const total = transitions * params.framesPerTransition + (params.loop ? 0 : 1);
  const frames: Uint8Array[] = [];
  for (let f = 0; f < total; f++) {
    if (ctx.signal.aborted) throw new StudioError('CANCELLED', `Stopped after ${f} of ${total} frames.`);
    const segment = Math.min(Math.floor(f / params.framesPerTransition), transitions - 1);
    const t = f / params.framesPerTransition - segment; // 0 … 1 within the segment (1 only at the very last frame)
    const [from, to] = [stops[segment]!, stops[segment + 1]!];
    const ws = new Float32Array(size);
    for (let i = 0; i < size; i++) ws[i] = from[i]! + (to[i]! - from[i]!) * t;
    frames.push(model.synthesize(ws, 1, 'const')[0]!);
    ctx.onProgress({ stage: 'Rendering frames', step: f + 1, total });
    if (f % 8 === 7) await yieldToEvents();
  }
  await mkdirInLiveProject(params.outDir);
  const animation = { frames, width: model.resolution, height: model.resolution, fps: params.fps };
  const files: InterpolateResult['files'] = [];
  for (const format of params.formats) {
    ctx.onProgress({ stage: `Encoding ${format.toUpperCase()}`, step: total, total });
    const bytes = format === 'gif' ? encodeGif(animation) : await encodeWebm(animation);
    // Never over a file already there (an export folder outlives its library): `-2` and on if the name is taken.
    const file = await writeNewFile(path.join(params.outDir, `${params.baseName}.${format}`), bytes);
    files.push({ format, path: file, bytes: bytes.length });
    ctx.emitItem({ kind: 'file', format, path: file, bytes: bytes.length } satisfies InterpolateItem);
  }
  return { frames: total, files };
}
