// Transient messages for the user: outcomes of imports and every failed call, so nothing fails silently.
import type { StudioErrorShape } from './studio';
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

  /**
   * Shows a failed call by its code: nothing for CANCELLED (the artist asked for it), a restart notice for
   * ENGINE_CRASHED (the engine is back, so trying again is the way on), else the studio's message.
   */
  failure(error: StudioErrorShape): void {
    if (error.code === 'CANCELLED') return;
    if (error.code === 'ENGINE_CRASHED') return this.push('error', 'The engine stopped unexpectedly and has been restarted: try again.', [error.message], 'What happened');
    this.push('error', error.message);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}
