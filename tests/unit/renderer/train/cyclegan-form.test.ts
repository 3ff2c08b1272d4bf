// The CycleGAN form: the params it sends (the contract's names and defaults), its per-field messages and notes, and
// the model name it suggests from the two folders.
import { describe, expect, it } from 'vitest';
import { trainingParams } from '../../../../main/api/job-params.js';
import { checkCycleGANForm, defaultCycleGANForm, referenceBlocks, suggestedCycleGANName, type CycleGANForm } from '../../../../renderer/src/lib/train/cyclegan-form.js';

const CycleganTrainingParams = trainingParams.cyclegan;

const filled = (changes: Partial<CycleGANForm> = {}): CycleGANForm => ({ ...defaultCycleGANForm(), dataA: '/data/photos', dataB: '/data/paintings', name: 'Photos', ...changes });

describe('checkCycleGANForm', () => {
  it('turns the defaults into the contract’s default params', () => {
    const check = checkCycleGANForm(filled());
    expect(check.errors).toEqual({});
    expect(check.notes).toEqual({});
    expect(check.params).toEqual({
      dataA: '/data/photos',
      dataB: '/data/paintings',
      name: 'Photos',
      imageSize: 128,
      ngf: 32,
      ndf: 32,
      nBlocks: 6,
      lambdaIdentity: 0.5,
      epochs: 100,
      epochsDecay: 100,
      batchSize: 1,
      seed: 1,
      sampleEvery: 200,
      checkpointEvery: 500,
      fp16: false,
    });
    // The same as the contract fills in for a request that gives only the folders and the name.
    expect(CycleganTrainingParams.parse({ projectId: 1, dataA: '/data/photos', dataB: '/data/paintings', name: 'Photos' })).toEqual({ projectId: 1, ...check.params });
  });

  it('sends a tiny run as typed: quoted paths, no identity loss, stop after, float16', () => {
    const check = checkCycleGANForm(
      filled({ dataA: ' "/data/my squares" ', dataB: "'/data/circles'", imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, lambdaIdentity: 0, epochs: 1, epochsDecay: 1, sampleEvery: 2, untilStep: 3, fp16: true }),
    );
    expect(check.params).toMatchObject({ dataA: '/data/my squares', dataB: '/data/circles', imageSize: 32, ngf: 4, ndf: 4, nBlocks: 1, lambdaIdentity: 0, untilStep: 3, fp16: true });
    expect(() => CycleganTrainingParams.parse({ projectId: 1, ...check.params })).not.toThrow();
    expect(check.notes.nBlocks).toBe('The paper has 6 at 32 px: fewer train faster but learn simpler changes.');
  });

  it('answers bad values per field and sends nothing', () => {
    const check = checkCycleGANForm(
      filled({ dataA: '', dataB: '~/b', name: ' ', ngf: 2, ndf: 129, nBlocks: 13, lambdaIdentity: 11, epochs: 1.5, epochsDecay: null, batchSize: 0, sampleEvery: 0, untilStep: 0 }),
    );
    expect(check.params).toBeNull();
    expect(Object.keys(check.errors).sort()).toEqual(
      ['batchSize', 'dataA', 'dataB', 'epochs', 'epochsDecay', 'lambdaIdentity', 'nBlocks', 'name', 'ndf', 'ngf', 'sampleEvery', 'untilStep'].sort(),
    );
    expect(check.errors.dataA).toBe('Type or paste the folder’s path.');
    expect(check.errors.dataB).toMatch(/“~” is not expanded/);
    expect(check.errors.ngf).toBe('At least 4.');
    expect(check.errors.lambdaIdentity).toBe('From 0 to 10.');
    expect(check.errors.epochs).toBe('A whole number, please.');
    expect(checkCycleGANForm(filled({ lambdaIdentity: null })).errors.lambdaIdentity).toBe('Enter a weight (0 turns the identity loss off).');
  });

  it('refuses the same folder twice and a run of no epochs', () => {
    expect(checkCycleGANForm(filled({ dataB: '"/data/photos"' })).errors.dataB).toBe('Folder B must differ from folder A.');
    expect(checkCycleGANForm(filled({ epochs: 0, epochsDecay: 0 })).errors.epochs).toBe('Train for at least one epoch in all (epochs + decay epochs).');
  });

  it('follows the reference’s blocks per size, and names a model after both folders', () => {
    expect([32, 64, 128, 256].map(referenceBlocks)).toEqual([6, 6, 6, 9]);
    expect(checkCycleGANForm(filled({ imageSize: 256 })).notes.nBlocks).toMatch(/The paper has 9 at 256 px/);
    expect(suggestedCycleGANName('/data/squares/', '"C:\\pics\\circles"', [])).toBe('squares ↔ circles model');
    expect(suggestedCycleGANName('/data/squares', '/data/circles', ['squares ↔ circles model'])).toBe('squares ↔ circles model 2');
    expect(suggestedCycleGANName('/data/squares', '', [])).toBe('');
  });
});
