// The Transfer view's report of a 'transfer.images' job: the one line the artist is told when a batch ends, from its
// TransferOutcome, whole or partial. (The outcome's shape: tests/unit/api/job-records.test.ts.)
import { describe, expect, it } from 'vitest';
import { TransferOutcome } from '../../../../main/api/contract.js';
import { directionLabel, transferReport } from '../../../../renderer/src/lib/transfer/transfer-report.js';

const item = (i: number) => ({ name: `p${i}.png`, sourceAssetId: 10 + i, outputAssetId: 20 + i, generationId: 30 + i, exportPath: `/x/p${i}-AtoB.png` });
const outcome = TransferOutcome.parse({
  direction: 'AtoB',
  exportDir: '/x',
  translated: 2,
  items: [item(1), item(2)],
  rejected: [{ name: 'broken.png', code: 'INVALID_IMAGE', message: 'broken.png is damaged' }],
  notices: ['1 image was resized to 32 px.'],
});

describe('transfer outcome', () => {
  it('says how a batch ended: done with its refusals, cancelled with what is kept, failed', () => {
    expect(transferReport({ status: 'succeeded', error: null }, outcome, 3)).toEqual({
      kind: 'error',
      text: 'Translated 2 pictures A → B; 1 picture could not be translated.',
      details: ['broken.png: broken.png is damaged'],
    });
    expect(transferReport({ status: 'succeeded', error: null }, { ...outcome, rejected: [] }, 2)).toMatchObject({ kind: 'info', text: 'Translated 2 pictures A → B.' });
    expect(transferReport({ status: 'cancelled', error: null }, { ...outcome, rejected: [] }, 30).text).toBe('Cancelled after 2 of 30 pictures: the 2 translated are kept.');
    expect(transferReport({ status: 'cancelled', error: null }, null, 0).text).toBe('Cancelled after 0 pictures: none was translated.');
    expect(transferReport({ status: 'failed', error: 'engine crashed' }, { ...outcome, items: [item(1)], rejected: [] }, 5)).toMatchObject({
      kind: 'error',
      text: 'Transfer failed: engine crashed. 1 of 5 translated, kept.',
    });
    expect(directionLabel('BtoA')).toBe('B → A');
  });
});
