// Sends picked or dropped files to the library in bounded batches: one WebSocket frame is capped at 100 MB
// (main/transport/ws/protocol.ts) and base64 grows bytes by 4/3, so a call carries at most 48 MB of files.
import type { ImportOutcome } from '../../../main/api/contract.js';
import type { Outcome, Studio } from './studio.js';

export const MAX_FILES_PER_CALL = 16;
export const MAX_BYTES_PER_CALL = 48 * 1024 * 1024;

export interface UploadPlan<F> {
  batches: F[][];
  /** Files over the per-call budget: they can only come in through "Import folder" (read from disk by path). */
  tooLarge: F[];
}

/** Groups files, in order, into calls of ≤ MAX_FILES_PER_CALL files and ≤ MAX_BYTES_PER_CALL bytes. */
export function planUploads<F extends { size: number }>(files: readonly F[]): UploadPlan<F> {
  const batches: F[][] = [];
  const tooLarge: F[] = [];
  let current: F[] = [];
  let bytes = 0;
  for (const file of files) {
    if (file.size > MAX_BYTES_PER_CALL) {
      tooLarge.push(file);
      continue;
    }
    if (current.length >= MAX_FILES_PER_CALL || bytes + file.size > MAX_BYTES_PER_CALL) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: spreading a whole multi-megabyte array into fromCharCode overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Uploads `files` batch by batch; a failed batch answers its error, the batches before it stay imported. */
export async function uploadFiles(
  studio: Studio,
  projectId: number,
  files: readonly File[],
  onProgress: (done: number, total: number) => void,
): Promise<Outcome<ImportOutcome>> {
  const { batches, tooLarge } = planUploads(files);
  const outcome: ImportOutcome = {
    imported: [],
    duplicates: [],
    rejected: tooLarge.map((f) => ({
      name: f.name,
      code: 'IMAGE_TOO_LARGE',
      message: `larger than ${MAX_BYTES_PER_CALL / 1024 ** 2} MB; use "Import folder…" for big files`,
    })),
  };
  let done = tooLarge.length;
  onProgress(done, files.length);
  for (const batch of batches) {
    const encoded = await Promise.all(
      batch.map(async (f) => ({ name: f.name, dataBase64: toBase64(new Uint8Array(await f.arrayBuffer())) })),
    );
    const answer = await studio.call('assets.upload', { projectId, files: encoded });
    if (!answer.ok) return answer;
    const result = answer.value;
    outcome.imported.push(...result.imported);
    outcome.duplicates.push(...result.duplicates);
    outcome.rejected.push(...result.rejected);
    done += batch.length;
    onProgress(done, files.length);
  }
  return { ok: true, value: outcome };
}
