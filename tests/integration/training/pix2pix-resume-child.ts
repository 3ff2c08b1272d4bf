// Child process of pix2pix-resume.test.ts: resumes a run from its latest checkpoint in a fresh Node process (fresh tf
// variable names, fresh kernel caches), takes the remaining steps and writes their losses and a final checkpoint.
// Usage: node --import tsx pix2pix-resume-child.ts <runDir> <steps> <outDir>
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { installOrtKernels } from '../../../main/engine/ort-kernels/index.js';
import { latestCheckpoint, loadPix2pixCheckpoint, saveCheckpoint } from '../../../main/model-files/checkpoint.js';
import { Pix2pixRun } from '../../../models/pix2pix/train.js';
import { resumeFixture } from './resume-fixture.js';

const [runDir, steps, outDir] = process.argv.slice(2);
if (runDir === undefined || steps === undefined || outDir === undefined) throw new Error('usage: pix2pix-resume-child.ts <runDir> <steps> <outDir>');
await tf.setBackend('cpu');
installOrtKernels(); // the same engine as the test process: tfjs-cpu with the ONNX Runtime kernels
const latest = await latestCheckpoint(runDir);
if (latest === null) throw new Error(`no checkpoint in ${runDir}`);
const { dataset, augment } = resumeFixture();
const run = await Pix2pixRun.resume(await loadPix2pixCheckpoint(latest.dir), dataset, augment);
const reports = Array.from({ length: Number(steps) }, () => run.step());
await saveCheckpoint(outDir, await run.snapshot());
await writeFile(path.join(outDir, 'reports.json'), JSON.stringify({ resumedAt: latest.step, reports }));
run.dispose();
