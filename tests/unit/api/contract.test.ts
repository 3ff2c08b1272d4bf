// The contract rejects malformed payloads before any handler runs.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../main/api/contract.js';

describe('contract', () => {
  it('rejects unknown keys and wrong types', () => {
    expect(methods['projects.create'].params.safeParse({ name: 'a', extra: 1 }).success).toBe(false);
    expect(methods['projects.create'].params.safeParse({ name: '' }).success).toBe(false);
    expect(methods['assets.list'].params.safeParse({ projectId: -1 }).success).toBe(false);
  });
  it('refuses names with control characters (a NUL-led project name once reached SQLite as an INTERNAL error)', () => {
    for (const name of ['\u0000x', 'a\nb', 'tab\there', 'bell\u0007', 'c1\u0085']) {
      expect(methods['projects.create'].params.safeParse({ name }).success, JSON.stringify(name)).toBe(false);
    }
    expect(methods['projects.create'].params.parse({ name: '  Émoji ✨ portraits  ' })).toEqual({ name: 'Émoji ✨ portraits' });
  });
  it('fills defaults', () => {
    const parsed = methods['assets.list'].params.parse({ projectId: 3 });
    expect(parsed).toEqual({ projectId: 3, limit: 500, offset: 0 });
  });
});

/** Every path a method reads from or writes to, each as a valid call with that path in it (the rest of the call valid). */
const pathFields: Array<{ method: keyof typeof methods; field: string; call: (p: string) => Record<string, unknown> }> = [
  { method: 'assets.importFolder', field: 'path', call: (p) => ({ projectId: 1, path: p }) },
  { method: 'models.importOnnx', field: 'onnxPath', call: (p) => ({ projectId: 1, onnxPath: p }) },
  { method: 'models.importOnnx', field: 'manifestPath', call: (p) => ({ projectId: 1, onnxPath: '/m.onnx', manifestPath: p }) },
  { method: 'datasets.prepare', field: 'source.dir (side-by-side)', call: (p) => ({ projectId: 1, name: 'd', source: { kind: 'side-by-side', dir: p } }) },
  { method: 'datasets.prepare', field: 'source.dir (photos)', call: (p) => ({ projectId: 1, name: 'd', source: { kind: 'photos', dir: p } }) },
  { method: 'datasets.prepare', field: 'source.aDir', call: (p) => ({ projectId: 1, name: 'd', source: { kind: 'two-folders', aDir: p, bDir: '/b' } }) },
  { method: 'datasets.prepare', field: 'source.bDir', call: (p) => ({ projectId: 1, name: 'd', source: { kind: 'two-folders', aDir: '/a', bDir: p } }) },
  { method: 'train.start', field: 'continueFrom', call: (p) => ({ projectId: 1, dataset: 'd', name: 'n', continueFrom: p }) },
  { method: 'train.cyclegan', field: 'dataA', call: (p) => ({ projectId: 1, name: 'n', dataA: p, dataB: '/b' }) },
  { method: 'train.cyclegan', field: 'dataB', call: (p) => ({ projectId: 1, name: 'n', dataA: '/a', dataB: p }) },
  { method: 'train.cyclegan', field: 'continueFrom', call: (p) => ({ projectId: 1, name: 'n', dataA: '/a', dataB: '/b', continueFrom: p }) },
  { method: 'train.stylegan2', field: 'dataDir', call: (p) => ({ projectId: 1, name: 'n', dataDir: p }) },
  { method: 'train.stylegan2', field: 'continueFrom', call: (p) => ({ projectId: 1, name: 'n', dataDir: '/d', continueFrom: p }) },
  { method: 'train.stylegan2', field: 'fineTuneFrom', call: (p) => ({ projectId: 1, name: 'n', dataDir: '/d', fineTuneFrom: p }) },
  { method: 'train.pggan', field: 'dataDir', call: (p) => ({ projectId: 1, name: 'n', dataDir: p }) },
  { method: 'train.pggan', field: 'continueFrom', call: (p) => ({ projectId: 1, name: 'n', dataDir: '/d', continueFrom: p }) },
  { method: 'transfer.images', field: 'folder', call: (p) => ({ projectId: 1, modelId: 1, direction: 'AtoB', folder: p }) },
  { method: 'transfer.images', field: 'files', call: (p) => ({ projectId: 1, modelId: 1, direction: 'AtoB', files: [p] }) },
];

describe('path fields', () => {
  it.each(pathFields)('$method $field: absolute paths pass; relative ones, NUL bytes and 5000-character strings are refused', ({ method, call }) => {
    const schema = methods[method].params;
    expect(schema.safeParse(call('/home/artist/pictures')).success).toBe(true);
    expect(schema.safeParse(call('C:\\Users\\artist\\pictures')).success).toBe(true);
    for (const bad of ['pictures', '../../etc', './x', '/a\0b', `/${'x'.repeat(5000)}`, '']) {
      expect(schema.safeParse(call(bad)).success, bad.slice(0, 20)).toBe(false);
    }
  });

  it('transfer.images exportDir: absolute or a folder inside exports/, never one that climbs out', () => {
    const schema = methods['transfer.images'].params;
    const call = (exportDir: string) => ({ projectId: 1, modelId: 1, direction: 'AtoB', assetIds: [1], exportDir });
    for (const good of ['/tmp/out', 'out', 'night/run 1', 'a..b']) expect(schema.safeParse(call(good)).success, good).toBe(true);
    for (const bad of ['../out', 'a/../../b', 'a\\..\\b', 'x\0', '']) expect(schema.safeParse(call(bad)).success, bad).toBe(false);
  });

  it('leaves no path-like string field of the contract without a path schema', () => {
    // The names every path field of the contract uses; a new field by one of these names must be listed above.
    const pathLike = /(?:^|\.)(?:path|dir|folder|file|files|exportDir|dataDir|dataA|dataB|aDir|bDir|onnxPath|manifestPath|continueFrom|fineTuneFrom)$/i;
    const found: string[] = [];
    const walk = (schema: unknown, at: string): void => {
      const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (def === undefined) return;
      if (def['type'] === 'string' && pathLike.test(at)) found.push(at);
      if (def['type'] === 'object') for (const [key, value] of Object.entries(def['shape'] as Record<string, unknown>)) walk(value, at ? `${at}.${key}` : key);
      for (const key of ['innerType', 'in', 'element']) if (def[key] !== undefined) walk(def[key], key === 'element' ? at : at);
      for (const option of (def['options'] as unknown[] | undefined) ?? []) walk(option, at);
    };
    for (const [name, { params }] of Object.entries(methods)) walk(params, name);
    const covered = new Set(pathFields.map(({ method, field }) => `${method}.${field.replace(/ \(.*\)$/, '')}`));
    covered.add('transfer.images.exportDir');
    expect(found.filter((f) => !covered.has(f))).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(17);
  });
});
