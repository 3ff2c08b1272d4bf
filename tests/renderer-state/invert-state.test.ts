// InvertState on a real studio: a start the studio answers NOT_FOUND because the picture was deleted meanwhile (in the
// Library view, another window) forgets that picture, so the view asks for another instead of showing an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvertState } from '../../renderer/src/lib/invert/invert-state.svelte.js';
import { noiseImage } from '../support/images.js';
import { openTestStudio, type TestStudio } from '../support/test-studio.js';
import { writeTinyStyleGAN2Builtin } from '../support/tiny-models.js';
import { inProcessStudio } from './in-process-studio.js';

describe('InvertState on a real studio', () => {
  let t: TestStudio;
  let projectId: number;

  beforeAll(async () => {
    t = await openTestStudio({ builtinModels: (dir) => writeTinyStyleGAN2Builtin(dir) });
    projectId = (await t.call('projects.create', { name: 'Inversions' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('forgets a target picture deleted meanwhile when the start is answered NOT_FOUND, keeping the model', async () => {
    const invert = new InvertState(inProcessStudio(t.studio));
    await invert.models.load(projectId);
    const modelId = invert.models.id;
    expect(modelId).not.toBeNull();
    const upload = await t.call('assets.upload', { projectId, files: [{ name: 'target.png', dataBase64: (await noiseImage(32, 32, 'png')).toString('base64') }] });
    invert.pick(upload.imported[0]!);
    expect(invert.target?.name).toBe('target.png');
    await t.call('assets.delete', { projectId, assetIds: [upload.imported[0]!.id] });

    const started = await invert.start(projectId);
    expect(started).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(invert.target).toBeNull();
    expect(invert.models.id).toBe(modelId);
    expect(invert.job.run).toBeNull();
  });
});
