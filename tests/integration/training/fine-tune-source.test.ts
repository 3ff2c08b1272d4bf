// train.stylegan2's fineTuneFrom path is checked when the job is asked for: a wrong path is refused with a sentence
// saying why, and no job is created (it used to be accepted and fail later, in the engine).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type Studio } from '../../../main/studio.js';
import { checkStyleGAN2FineTuneSource } from '../../../main/model-files/checkpoint.js';
import { noiseImage } from '../../support/images.js';
import { tempDir } from '../../support/temp-home.js';
import { writeTinyPix2pixBuiltin, writeTinyStyleGAN2Builtin } from '../../support/tiny-models.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let studio: Studio;
let projectId: number;
let dataDir: string;

beforeAll(async () => {
  home = await tempDir();
  studio = await openStudio({ home: path.join(home.dir, 'library'), startEngine: false, builtinModelsDir: path.join(home.dir, 'no-models') });
  projectId = studio.library.createProject('Fine-tune').id;
  dataDir = path.join(home.dir, 'faces');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'a.png'), await noiseImage(32, 32, 'png', 1));
}, 60_000);
afterAll(async () => {
  await studio.close();
  await home.remove();
});

const start = (fineTuneFrom: string) => studio.dispatch('train.stylegan2', { projectId, name: 'tuned', dataDir, resolution: 32, fineTuneFrom });

describe('train.stylegan2 fineTuneFrom', () => {
  it('refuses, at job creation, a missing path, a file, a folder of something else, a relative path and a model of another family', async () => {
    const models = path.join(home.dir, 'models');
    const pix2pix = await writeTinyPix2pixBuiltin(models, { imageSize: 32 });
    const noD = await writeTinyStyleGAN2Builtin(path.join(home.dir, 'no-d'));
    const cases: Array<[string, string, RegExp]> = [
      [path.join(home.dir, 'nowhere'), 'NOT_FOUND', /nothing to fine-tune from at .*nowhere: it does not exist\.$/],
      [path.join(dataDir, 'a.png'), 'INVALID_PARAMS', /a\.png is a file; fine-tuning starts from a folder/],
      [dataDir, 'INVALID_PARAMS', /faces is not a checkpoint, a training run or a model folder/],
      ['runs/run-1', 'INVALID_PARAMS', /Give an absolute path/],
      [pix2pix, 'MODEL_INCOMPATIBLE', /pix2pix/],
      [noD, 'MODEL_INCOMPATIBLE', /keeps no discriminator to fine-tune with/],
    ];
    for (const [fineTuneFrom, code, message] of cases) {
      const answer = await start(fineTuneFrom);
      expect(answer, fineTuneFrom).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) } });
    }
    expect(studio.library.listRuns({ projectId, limit: 100 })).toEqual([]); // refused before any job existed
  }, 60_000);

  it('accepts a StyleGAN2 model folder that keeps its discriminator', async () => {
    const withD = await writeTinyStyleGAN2Builtin(path.join(home.dir, 'with-d'), { withDiscriminator: true });
    expect(await checkStyleGAN2FineTuneSource(withD)).toBe(withD);
  }, 60_000);
});
