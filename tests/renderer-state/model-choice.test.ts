import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelChoice } from '../../renderer/src/lib/models/model-choice.svelte.js';
import type { Studio } from '../../renderer/src/lib/studio.js';
import { openTestStudio, type TestStudio } from '../support/test-studio.js';
import { writeTinyCycleGANBuiltin, writeTinyPix2pixBuiltin, writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { inProcessStudio } from './in-process-studio.js';

describe('ModelChoice (a view\'s model picker) on a real studio', () => {
  let t: TestStudio;
  let studio: Studio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({
      builtinModels: async (dir) => {
        await writeTinyPix2pixBuiltin(dir);
        await writeTinyStyleGAN2Builtin(dir);
        await writeTinyCycleGANBuiltin(dir);
      },
    });
    studio = inProcessStudio(t.studio);
    projectId = (await t.call('projects.create', { name: 'Choices' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists only its families, picks the first, and tells the view each pick with the one before', async () => {
    const picks: Array<[number | null, number | null]> = [];
    const choice = new ModelChoice(studio, ['stylegan2', 'pggan'], 'test.generate', (id, previous) => void picks.push([id, previous]));
    expect(choice.loaded).toBe(false);
    await choice.load(projectId);
    expect(choice.loaded).toBe(true);
    expect(choice.error).toBeNull();
    expect(choice.items.map((m) => m.name)).toEqual(['Tiny StyleGAN2']);
    expect(choice.model?.family).toBe('stylegan2');
    expect(picks).toEqual([[choice.items[0]!.id, null]]);
    // A reload keeps the pick; selecting a model the list does not have changes nothing.
    await choice.load(projectId);
    expect(picks.at(-1)).toEqual([choice.items[0]!.id, choice.items[0]!.id]);
    const sketchModel = (await t.call('models.list', { projectId, family: 'pix2pix' }))[0]!;
    await choice.select(sketchModel.id);
    expect(choice.id).toBe(choice.items[0]!.id);
    expect(picks).toHaveLength(2);
  });

  it('leaves out what the view cannot use (Invert: imported pairs) and says when nothing is left', async () => {
    const everything = new ModelChoice(studio, 'stylegan2', 'test.invert');
    await everything.load(projectId);
    expect(everything.none).toBe(false);
    const trainedOnly = new ModelChoice(studio, 'stylegan2', 'test.invert', undefined, (m) => m.source === 'trained');
    await trainedOnly.load(projectId);
    expect(trainedOnly.items).toEqual([]);
    expect(trainedOnly.none).toBe(true);
    expect(trainedOnly.id).toBeNull();
    expect(trainedOnly.model).toBeNull();
  });

  it('keeps the back end\'s refusal as the message to show, with an empty list', async () => {
    const choice = new ModelChoice(studio, 'cyclegan', 'test.transfer');
    await choice.load(projectId);
    expect(choice.items.map((m) => m.family)).toEqual(['cyclegan']);
    await choice.load(-1); // not a project id: the contract's schema refuses it
    expect(choice.items).toEqual([]);
    expect(choice.error).toMatch(/projectId/);
    expect(choice.id).toBeNull();
  });
});
