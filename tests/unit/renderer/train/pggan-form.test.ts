// The PGGAN form: its presets, the params it sends (the contract's names), the growing schedule and its messages.
import { describe, expect, it } from 'vitest';
import {
  applyFmapPreset,
  checkPGGANForm,
  defaultPGGANForm,
  fmapPresetOf,
  fmapPresets,
  fmapsAt,
  kimgToFullSize,
  type PGGANForm,
} from '../../../../renderer/src/lib/train/pggan-form.js';

const filled = (changes: Partial<PGGANForm> = {}): PGGANForm => ({ ...defaultPGGANForm(), dataDir: '/data/faces', name: 'Faces', ...changes });

describe('PGGAN size presets', () => {
  it('offers Small (CPU) 2048/128 and Reference 8192/512, Small by default', () => {
    expect(fmapPresets.map((p) => [p.id, p.label, p.fmapBase, p.fmapMax])).toEqual([
      ['small', 'Small (CPU)', 2048, 128],
      ['reference', 'Reference (paper)', 8192, 512],
    ]);
    expect(fmapPresetOf(defaultPGGANForm())).toBe('small');
  });

  it('applies a preset, reads other widths as custom, and leaves them on custom', () => {
    const form = defaultPGGANForm();
    applyFmapPreset(form, 'reference');
    expect([form.fmapBase, form.fmapMax]).toEqual([8192, 512]);
    expect(fmapPresetOf(form)).toBe('reference');
    form.fmapMax = 256;
    expect(fmapPresetOf(form)).toBe('custom');
    applyFmapPreset(form, 'custom');
    expect([form.fmapBase, form.fmapMax]).toEqual([8192, 256]);
  });

  it('counts feature maps per block as models/pggan/config.ts: min(base / 2^(log2 r − 1), max)', () => {
    expect(fmapsAt(8192, 512, 4)).toBe(512);
    expect(fmapsAt(8192, 512, 256)).toBe(64);
    expect(fmapsAt(64, 16, 32)).toBe(4);
  });
});

describe('checkPGGANForm', () => {
  it('turns the defaults into the contract’s default params', () => {
    const check = checkPGGANForm(filled());
    expect(check.errors).toEqual({});
    expect(check.params).toEqual({
      dataDir: '/data/faces',
      name: 'Faces',
      resolution: 64,
      fmapBase: 2048,
      fmapMax: 128,
      batchSize: 16,
      lodTrainingKimg: 60,
      lodTransitionKimg: 60,
      totalKimg: 600,
      seed: 1,
      sampleEvery: 100,
      checkpointEvery: 250,
      kidEvery: 1000,
      kidImages: 256,
      fp16: false,
    });
    expect(check.iterations).toBe(37_500);
    expect(check.fullSizeKimg).toBe(480);
  });

  it('sends a tiny run as typed: fractional kimg, stop after, float16, a quoted path', () => {
    const check = checkPGGANForm(
      filled({
        dataDir: ' "/data/my faces" ',
        resolution: 32,
        fmapBase: 64,
        fmapMax: 16,
        batchSize: 4,
        lodTrainingKimg: 0.008,
        lodTransitionKimg: 0.008,
        totalKimg: 0.06,
        sampleEvery: 5,
        kidImages: 16,
        untilStep: 10,
        fp16: true,
      }),
    );
    expect(check.params).toMatchObject({
      dataDir: '/data/my faces',
      resolution: 32,
      fmapBase: 64,
      fmapMax: 16,
      batchSize: 4,
      lodTrainingKimg: 0.008,
      lodTransitionKimg: 0.008,
      totalKimg: 0.06,
      sampleEvery: 5,
      kidImages: 16,
      untilStep: 10,
      fp16: true,
    });
    expect(check.iterations).toBe(15);
    expect(check.notes.fmapBase).toMatch(/Only 4 feature maps at 32 px/);
    expect(check.notes.kidEvery).toMatch(/once, at its end/);
  });

  it('says when the run ends before it has grown to the final size', () => {
    expect(kimgToFullSize(32, 0.008, 0.008)).toBeCloseTo(0.048);
    const check = checkPGGANForm(filled({ resolution: 32, lodTrainingKimg: 10, lodTransitionKimg: 10, totalKimg: 50 }));
    expect(check.params).not.toBeNull();
    expect(check.notes.totalKimg).toMatch(/before it reaches 32 px \(that takes 60 kimg\)/);
  });

  it('answers bad values per field and sends nothing', () => {
    const check = checkPGGANForm(
      filled({ dataDir: '', name: ' ', fmapBase: 8, fmapMax: 1024, batchSize: 1, lodTrainingKimg: 0, lodTransitionKimg: -1, totalKimg: null, kidImages: 1, untilStep: 0 }),
    );
    expect(check.params).toBeNull();
    expect(Object.keys(check.errors).sort()).toEqual(
      ['batchSize', 'dataDir', 'fmapBase', 'fmapMax', 'kidImages', 'lodTrainingKimg', 'lodTransitionKimg', 'name', 'totalKimg', 'untilStep'].sort(),
    );
    expect(check.errors.lodTransitionKimg).toBe('0 or more.');
    expect(check.errors.lodTrainingKimg).toBe('More than 0.');
  });

  it('allows no fade-in (0 kimg) but refuses widths that leave no feature maps at the final size', () => {
    expect(checkPGGANForm(filled({ lodTransitionKimg: 0 })).params?.lodTransitionKimg).toBe(0);
    const check = checkPGGANForm(filled({ resolution: 256, fmapBase: 16, fmapMax: 16 }));
    expect(check.errors.fmapBase).toMatch(/No feature maps left at 256 px/);
  });
});
