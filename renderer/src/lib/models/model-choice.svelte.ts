// A view's choice among the models it works with, as a rune class: the list the project sees (builtin and its own) of
// the families the view takes, the picked one (remembered across launches), and why the list could not be loaded.
// What the view does with a new pick is its own (`OnModelPicked`). Reaches the back end only through `Studio`.
import type { ModelFamily, ModelSummary } from '../../../../main/api/contract';
import type { Studio } from '../studio';
import { rememberedId, rememberId } from '../remembered-id';

/**
 * What the view does once a listing or a pick has settled on `id` (`previous`: the id before it). Called every time,
 * changed or not, so a view can redo work that failed for the same model; `load` and `select` wait for it.
 */
export type OnModelPicked = (id: number | null, previous: number | null) => void | Promise<void>;

export class ModelChoice {
  items = $state.raw<ModelSummary[]>([]);
  loaded = $state(false);
  /** Why the last listing failed; the list is then empty. */
  error = $state<string | null>(null);
  id = $state<number | null>(null);
  model = $derived(this.items.find((m) => m.id === this.id) ?? null);
  /** Listed, and none of the families: the view says how to get one. */
  none = $derived(this.loaded && this.items.length === 0);

  readonly #studio: Studio;
  readonly #families: readonly ModelFamily[];
  /** What `models.list` is asked: one family is filtered by the back end, several are listed whole and kept here. */
  readonly #listed: { family?: ModelFamily };
  /** localStorage key of the remembered model id. */
  readonly #memoryKey: string;
  readonly #onPicked: OnModelPicked;
  /** Which listed models the view can use beyond their family (Invert: not imported ONNX pairs). */
  readonly #accepts: (model: ModelSummary) => boolean;
  #token = 0;

  constructor(
    studio: Studio,
    family: ModelFamily | readonly ModelFamily[],
    memoryKey: string,
    onPicked: OnModelPicked = () => {},
    accepts: (model: ModelSummary) => boolean = () => true,
  ) {
    this.#studio = studio;
    this.#families = typeof family === 'string' ? [family] : family;
    this.#listed = typeof family === 'string' ? { family } : {};
    this.#memoryKey = memoryKey;
    this.#onPicked = onPicked;
    this.#accepts = accepts;
  }

  /** Lists the models of the families `projectId` sees and keeps the picked one, else the remembered one, else the first. */
  async load(projectId: number | null): Promise<void> {
    const token = ++this.#token;
    const all = await this.#studio.call('models.list', { ...(projectId === null ? {} : { projectId }), ...this.#listed });
    if (token !== this.#token) return;
    this.items = all.ok ? all.value.filter((m) => this.#families.includes(m.family) && this.#accepts(m)) : [];
    this.error = all.ok ? null : all.error.message;
    this.loaded = true;
    const keep = [this.id, rememberedId(this.#memoryKey)].find((id) => this.items.some((m) => m.id === id));
    await this.#pick(keep ?? this.items[0]?.id ?? null);
  }

  async select(id: number): Promise<void> {
    if (!this.items.some((m) => m.id === id)) return;
    rememberId(this.#memoryKey, id);
    await this.#pick(id);
  }

  async #pick(id: number | null): Promise<void> {
    const previous = this.id;
    this.id = id;
    await this.#onPicked(id, previous);
  }
}
