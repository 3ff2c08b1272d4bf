// Coalesces bursts (a folder import emits a library change per file) into one call after a quiet period.
export interface Debounced {
  (): void;
  cancel(): void;
}

export function debounce(fn: () => void, waitMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, waitMs);
  };
  return Object.assign(run, { cancel: () => clearTimeout(timer) });
}
