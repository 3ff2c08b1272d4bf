// Saying how a 'transfer.images' batch went (its job's TransferOutcome), in the user's words.
import type { Job, TransferOutcome, TranslationDirection } from '../../../../main/api/contract';
import { countOf } from '../format';

export type TransferItem = TransferOutcome['items'][number];

/** "A → B": the way a CycleGAN translates, as the view names it. */
export const directionLabel = (direction: TranslationDirection): string => (direction === 'AtoB' ? 'A → B' : 'B → A');

/** What the user is told when a batch ends: one line, and each rejected picture with its reason. */
export interface TransferReport {
  kind: 'info' | 'error';
  text: string;
  details: string[];
}

/**
 * "Translated 3 pictures A → B; 1 could not be read.", "Cancelled after 2 of 30 pictures: the 2 translated are kept.",
 * or why the job failed. `total` is the number of pictures the job counted (its progress total), 0 if unknown.
 */
export function transferReport(job: Pick<Job, 'status' | 'error'>, outcome: TransferOutcome | null, total: number): TransferReport {
  const done = outcome?.items.length ?? 0;
  const rejected = outcome?.rejected ?? [];
  const details = rejected.map((r) => `${r.name}: ${r.message}`);
  const of = total > 0 ? ` of ${total}` : '';
  const kept = done === 0 ? 'none was translated' : `the ${done} translated ${done === 1 ? 'is' : 'are'} kept`;
  switch (job.status) {
    case 'cancelled':
      return { kind: 'info', text: `Cancelled after ${done}${of} ${total === 1 ? 'picture' : 'pictures'}: ${kept}.`, details };
    case 'failed':
      return { kind: 'error', text: `Transfer failed: ${job.error ?? 'no reason given'}. ${done}${of} translated, kept.`, details };
    case 'interrupted':
      return { kind: 'error', text: 'The transfer was interrupted: the studio stopped while it ran. What it finished is in the library.', details };
    default: {
      const way = outcome ? ` ${directionLabel(outcome.direction)}` : '';
      const skipped = rejected.length > 0 ? `; ${countOf(rejected.length, 'picture')} could not be translated` : '';
      return { kind: rejected.length > 0 ? 'error' : 'info', text: `Translated ${countOf(done, 'picture')}${way}${skipped}.`, details };
    }
  }
}
