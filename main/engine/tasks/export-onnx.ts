// Engine task: exports a model's generator to an ONNX file other tools can run (NCHW, as PyTorch exports), with a
// manifest of its input, output and value range, and checks the file in ONNX Runtime against the studio's own forward.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { StudioError } from '../../api/errors.js';
import { writeFileAtomic } from '../../library/atomic-write.js';
import { exportOnnx } from '../onnx/export-onnx.js';
import { OrtSyncSession } from '../ort-kernels/ort-sync-session.js';
import { imageToImageForward } from '../interactive-models.js';
import { loadModel } from '../../models/model-folder.js';
import { namedVariables } from '../../../models/common/param-tree.js';

export const ExportOnnxParams = z.object({
  modelFolder: z.string(),
  onnxPath: z.string(),
  name: z.string(),
});

/** What a tool needs to run the file: the manifest written beside it (`<name>.onnx.json`). */
export interface OnnxManifest {
  format: 'gan-studio.onnx-manifest';
  version: 1;
  family: string;
  name: string;
  inputs: Array<{ name: string; shape: number[]; layout: 'NCHW'; range: [number, number]; meaning: string }>;
  outputs: Array<{ name: string; shape: number[]; layout: 'NCHW'; range: [number, number]; meaning: string }>;
  resolution: number;
}

export async function exportOnnxTask(raw: unknown): Promise<{ bytes: number; manifestPath: string; maxAbsDiff: number }> {
  const params = ExportOnnxParams.parse(raw);
  const loaded = await loadModel(params.modelFolder);
  try {
    const { forward, size, generator } = imageToImageForward(loaded);
    const input = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 11);
    const family = loaded.meta.family;
    const metadata = { family, name: params.name, resolution: String(size), value_range: '[-1, 1]', layout: 'NCHW' };
    const { model, output } = exportOnnx((x) => forward(x as tf.Tensor4D), input, { layout: 'nchw', weights: namedVariables(generator), metadata });
    try {
      // The file as any tool will run it: a fresh session on the exported bytes, fed NCHW.
      const session = new OrtSyncSession(model, { intraOpThreads: 1 });
      const maxAbsDiff = tf.tidy(() => {
        const nchw = tf.transpose(input, [0, 3, 1, 2]);
        const result = session.run({ input: { values: nchw.dataSync() as Float32Array, shape: nchw.shape } }).output!;
        const ours = tf.transpose(output, [0, 3, 1, 2]);
        return tf.max(tf.abs(tf.sub(tf.tensor(result.values as Float32Array, [...result.shape]), ours))).dataSync()[0]!;
      });
      session.dispose();
      const shape = [1, 3, size, size];
      const manifest: OnnxManifest = {
        format: 'gan-studio.onnx-manifest',
        version: 1,
        family,
        name: params.name,
        inputs: [{ name: 'input', shape, layout: 'NCHW', range: [-1, 1], meaning: 'RGB image, (pixel / 127.5) − 1' }],
        outputs: [{ name: 'output', shape, layout: 'NCHW', range: [-1, 1], meaning: 'RGB image, (value + 1) · 127.5 → pixel' }],
        resolution: size,
      };
      await mkdir(path.dirname(params.onnxPath), { recursive: true });
      await writeFileAtomic(params.onnxPath, model);
      const manifestPath = `${params.onnxPath}.json`;
      await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      return { bytes: model.byteLength, manifestPath, maxAbsDiff };
    } finally {
      tf.dispose([input, output]);
    }
  } catch (err) {
    if (err instanceof StudioError) throw err;
    throw new StudioError('ENGINE_ERROR', `Could not export ${params.name} to ONNX: ${(err as Error).message}`);
  } finally {
    loaded.dispose();
  }
}
