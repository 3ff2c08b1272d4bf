// Bench case DCGAN-64: training step at batch 16 vs PyTorch; generator inference at batch 1 and 16 vs raw ORT and PyTorch.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { benchSteps, benchThreads, emitFigure, peakRssMb, runTorchReference, tempDir, timeMedian, timeOrtSession, type Yardstick } from '../harness.js';
import { compileGenerator } from '../../main/engine/onnx/compiled-generator.js';
import { createDcgan, createTrainer, generate, latentSize } from '../dcgan64.js';

interface DcganTorch {
  median_ms: number;
  infer_ms: Record<string, number>;
  torch: string;
}

const trainBatch = 16;
const inferBatches = [1, 16];

export async function dcgan64(): Promise<void> {
  const name = 'dcgan64';
  const net = createDcgan();
  // Ours, inference first (so its peak RSS is not the training step's), compiled to one ORT session as the studio runs it. dcgan64.ts keeps no running statistics, so our
  // generator normalises with batch statistics while torch/ORT use eval-mode batch norm (folded into the conv in ORT).
  const inferOurs = new Map<number, { ms: number; rss: number }>();
  for (const n of inferBatches) {
    const z = tf.randomNormal([n, latentSize], 0, 1, 'float32', 3) as tf.Tensor2D;
    const compiled = compileGenerator((x) => generate(net.generator, x as tf.Tensor2D), z.shape, { threads: benchThreads });
    const ms = timeMedian(() => tf.tidy(() => void compiled.run(z).dataSync()), 2, Math.max(benchSteps, 5));
    inferOurs.set(n, { ms, rss: peakRssMb() });
    compiled.dispose();
    z.dispose();
  }
  const trainer = createTrainer(net);
  const real = tf.randomUniform([trainBatch, 64, 64, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const z = tf.randomNormal([trainBatch, latentSize], 0, 1, 'float32', 2) as tf.Tensor2D;
  const trainMs = timeMedian(() => void trainer.step(real, z), 2, benchSteps);
  const trainRss = peakRssMb();
  tf.dispose([real, z]);

  const dir = tempDir();
  try {
    const onnx = join(dir.path, 'dcgan-g.onnx');
    const torch = runTorchReference<DcganTorch>('dcgan.py', ['--batch', String(trainBatch), '--steps', String(benchSteps), ...inferBatches.flatMap((n) => ['--infer-batch', String(n)]), '--onnx', onnx]);
    const torchName = torch.ok ? `pytorch ${torch.result.torch}` : 'pytorch';
    const torchYardstick = (ms: number | undefined): Yardstick => (torch.ok && ms !== undefined ? { name: torchName, ms } : { name: torchName, missing: torch.ok ? 'no figure' : torch.missing });
    emitFigure({ case: name, what: `train step b${trainBatch}`, ours_ms: trainMs, yardstick: torchYardstick(torch.ok ? torch.result.median_ms : undefined), peakRssMb: trainRss });
    for (const n of inferBatches) {
      const ours = inferOurs.get(n)!;
      const what = `generator inference b${n}`;
      const extra = { note_ours: 'ours: training-mode batch norm (bench/dcgan64.ts keeps no running statistics)' };
      if (torch.ok) {
        const ortMs = await timeOrtSession(onnx, [n, latentSize, 1, 1], 2, Math.max(benchSteps, 5));
        emitFigure({ case: name, what, ours_ms: ours.ms, yardstick: { name: 'onnxruntime-node (torch-exported graph)', ms: ortMs }, peakRssMb: ours.rss, extra });
      } else {
        emitFigure({ case: name, what, ours_ms: ours.ms, yardstick: { name: 'onnxruntime-node (torch-exported graph)', missing: `no ONNX export: ${torch.missing}` }, peakRssMb: ours.rss, extra });
      }
      emitFigure({ case: name, what, ours_ms: ours.ms, yardstick: torchYardstick(torch.ok ? torch.result.infer_ms[String(n)] : undefined), peakRssMb: ours.rss, extra });
    }
  } finally {
    dir.dispose();
  }
}
