// Human wording for numbers the UI shows: remaining time, job kinds, sizes.
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'estimating…';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

const jobLabels: Record<string, string> = { 'library.importFolder': 'Import folder' };

export function jobLabel(kind: string): string {
  return jobLabels[kind] ?? kind;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
