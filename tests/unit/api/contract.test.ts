// The contract rejects malformed payloads before any handler runs.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../main/api/contract.js';

describe('contract', () => {
  it('rejects unknown keys and wrong types', () => {
    expect(methods['projects.create'].params.safeParse({ name: 'a', extra: 1 }).success).toBe(false);
    expect(methods['projects.create'].params.safeParse({ name: '' }).success).toBe(false);
    expect(methods['assets.list'].params.safeParse({ projectId: -1 }).success).toBe(false);
  });
  it('fills defaults', () => {
    const parsed = methods['assets.list'].params.parse({ projectId: 3 });
    expect(parsed).toEqual({ projectId: 3, limit: 500, offset: 0 });
  });
});
