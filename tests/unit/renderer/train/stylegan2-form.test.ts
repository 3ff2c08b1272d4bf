// The StyleGAN2 training form: presets set the network's widths, what is sent for valid input, what each wrong field
// says (never a throw), and the cost readings shown beside the settings.
import { describe, expect, it } from 'vitest';
import {
  applyPreset,
  autoR1Gamma,
  checkStyleGAN2Form,
  defaultStyleGAN2Form,
  fineTuneSources,
  presetOf,
  sizePresets,
  useFineTuneSource,
  workPerImage,
  type StyleGAN2Form,
} from '../../../../renderer/src/lib/train/stylegan2-form.js';
import { formatKimg, iterationsOf, kimgAt } from '../../../../renderer/src/lib/train/image-folder-form.js';
import { trainingRuns } from '../../../../renderer/src/lib/train/training-runs.js';
import type { Job } from '../../../../main/api/contract.js';
import { jobRecord, trainingOutcome, type JobFields } from '../../../support/job-records.js';

const typed = (over: Partial<StyleGAN2Form> = {}): StyleGAN2Form => ({ ...defaultStyleGAN2Form(), dataDir: '/data/faces', name: 'Faces', ...over });

describe('size presets', () => {
  it('starts on Small, made for a CPU', () => {
    expect(presetOf(defaultStyleGAN2Form())).toBe('small');
    expect(defaultStyleGAN2Form()).toMatchObject({ channelBase: 4096, channelMax: 128, mappingLayers: 2, resolution: 64, batchSize: 16, totalKimg: 500, mirror: true });
  });

  it('sets the widths and mapping depth of a preset, and reads any other numbers as custom', () => {
    const form = defaultStyleGAN2Form();
    applyPreset(form, 'reference');
    expect(form).toMatchObject({ channelBase: 16384, channelMax: 512, mappingLayers: 8 });
    expect(presetOf(form)).toBe('reference');
    form.mappingLayers = 4;
    expect(presetOf(form)).toBe('custom');
    applyPreset(form, 'custom');
    expect(form.mappingLayers).toBe(4);
    applyPreset(form, 'small');
    expect(presetOf(form)).toBe('small');
  });

  it('every preset passes the form’s own checks', () => {
    for (const preset of sizePresets) {
      const form = typed();
      applyPreset(form, preset.id);
      expect(checkStyleGAN2Form(form).errors).toEqual({});
    }
  });
});

describe('checkStyleGAN2Form', () => {
  it('turns the defaults and a pasted folder into train.stylegan2 params', () => {
    const check = checkStyleGAN2Form(typed({ dataDir: ' "/data/my faces" ', name: ' Faces ' }));
    expect(check.errors).toEqual({});
    expect(check.params).toEqual({
      dataDir: '/data/my faces',
      name: 'Faces',
      resolution: 64,
      channelBase: 4096,
      channelMax: 128,
      mappingLayers: 2,
      batchSize: 16,
      totalKimg: 500,
      mirror: true,
      augment: ['color', 'translation', 'cutout'],
      seed: 1,
      sampleEvery: 100,
      checkpointEvery: 250,
      kidEvery: 1000,
      kidImages: 256,
      fp16: false,
    });
    expect(check.iterations).toBe(31_250);
  });

  it('sends the tiny settings of a try-out, with γ and a stop only when typed', () => {
    const form = typed({ resolution: 32, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.024, sampleEvery: 3, mirror: false, augment: false, r1Gamma: 0.5, untilStep: 4, kidImages: 16 });
    const check = checkStyleGAN2Form(form);
    expect(check.errors).toEqual({});
    expect(check.iterations).toBe(6);
    expect(check.params).toMatchObject({ resolution: 32, channelBase: 256, channelMax: 16, mappingLayers: 2, batchSize: 4, totalKimg: 0.024, sampleEvery: 3, mirror: false, augment: [], r1Gamma: 0.5, untilStep: 4, kidImages: 16 });
    // 256 / 32 = 8 channels at full size: allowed, without a warning.
    expect(check.notes.channelBase).toBeUndefined();
    expect(check.notes.checkpointEvery).toMatch(/Longer than the run/);
    expect(check.notes.kidEvery).toBe('Longer than the run: measured once, at its end.');
  });

  it('says what is wrong with each field and sends nothing', () => {
    const check = checkStyleGAN2Form({
      ...defaultStyleGAN2Form(),
      dataDir: '~/faces',
      channelBase: 3000,
      channelMax: 4,
      mappingLayers: 9,
      batchSize: 1,
      totalKimg: 0,
      r1Gamma: -1,
      sampleEvery: null,
      kidImages: 1,
    });
    expect(check.params).toBeNull();
    expect(check.errors).toEqual({
      dataDir: expect.stringMatching(/full path/),
      name: expect.stringMatching(/Name the model/),
      channelBase: 'A power of 2 (e.g. 4096).',
      channelMax: 'At least 8.',
      mappingLayers: 'At most 8.',
      batchSize: 'At least 2.',
      totalKimg: 'More than 0.',
      r1Gamma: expect.stringMatching(/empty for automatic/),
      sampleEvery: 'Enter how often to sample.',
      kidImages: 'At least 2.',
    });
    expect(checkStyleGAN2Form(typed({ dataDir: 'faces' })).errors.dataDir).toMatch(/full path/);
    expect(checkStyleGAN2Form(typed({ totalKimg: null })).errors.totalKimg).toBe('Enter a length in kimg.');
  });

  it('notes a network too thin for its resolution, and a stop past the end', () => {
    const check = checkStyleGAN2Form(typed({ resolution: 256, channelBase: 512, untilStep: 40_000 }));
    expect(check.errors).toEqual({});
    expect(check.notes.channelBase).toBe('Only 2 channels at 256 px: fine for a try-out, too few for detail.');
    expect(check.notes.untilStep).toMatch(/ends at iteration 31,250 anyway/);
  });
});

describe('cost readings', () => {
  it('counts iterations and kimg as the training loop does', () => {
    expect(iterationsOf(500, 16)).toBe(31_250);
    expect(iterationsOf(0.024, 4)).toBe(6);
    expect(iterationsOf(0.01, 4)).toBe(3); // a last partial batch is a whole iteration
    expect(kimgAt(6, 4)).toBeCloseTo(0.024);
    expect(autoR1Gamma(64, 16)).toBeCloseTo(0.0512);
  });

  it('formats kimg with enough digits to see a short run move', () => {
    expect(formatKimg(0)).toBe('0');
    expect(formatKimg(0.012)).toBe('0.012');
    expect(formatKimg(3.456)).toBe('3.46');
    expect(formatKimg(12.34)).toBe('12.3');
    expect(formatKimg(2500)).toBe('2,500');
  });

  it('weighs the work per image against Small at 64 px: channels count squared', () => {
    expect(workPerImage(64, 4096, 128)).toBe(1);
    expect(workPerImage(64, 16384, 512)).toBeCloseTo(16);
    expect(workPerImage(64, 8192, 256)).toBeCloseTo(4);
    expect(workPerImage(128, 4096, 128)).toBeGreaterThan(1);
    expect(workPerImage(32, 256, 16)).toBeLessThan(0.01);
  });
});

describe('fine-tuning from a run of the project', () => {
  const job = (over: Partial<JobFields>): Job =>
    jobRecord({
      id: 1,
      kind: 'train.stylegan2',
      params: { name: 'Smileys', dataDir: '/data/smileys', resolution: 64, channelBase: 1024, channelMax: 64, mappingLayers: 2, batchSize: 8, totalKimg: 100 },
      status: 'cancelled',
      step: 500,
      total: 12_500,
      result: trainingOutcome({ run: 1, step: 500, checkpointStep: 500, modelId: null, metrics: {} }),
      ...over,
    });
  const runs = trainingRuns(
    [
      job({}),
      // A resumed job of run 1 that has not checkpointed (yet): the run's checkpoint is still the first job's.
      job({ id: 4, params: { ...job({}).params, resumeOf: 1 }, status: 'running', result: trainingOutcome({ run: 1, step: 510, checkpointStep: null, modelId: null, metrics: {} }) }),
      job({ id: 2, params: { ...job({}).params, name: 'Fresh' }, result: null }), // no checkpoint: not a start
      job({ id: 3, kind: 'train.pggan', params: { name: 'Grown', dataDir: '/d', resolution: 64, fmapBase: 2048, fmapMax: 128, batchSize: 16 } }),
    ],
    ['train.stylegan2', 'train.pggan'],
  );

  const shipped = [{ modelId: 7, name: 'Emoji smileys', source: 'builtin' as const, resolution: 64, channelBase: 1024, channelMax: 64, mappingLayers: 2 }];

  it('offers StyleGAN2 runs with a checkpoint, by iteration and kimg, then the models that keep their discriminator', () => {
    expect(fineTuneSources(runs, shipped)).toEqual([
      { ref: { run: 1 }, key: 'run:1', kind: 'run', label: 'Smileys · iteration 500 (4 kimg)', resolution: 64, channelBase: 1024, channelMax: 64, mappingLayers: 2 },
      { ref: { model: 7 }, key: 'model:7', kind: 'model', label: 'Emoji smileys (shipped) · 64 px', resolution: 64, channelBase: 1024, channelMax: 64, mappingLayers: 2 },
    ]);
  });

  it('brings the start’s network with it, sends its reference, and refuses other sizes or a start that is not there', () => {
    const sources = fineTuneSources(runs, shipped);
    const form = typed({ resolution: 128 });
    useFineTuneSource(form, sources[0]!);
    expect(form).toMatchObject({ fineTuneFrom: { run: 1 }, resolution: 64, channelBase: 1024, channelMax: 64, mappingLayers: 2 });
    expect(checkStyleGAN2Form(form, sources).params).toMatchObject({ fineTuneFrom: { run: 1 }, resolution: 64, channelBase: 1024 });
    useFineTuneSource(form, sources[1]!);
    expect(checkStyleGAN2Form(form, sources).params).toMatchObject({ fineTuneFrom: { model: 7 } });

    form.channelMax = 128;
    const changed = checkStyleGAN2Form(form, sources);
    expect(changed.params).toBeNull();
    expect(changed.errors.fineTuneFrom).toBe('That model is 64 px with channels 1024/64 and 2 mapping layers: a fine-tune keeps its network, so set the same.');
    expect(checkStyleGAN2Form(form, []).errors.fineTuneFrom).toMatch(/not in this project any more/);

    useFineTuneSource(form, null);
    expect(form.fineTuneFrom).toBeNull();
    const fresh = checkStyleGAN2Form(form, sources);
    expect(fresh.errors.fineTuneFrom).toBeUndefined();
    expect(fresh.params).not.toHaveProperty('fineTuneFrom');
  });
});
