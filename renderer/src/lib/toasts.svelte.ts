// Transient messages for the user: outcomes of imports and every failed call, so nothing fails silently.
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  details?: string[];
  /** Label of the expander for `details`, e.g. "Rejected files". */
  detailsLabel?: string;
}

const INFO_MS = 5000;
const ERROR_MS = 10_000;

export class Toasts {
  items = $state.raw<Toast[]>([]);
  #nextId = 1;

  push(kind: Toast['kind'], text: string, details?: string[], detailsLabel?: string): void {
    const toast: Toast = { id: this.#nextId++, kind, text, ...(details?.length ? { details, detailsLabel: detailsLabel ?? 'Details' } : {}) };
    this.items = [...this.items, toast];
    // Toasts with details stay until dismissed: the user may want to read the list.
    if (!details?.length) setTimeout(() => this.dismiss(toast.id), kind === 'error' ? ERROR_MS : INFO_MS);
  }

  error(err: unknown): void {
    this.push('error', err instanceof Error ? err.message : String(err));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}
