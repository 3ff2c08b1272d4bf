// Human wording for numbers the UI shows: remaining time, job kinds, counts, sizes, export formats.
import { ExportFormat } from '../../../main/api/contract.js';
import { families } from '../../../models/families';

/** The contract's export formats as the format pickers name them (a new format fails to compile until it has a name). */
const EXPORT_FORMAT_NAMES: Record<ExportFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };
export const EXPORT_FORMATS: readonly { id: ExportFormat; label: string }[] = ExportFormat.options.map((id) => ({ id, label: EXPORT_FORMAT_NAMES[id] }));

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'estimating…';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

// Keyed by the contract's JobKind; an unknown kind (a newer back end) shows its raw name rather than nothing.
const jobLabels: Record<string, string> = {
  'library.importFolder': 'Import folder',
  'dataset.preparePairs': 'Prepare training pairs',
  ...Object.fromEntries(families.map((family) => [family.training.jobKind, family.training.label])), // 'Train PGGAN'
  'stylegan.invert': 'Invert a picture',
  'stylegan.interpolate': 'Latent walk',
  'upscale.assets': 'Upscale',
  'transfer.images': 'Transfer',
};

export function jobLabel(kind: string): string {
  return jobLabels[kind] ?? kind;
}

/** "1 duplicate", "3 duplicates". */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The one-line outcome of an import, e.g. "Imported 3, 1 duplicate, 2 rejected". */
export function importSummary(counts: { imported: number; duplicates: number; rejected: number }): string {
  return `Imported ${counts.imported}, ${countOf(counts.duplicates, 'duplicate')}, ${counts.rejected} rejected`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
