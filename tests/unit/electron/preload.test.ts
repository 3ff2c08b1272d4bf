// The bundled preload exposes exactly the contract: known methods reach their channel, anything else is refused.
// Electron itself cannot run here, so the bundle runs in a VM whose `electron` module records what it is given.
import { build } from 'esbuild';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { eventNames, methodNames, type StudioBridge } from '../../../main/api/contract.js';
// @ts-expect-error plain JS build script without type declarations
import { preloadBuildOptions } from '../../../scripts/bundle-preload.js';

async function loadPreload(): Promise<{ studio: StudioBridge; channels: string[] }> {
  const result = await build({ ...preloadBuildOptions(methodNames, eventNames), write: false, sourcemap: false, outfile: 'preload.cjs' });
  const exposed: Record<string, unknown> = {};
  const channels: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: (channel: string) => {
        channels.push(channel);
        return Promise.resolve({ ok: true, value: channel });
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const module = { exports: {} };
  vm.runInNewContext(result.outputFiles![0]!.text, { require: (id: string) => (id === 'electron' ? electron : undefined), module, exports: module.exports });
  return { studio: exposed['studio'] as StudioBridge, channels };
}

describe('preload bridge', () => {
  it('exposes only invoke, on and assetUrl', async () => {
    const { studio } = await loadPreload();
    expect(Object.keys(studio).sort()).toEqual(['assetUrl', 'invoke', 'on']);
    expect(studio.assetUrl(12, 'thumb')).toBe('studio://asset/12/thumb');
  });

  it('forwards contract methods to their own channel and refuses anything else', async () => {
    const { studio, channels } = await loadPreload();
    expect(await studio.invoke('projects.list', {})).toEqual({ ok: true, value: 'projects.list' });
    const refused = await studio.invoke('shell.exec' as 'projects.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(channels).toEqual(['projects.list']);
    expect(() => studio.on('window.close' as 'job.progress', () => undefined)).toThrow(/Unknown event/);
  });
});
