// The family registries (models/families.ts, models/family-engines.ts): one list, each descriptor consistent with its
// family's code (its config builder's defaults pass its schema), its job kind and method in the contract, its form
// limits read from its settings, and the shared epoch schedule.
import { describe, expect, it } from 'vitest';
import { JobKind, methods, ModelFamily } from '../../../main/api/contract.js';
import { EpochSchedule } from '../../../models/common/linear-decay.js';
import { choicesOf, defaultOf, defaultsOf, limitsOf, limitsOfAll } from '../../../models/common/setting-limits.js';
import { cycleganConfig } from '../../../models/cyclegan/config.js';
import { families, familyNamed, familyOfJobKind } from '../../../models/families.js';
import { familyEngines } from '../../../models/family-engines.js';
import { pgganConfig } from '../../../models/pggan/config.js';
import { pgganFamily } from '../../../models/pggan/family.js';
import { pix2pixConfig } from '../../../models/pix2pix/config.js';
import { styleGAN2Config } from '../../../models/stylegan/config.js';
import { styleGAN2Family } from '../../../models/stylegan/family.js';

describe('the family registries', () => {
  it('list the same families in the same order, with networks for each', () => {
    expect(families.map((f) => f.name)).toEqual(['pix2pix', 'cyclegan', 'stylegan2', 'pggan']);
    expect(familyEngines.map((f) => f.name)).toEqual(families.map((f) => f.name));
    for (const engine of familyEngines) expect(engine.configSchema).toBe(familyNamed(engine.name)!.configSchema);
  });

  it('name job kinds, methods and families the contract has', () => {
    for (const family of families) {
      expect(ModelFamily.options).toContain(family.name);
      expect(JobKind.options).toContain(family.training.jobKind);
      expect(Object.keys(methods)).toContain(family.training.method);
      expect(familyOfJobKind(family.training.jobKind)).toBe(family);
    }
    expect(familyNamed('stylegan9')).toBeUndefined();
  });

  it('accept the configs their families build', () => {
    const configs = { pix2pix: pix2pixConfig(128), cyclegan: cycleganConfig(), stylegan2: styleGAN2Config(64), pggan: pgganConfig(64) };
    for (const family of families) expect(family.configSchema.safeParse(configs[family.name]).success).toBe(true);
    expect(styleGAN2Family.configSchema.safeParse({ ...configs.stylegan2, augment: 'rotate' }).success).toBe(false);
  });

  it('give the Train forms their settings’ limits, choices and defaults', () => {
    expect(limitsOf(pgganFamily.training.settings.fmapBase)).toEqual({ min: 16, max: 16_384, int: true });
    expect(limitsOf(styleGAN2Family.training.settings.r1Gamma)).toEqual({ min: 0, max: 100, int: false });
    expect(choicesOf(styleGAN2Family.training.settings.resolution)).toEqual([32, 64, 128, 256]);
    expect(defaultOf(styleGAN2Family.training.settings.channelBase)).toBe(4096);
    expect(defaultOf(styleGAN2Family.training.settings.r1Gamma)).toBeUndefined();
    expect(defaultsOf(pgganFamily.training.schedule)).toEqual({ checkpointEvery: 250, sampleEvery: 100, kidEvery: 1000, kidImages: 256 });
    expect(Object.keys(limitsOfAll(pgganFamily.training.settings))).toEqual(['fmapBase', 'fmapMax', 'batchSize', 'lodTrainingKimg', 'lodTransitionKimg', 'totalKimg', 'margin']);
  });
});

describe('EpochSchedule', () => {
  it('batches an epoch in one drawn order, counts epochs and decays the rate linearly', () => {
    const schedule = new EpochSchedule({ learningRate: 1, epochs: 1, epochsDecay: 1, batchSize: 2 }, 3);
    expect(schedule.stepsPerEpoch).toBe(2);
    expect(schedule.totalSteps).toBe(4);
    const position = schedule.start();
    let draws = 0;
    const order = (n: number): number[] => (draws++, Array.from({ length: n }, (_, i) => n - 1 - i));
    const batches: number[][] = [];
    const epochs: number[] = [];
    const rates: number[] = [];
    while (position.step < schedule.totalSteps) {
      const batch = schedule.nextBatch(position, order);
      const rate = schedule.learningRate(position);
      batches.push(batch);
      rates.push(rate);
      epochs.push(schedule.advance(position, batch.length, rate));
    }
    expect(batches).toEqual([[2, 1], [0], [2, 1], [0]]);
    expect(epochs).toEqual([0, 0, 1, 1]);
    expect(rates).toEqual([1, 1, 0.5, 0.5]);
    expect(draws).toBe(2);
    expect(position).toMatchObject({ step: 4, epoch: 2, cursor: 0, permutation: null, learningRate: 0.5 });
  });
});
