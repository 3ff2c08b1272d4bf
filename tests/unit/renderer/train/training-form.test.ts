// The Train view's forms: what is sent for valid input, and the message each wrong field shows (never a throw).
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../main/api/contract.js';
import {
  checkDatasetForm,
  checkTrainingForm,
  cleanPath,
  defaultDatasetForm,
  defaultTrainingForm,
  familyOfJobKind,
  folderName,
  largestTrainingSize,
  suggestedModelName,
  totalSteps,
  type TrainingForm,
} from '../../../../renderer/src/lib/train/training-form.js';

const dataset = (over: Partial<DatasetSummary> = {}): DatasetSummary => ({
  name: 'shoes',
  storedSize: 143,
  train: 400,
  test: 20,
  skipped: [],
  source: 'Photos from /data/shoes as B; A = pen-like edges extracted from each photo',
  complete: true,
  ...over,
});

describe('cleanPath', () => {
  it('drops spaces and the quotes a pasted path brings', () => {
    expect(cleanPath('  /home/me/photos  ')).toBe('/home/me/photos');
    expect(cleanPath('"C:\\Users\\me\\My Photos"')).toBe('C:\\Users\\me\\My Photos');
    expect(cleanPath("'/tmp/a b'")).toBe('/tmp/a b');
    expect(cleanPath('"/unbalanced')).toBe('"/unbalanced');
  });
});

describe('folderName', () => {
  it('takes the last part of a path, whichever separator it uses', () => {
    expect(folderName('/home/me/faces/')).toBe('faces');
    expect(folderName('C:\\Users\\me\\My Faces')).toBe('My Faces');
    expect(folderName('/')).toBe('');
  });
});

describe('training families', () => {
  it('offers sketch-to-photo and an image generator, each opening in its own view', () => {
    expect(familyOfJobKind('train.pix2pix')).toMatchObject({ id: 'pix2pix', opensIn: 'Sketch' });
    expect(familyOfJobKind('train.stylegan2')).toMatchObject({ id: 'stylegan2', label: 'Image generator (StyleGAN2)', opensIn: 'Generate' });
    expect(familyOfJobKind('train.cyclegan')).toMatchObject({ id: 'cyclegan', label: 'Unpaired translation (CycleGAN)', opensIn: 'Transfer', unit: 'step' });
  });
});

describe('checkDatasetForm', () => {
  it('turns a photos folder into datasets.prepare params', () => {
    const check = checkDatasetForm({ ...defaultDatasetForm(), name: ' shoes ', dir: ' "/data/shoes" ', imageSize: 256 }, []);
    expect(check.errors).toEqual({});
    expect(check.params).toEqual({ name: 'shoes', source: { kind: 'photos', dir: '/data/shoes' }, imageSize: 256 });
  });

  it('sends both folders for two-folder pairs, and only the fields of the chosen kind', () => {
    const form = { ...defaultDatasetForm(), name: 'facades', sourceKind: 'two-folders' as const, dir: 'left over', aDir: '/d/a', bDir: 'D:\\b' };
    expect(checkDatasetForm(form, []).params).toEqual({ name: 'facades', source: { kind: 'two-folders', aDir: '/d/a', bDir: 'D:\\b' }, imageSize: 128 });
  });

  it('says what is wrong with each field and sends nothing', () => {
    const check = checkDatasetForm({ ...defaultDatasetForm(), name: '../up', sourceKind: 'two-folders', aDir: '~/a', bDir: 'relative/b' }, []);
    expect(check.params).toBeNull();
    expect(check.errors.name).toMatch(/letter or digit/);
    expect(check.errors.aDir).toMatch(/full path/);
    expect(check.errors.bDir).toMatch(/full path/);
    expect(checkDatasetForm(defaultDatasetForm(), []).errors).toEqual({ name: 'Give the dataset a name.', dir: 'Type or paste the folder’s path.' });
  });

  it('refuses the same folder for A and B', () => {
    const check = checkDatasetForm({ ...defaultDatasetForm(), name: 'x', sourceKind: 'two-folders', aDir: '/d', bDir: '"/d"' }, []);
    expect(check.errors).toEqual({ bDir: 'Folder B must differ from folder A.' });
  });

  it('notes, without blocking, that an existing dataset of that name is replaced', () => {
    const check = checkDatasetForm({ ...defaultDatasetForm(), name: 'shoes', dir: '/data/shoes' }, [dataset()]);
    expect(check.params).not.toBeNull();
    expect(check.notes.name).toMatch(/replaces it/);
  });
});

describe('training sizes and steps', () => {
  it('allows training up to the size a dataset was prepared for (stored at 286/256 of it)', () => {
    expect(largestTrainingSize(286)).toBe(256);
    expect(largestTrainingSize(143)).toBe(128);
    expect(largestTrainingSize(72)).toBe(64);
    expect(largestTrainingSize(40)).toBeNull();
  });

  it('counts steps as the trainer does: epochs × ⌈pairs / batch⌉', () => {
    expect(totalSteps(400, 100, 100, 1)).toBe(80_000);
    expect(totalSteps(401, 1, 1, 4)).toBe(202);
  });

  it('suggests a model name not used yet', () => {
    expect(suggestedModelName('shoes', [])).toBe('shoes model');
    expect(suggestedModelName('shoes', ['shoes model', 'shoes model 2'])).toBe('shoes model 3');
  });
});

describe('checkTrainingForm', () => {
  const form = (over: Partial<TrainingForm> = {}): TrainingForm => ({ ...defaultTrainingForm(), dataset: 'shoes', name: 'Shoes', ...over });

  it('sends the reference defaults with the dataset and name, and counts the run’s steps', () => {
    const check = checkTrainingForm(form(), [dataset()]);
    expect(check.errors).toEqual({});
    expect(check.params).toEqual({
      dataset: 'shoes',
      name: 'Shoes',
      imageSize: 128,
      ngf: 64,
      ndf: 64,
      epochs: 100,
      epochsDecay: 100,
      batchSize: 1,
      seed: 1,
      sampleEvery: 200,
      checkpointEvery: 500,
      fp16: false,
    });
    expect(check.totalSteps).toBe(80_000);
  });

  it('sends "stop after" only when given', () => {
    expect(checkTrainingForm(form({ untilStep: 50, ngf: 16, ndf: 16, fp16: true }), [dataset()]).params).toMatchObject({ untilStep: 50, ngf: 16, ndf: 16, fp16: true });
    expect(checkTrainingForm(form(), [dataset()]).params).not.toHaveProperty('untilStep');
  });

  it('asks for a dataset, and for one that has training pairs', () => {
    expect(checkTrainingForm(form({ dataset: '' }), []).errors.dataset).toBe('Prepare a dataset first.');
    expect(checkTrainingForm(form({ dataset: '' }), [dataset()]).errors.dataset).toBe('Choose a dataset.');
    expect(checkTrainingForm(form({ dataset: 'gone' }), [dataset()]).errors.dataset).toMatch(/no dataset “gone”/);
    expect(checkTrainingForm(form(), [dataset({ train: 0 })]).errors.dataset).toMatch(/no training pairs/);
  });

  it('lets an incomplete dataset train, with a note', () => {
    const check = checkTrainingForm(form(), [dataset({ complete: false, train: 12 })]);
    expect(check.params).not.toBeNull();
    expect(check.notes.dataset).toMatch(/only 12 training pairs/);
  });

  it('refuses a size larger than the dataset was prepared for', () => {
    const check = checkTrainingForm(form({ imageSize: 256 }), [dataset()]);
    expect(check.params).toBeNull();
    expect(check.errors.imageSize).toMatch(/up to 128 px/);
  });

  it('says which numbers are missing or out of range', () => {
    const check = checkTrainingForm(
      form({ name: '  ', ngf: null, ndf: 200, epochs: 1.5, batchSize: 0, seed: -1, sampleEvery: 0, checkpointEvery: null, untilStep: 0 }),
      [dataset()],
    );
    expect(check.params).toBeNull();
    expect(check.errors).toEqual({
      name: expect.stringMatching(/Name the model/),
      ngf: 'Enter the generator’s width.',
      ndf: 'At most 128.',
      epochs: 'A whole number, please.',
      batchSize: 'At least 1.',
      seed: 'At least 0.',
      sampleEvery: 'At least 1.',
      checkpointEvery: 'Enter how often to checkpoint.',
      untilStep: 'At least 1.',
    });
    expect(check.totalSteps).toBeNull();
  });

  it('needs at least one epoch in all', () => {
    expect(checkTrainingForm(form({ epochs: 0, epochsDecay: 0 }), [dataset()]).errors.epochs).toMatch(/at least one epoch/);
    expect(checkTrainingForm(form({ epochs: 0, epochsDecay: 3 }), [dataset()]).params).not.toBeNull();
  });

  it('notes settings that have no effect in a run this short', () => {
    const check = checkTrainingForm(form({ epochs: 1, epochsDecay: 0, untilStep: 1000, sampleEvery: 1000, checkpointEvery: 1000 }), [dataset()]);
    expect(check.totalSteps).toBe(400);
    expect(check.params).not.toBeNull();
    expect(check.notes).toEqual({
      untilStep: 'The run ends at step 400 anyway.',
      sampleEvery: expect.stringMatching(/Longer than the run/),
      checkpointEvery: expect.stringMatching(/Longer than the run/),
    });
  });
});
