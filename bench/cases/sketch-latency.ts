// Bench case sketch-latency: stroke-to-pixels as the Sketch view gets it — a 'sketch.render' call through the real
// studio (main → engine process → compiled generator → PNG back), p50/p95 — for the shipped sketch model's
// architecture at 128 px and the reference pix2pix at 256 px (the issue's ≤ 300 ms target), against raw ONNX Runtime
// running the same exported graph (inference alone).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { exportOnnx } from '../../main/engine/onnx/export-onnx.js';
import { hostTensors, saveModel } from '../../main/model-files/model-folder.js';
import { openStudio } from '../../main/studio.js';
import { disposeParams } from '../../models/common/param-tree.js';
import { pix2pixConfig, type Pix2pixConfig } from '../../models/pix2pix/config.js';
import { createUnetGenerator, pix2pixInferenceMode, unetGenerator } from '../../models/pix2pix/networks.js';
import { emit, round, tempDir, timeOrtSession } from '../harness.js';

const renders = 20;
const targetMs = 300;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** A sketch PNG of `size` with `n` random strokes: what the view sends after a stroke. */
async function sketchPng(size: number, n: number): Promise<string> {
  const lines = Array.from({ length: n }, (_, i) => {
    const r = (k: number): number => Math.round(((Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1 + 1) % 1 * size);
    return `<line x1="${r(1)}" y1="${r(2)}" x2="${r(3)}" y2="${r(4)}" stroke="black" stroke-width="2"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="white"/>${lines}</svg>`;
  return (await sharp(Buffer.from(svg)).png().toBuffer()).toString('base64');
}

export async function sketchLatency(): Promise<void> {
  const dir = tempDir();
  const models: Array<{ folder: string; what: string; config: Pix2pixConfig }> = [
    { folder: 'demo-128', what: 'shipped sketch model architecture (ngf 16), 128 px', config: pix2pixConfig(128, { ngf: 16, ndf: 32, seed: 1 }) },
    { folder: 'reference-256', what: 'reference pix2pix (ngf 64), 256 px', config: pix2pixConfig(256, { seed: 1 }) },
  ];
  try {
    const modelsDir = path.join(dir.path, 'models');
    const onnxPaths = new Map<string, string>();
    for (const m of models) {
      const generator = createUnetGenerator(m.config);
      await saveModel(path.join(modelsDir, m.folder), { family: 'pix2pix', config: m.config, tensors: hostTensors(generator, 'generator'), licence: { spdx: 'MIT' }, provenance: { run: null, steps: 0, dataset: null, metrics: {} } });
      // The yardstick runs the very graph the engine compiles (NHWC in and out), through the public async API.
      const x = tf.zeros([1, m.config.imageSize, m.config.imageSize, 3]);
      const { model, output } = exportOnnx((t) => unetGenerator(generator, t as tf.Tensor4D, pix2pixInferenceMode), x, { layout: 'nhwc' });
      const onnxPath = path.join(dir.path, `${m.folder}.onnx`);
      await writeFile(onnxPath, model);
      onnxPaths.set(m.folder, onnxPath);
      tf.dispose([x, output]);
      disposeParams(generator);
    }
    await writeFile(path.join(modelsDir, 'manifest.json'), JSON.stringify({ models: models.map((m) => ({ folder: m.folder, name: m.folder, family: 'pix2pix', description: m.what })) }));

    const studio = await openStudio({ home: path.join(dir.path, 'library'), builtinModelsDir: modelsDir });
    try {
      const listed = await studio.dispatch('models.list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      for (const m of models) {
        const modelId = (listed.value as Array<{ id: number; name: string }>).find((x) => x.name === m.folder)!.id;
        const size = m.config.imageSize;
        const sketches = await Promise.all(Array.from({ length: renders + 2 }, (_, i) => sketchPng(size, 3 + i)));
        const times: number[] = [];
        for (const [i, sketchPngBase64] of sketches.entries()) {
          const t0 = performance.now();
          const result = await studio.dispatch('sketch.render', { modelId, sketchPngBase64 });
          if (!result.ok) throw new Error(result.error.message);
          if (i >= 2) times.push(performance.now() - t0); // the first two load and compile the model
        }
        times.sort((a, b) => a - b);
        const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
        const ortMs = await timeOrtSession(onnxPaths.get(m.folder)!, [1, size, size, 3], 2, renders);
        emit({
          case: 'sketch-latency',
          what: `stroke-to-pixels, ${m.what}`,
          ours_p50_ms: round(p50),
          ours_p95_ms: round(p95),
          yardstick: 'onnxruntime-node on the same exported graph (inference only)',
          yardstick_ms: round(ortMs),
          ratio: round(p50 / ortMs, 2),
          target_ms: targetMs,
          meets_target: p95 <= targetMs,
          renders,
          note: 'ours = the whole sketch.render call: IPC to the engine process, PNG decode, inference, PNG encode, IPC back',
        });
      }
    } finally {
      await studio.close();
    }
  } finally {
    dir.dispose();
  }
}
