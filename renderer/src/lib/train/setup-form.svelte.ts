// What every image-folder "New training" form (StyleGAN2, PGGAN, CycleGAN) does with what was typed, as a rune class:
// a field's error shows once the field was left or Start was tried; Start with errors opens "Advanced" when a field
// there needs a fix and focuses the first field to fix; a start that failed keeps its message for the form.
import { SvelteSet } from 'svelte/reactivity';
import type { FieldCheck } from './training-form';
import type { Outcome } from '../studio';

export interface SetupFormOptions<F extends string> {
  /** Starts every data-testid of the form's controls ("train-sg" → "train-sg-name", "train-sg-advanced"). */
  prefix: string;
  /** The form's current check (read on every use: it follows what is typed). */
  check: () => FieldCheck<F, unknown>;
  /** Fields under "Advanced": an error in one opens it on Start. */
  advanced: readonly F[];
  /** Called when the input of `field` loses the focus (e.g. to suggest a model name from a folder). */
  onLeave?: (field: F) => void;
}

/**
 * What a setting's control reads of its form. Components that show some fields of any form (ScheduleSettings) take
 * this rather than a SetupForm, whose type is tied to exactly one form's fields.
 */
export interface FieldStates<F extends string> {
  readonly prefix: string;
  testid(field: F | 'fp16' | 'advanced'): string;
  shown(field: F): boolean;
  errorOf(field: F): string;
  noteOf(field: F): string;
  invalid(field: F): boolean;
}

export class SetupForm<F extends string> implements FieldStates<F> {
  readonly prefix: string;
  /** Start was pressed since the last successful start: every error shows. */
  attempted = $state(false);
  startError = $state('');
  advancedOpen = $state(false);
  element = $state<HTMLFormElement>();

  readonly #touched = new SvelteSet<F>();
  readonly #options: SetupFormOptions<F>;

  constructor(options: SetupFormOptions<F>) {
    this.prefix = options.prefix;
    this.#options = options;
  }

  /** The data-testid of `field`'s control. */
  testid(field: F | 'fp16' | 'advanced'): string {
    return `${this.prefix}-${field}`;
  }

  /** False until the user left the field or tried to start: no red before anything was typed. */
  shown(field: F): boolean {
    return this.attempted || this.#touched.has(field);
  }

  errorOf(field: F): string {
    return this.#options.check().errors[field] ?? '';
  }

  noteOf(field: F): string {
    return this.#options.check().notes[field] ?? '';
  }

  /** Its aria-invalid: an error that is shown. */
  invalid(field: F): boolean {
    return this.shown(field) && this.errorOf(field) !== '';
  }

  /** The form's focusout: the field whose input lost the focus (its `data-field`) is touched from now on. */
  leave = (event: FocusEvent): void => {
    const field = (event.target as HTMLElement | null)?.dataset['field'] as F | undefined;
    if (!field) return;
    this.#touched.add(field);
    this.#options.onLeave?.(field);
  };

  /** The form's submit: nothing starts while a field has an error or `blocked` says why not; else `start`. */
  async submit(event: SubmitEvent, blocked: string, start: () => Promise<Outcome<unknown>>): Promise<void> {
    event.preventDefault();
    this.attempted = true;
    this.startError = '';
    const { errors, params } = this.#options.check();
    if (params === null) {
      if (this.#options.advanced.some((f) => errors[f])) this.advancedOpen = true;
      // Bring the first field to fix into view (after "Advanced" opened).
      setTimeout(() => this.element?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (blocked) return;
    const outcome = await start();
    if (!outcome.ok) this.startError = outcome.error.message;
    else this.attempted = false;
  }
}
