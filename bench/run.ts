// `npm run bench`: every case in order, each in its own Node process (so its peak RSS is its own), JSON lines out.
// Env: BENCH_STEPS (timed repetitions, default 5; heavy cases cap it), BENCH_THREADS (default 2), BENCH_CASES (comma
// list of case names), BENCH_PYTHON (a python with torch), BENCH_PROFILE=0 (no profile of a step that misses its target).
// Run one case in this process: node --import tsx bench/run.ts --case pix2pix-128
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import { installOrtKernels } from '../main/engine/ort-kernels/index.js';
import { dcgan64 } from './cases/dcgan64.js';
import { esrgan } from './cases/esrgan.js';
import { cyclegan, pix2pix } from './cases/image-to-image.js';
import { sketchLatency } from './cases/sketch-latency.js';
import { stylegan2 } from './cases/stylegan2.js';
import { benchSteps, benchThreads, emit } from './harness.js';

const heavySteps = Math.min(benchSteps, 3);
// A StyleGAN2-64 iteration takes 5–45 s on two busy cores in either engine: a fifth of BENCH_STEPS (at least 1) timed
// iterations of each kind, after one warm-up, keep that case under 4 minutes.
const styleganTrainSteps = Math.max(1, Math.floor(benchSteps / 5));
// Its interactive figures: BENCH_STEPS slider frames (tens of ms here, about a second in PyTorch on a busy machine) and
// heavySteps inversion steps (0.5–4 s each), after their warm-ups.
const styleganFrameSteps = benchSteps;

const cases: Record<string, () => Promise<void>> = {
  dcgan64,
  'pix2pix-128': pix2pix(128, benchSteps),
  'pix2pix-256': pix2pix(256, heavySteps),
  'cyclegan-128': cyclegan(128, heavySteps),
  'cyclegan-256': cyclegan(256, heavySteps),
  'sketch-latency': sketchLatency,
  'stylegan2-64': stylegan2(styleganTrainSteps, heavySteps, styleganFrameSteps, heavySteps),
  'esrgan-x4': esrgan(heavySteps),
};

async function runCase(name: string): Promise<void> {
  const run = cases[name];
  if (run === undefined) throw new Error(`bench: no case ${name}; cases: ${Object.keys(cases).join(', ')}`);
  await tf.setBackend('cpu'); // the engine's always-available rung, with its native kernels
  installOrtKernels({ threads: benchThreads });
  await run();
}

function runInChild(name: string): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, '--case', name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      // Only JSON lines are figures; tfjs' banner and the like are dropped.
      for (const line of lines) if (line.startsWith('{')) console.log(line);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  await runCase(process.argv[caseArg + 1]!);
} else {
  const selected = process.env.BENCH_CASES?.split(',').map((s) => s.trim()) ?? Object.keys(cases);
  const started = performance.now();
  let failed = 0;
  for (const name of selected) {
    const code = await runInChild(name);
    if (code !== 0) {
      failed++;
      emit({ case: name, error: `case exited with code ${code}` });
    }
  }
  emit({ bench: 'done', cases: selected.length, failed, steps: benchSteps, threads: benchThreads, wall_s: Math.round((performance.now() - started) / 1000) });
  process.exitCode = failed > 0 ? 1 : 0;
}
