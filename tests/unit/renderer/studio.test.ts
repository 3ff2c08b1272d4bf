// The contract client: Electron's bridge is used when the preload exposed one; a refusal comes back as a value with its code.
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioBridge } from '../../../main/api/contract.js';
import { Studio } from '../../../renderer/src/lib/studio.js';

function bridgeAnswering(outcome: Awaited<ReturnType<StudioBridge['invoke']>> | Error): StudioBridge & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    invoke: async (method, params) => {
      calls.push({ method, params });
      if (outcome instanceof Error) throw outcome;
      return outcome as never;
    },
    on: () => () => undefined,
    assetUrl: (id, variant) => `studio://asset/${id}/${variant}`,
  };
}

afterEach(() => {
  delete (globalThis as { studio?: unknown }).studio;
});

describe('Studio', () => {
  it('uses window.studio from the Electron preload when present, and is always connected', () => {
    (globalThis as { studio?: StudioBridge }).studio = bridgeAnswering({ ok: true, value: [] });
    const studio = Studio.connect();
    expect(studio.transport).toBe('electron');
    expect(studio.connection).toBe('open');
    expect(studio.assetUrl(3, 'full')).toBe('studio://asset/3/full');
  });

  it('returns the value of an ok answer', async () => {
    const bridge = bridgeAnswering({ ok: true, value: [{ name: 'cats', count: 2 }] });
    const studio = new Studio(bridge, 'electron');
    expect(await studio.call('tags.list', { projectId: 1 })).toEqual({ ok: true, value: [{ name: 'cats', count: 2 }] });
    expect(bridge.calls).toEqual([{ method: 'tags.list', params: { projectId: 1 } }]);
  });

  it('answers a refusal as { ok: false } with its code and message, never thrown', async () => {
    const studio = new Studio(bridgeAnswering({ ok: false, error: { code: 'ALREADY_EXISTS', message: 'A project named "Cats" already exists.' } }), 'electron');
    const outcome = await studio.call('projects.create', { name: 'Cats' });
    expect(outcome).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', message: 'A project named "Cats" already exists.' } });
  });

  it('turns a bridge that throws into an INTERNAL error value instead of an unexpected exception', async () => {
    const studio = new Studio(bridgeAnswering(new Error('No handler registered')), 'electron');
    await expect(studio.call('projects.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('No handler registered') } });
  });
});
