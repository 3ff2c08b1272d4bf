// Wording the user reads: remaining time, import summaries, job kinds, view shortcuts.
import { describe, expect, it } from 'vitest';
import { formatEta, importSummary, jobLabel } from '../../../renderer/src/lib/format.js';
import { viewForShortcut } from '../../../renderer/src/lib/views.js';

describe('formatEta', () => {
  it('rounds to what a person would say', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(2)).toBe('a few seconds left');
    expect(formatEta(42.4)).toBe('about 42 s left');
    expect(formatEta(125)).toBe('about 2 min left');
    expect(formatEta(3 * 3600)).toBe('about 3.0 h left');
  });
});

describe('importSummary', () => {
  it('reads "Imported N, M duplicates, K rejected" with the right plurals', () => {
    expect(importSummary({ imported: 3, duplicates: 0, rejected: 1 })).toBe('Imported 3, 0 duplicates, 1 rejected');
    expect(importSummary({ imported: 1, duplicates: 1, rejected: 0 })).toBe('Imported 1, 1 duplicate, 0 rejected');
  });
});

describe('jobLabel', () => {
  it('names known kinds and shows unknown ones as they are', () => {
    expect(jobLabel('library.importFolder')).toBe('Import folder');
    expect(jobLabel('train.pix2pix')).toBe('Train pix2pix');
    expect(jobLabel('train.stylegan2')).toBe('Train StyleGAN2');
    expect(jobLabel('some.futureKind')).toBe('some.futureKind');
  });
});

describe('viewForShortcut', () => {
  const key = (over: Partial<Parameters<typeof viewForShortcut>[0]>) => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

  it('maps Ctrl/Cmd+1..8 to the views in rail order', () => {
    expect(viewForShortcut(key({ key: '1', code: 'Digit1', ctrlKey: true }))).toBe('library');
    expect(viewForShortcut(key({ key: '8', code: 'Digit8', metaKey: true }))).toBe('models');
  });

  it('uses the physical key where the layout puts a symbol there (AZERTY)', () => {
    expect(viewForShortcut(key({ key: '&', code: 'Digit1', ctrlKey: true }))).toBe('library');
  });

  it('ignores digits without the modifier, with Alt or Shift, and 9', () => {
    expect(viewForShortcut(key({ key: '2', code: 'Digit2' }))).toBeNull();
    expect(viewForShortcut(key({ key: '2', code: 'Digit2', ctrlKey: true, altKey: true }))).toBeNull();
    expect(viewForShortcut(key({ key: '9', code: 'Digit9', ctrlKey: true }))).toBeNull();
  });
});
