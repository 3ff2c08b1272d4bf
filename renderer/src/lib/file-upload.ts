// Sends picked or dropped files to the library in bounded batches (the IPC payload has a size cap).
import type { ImportOutcome } from '../../../main/api/contract';
import type { Studio } from './studio';

const MAX_FILES_PER_CALL = 16;
const MAX_BYTES_PER_CALL = 48 * 1024 * 1024;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function batches(files: File[]): File[][] {
  const out: File[][] = [];
  let current: File[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length >= MAX_FILES_PER_CALL || bytes + file.size > MAX_BYTES_PER_CALL)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function uploadFiles(
  studio: Studio,
  projectId: number,
  files: File[],
  onProgress: (done: number, total: number) => void,
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: [], duplicates: [], rejected: [] };
  let done = 0;
  onProgress(0, files.length);
  for (const batch of batches(files)) {
    const tooBig = batch.filter((f) => f.size > MAX_BYTES_PER_CALL);
    for (const file of tooBig) outcome.rejected.push({ name: file.name, code: 'IMAGE_TOO_LARGE', message: `${file.name} is larger than 48 MB: use "Import folder" for big files.` });
    const sendable = batch.filter((f) => f.size <= MAX_BYTES_PER_CALL);
    if (sendable.length > 0) {
      const encoded = await Promise.all(sendable.map(async (f) => ({ name: f.name, dataBase64: toBase64(await f.arrayBuffer()) })));
      const result = await studio.call('assets.upload', { projectId, files: encoded });
      outcome.imported.push(...result.imported);
      outcome.duplicates.push(...result.duplicates);
      outcome.rejected.push(...result.rejected);
    }
    done += batch.length;
    onProgress(done, files.length);
  }
  return outcome;
}
