// A view's choice among the models of one family as a rune class: the list the project sees (builtin and its own),
// the picked one (remembered across launches), and why the list could not be loaded. Reaches the back end only
// through `Studio`.
import type { ModelFamily, ModelSummary } from '../../../../main/api/contract';
import type { Studio } from '../studio';
import { rememberedId, rememberId } from '../remembered-id';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class ModelChoice {
  items = $state.raw<ModelSummary[]>([]);
  loaded = $state(false);
  /** Why the last listing failed; the list is then empty. */
  error = $state<string | null>(null);
  id = $state<number | null>(null);
  model = $derived(this.items.find((m) => m.id === this.id) ?? null);
  /** Listed, and none of the family: the view says how to get one. */
  none = $derived(this.loaded && this.items.length === 0);

  readonly #studio: Studio;
  readonly #family: ModelFamily;
  /** localStorage key of the remembered model id. */
  readonly #memoryKey: string;
  #token = 0;

  constructor(studio: Studio, family: ModelFamily, memoryKey: string) {
    this.#studio = studio;
    this.#family = family;
    this.#memoryKey = memoryKey;
  }

  get family(): ModelFamily {
    return this.#family;
  }

  /** Lists the family's models `projectId` sees and keeps the picked one, else the remembered one, else the first. */
  async load(projectId: number | null): Promise<void> {
    const token = ++this.#token;
    try {
      const all = await this.#studio.call('models.list', { ...(projectId === null ? {} : { projectId }), family: this.#family });
      if (token !== this.#token) return;
      this.items = all.filter((m) => m.family === this.#family);
      this.error = null;
    } catch (err) {
      if (token !== this.#token) return;
      this.items = [];
      this.error = messageOf(err);
    }
    this.loaded = true;
    const keep = [this.id, rememberedId(this.#memoryKey)].find((id) => this.items.some((m) => m.id === id));
    this.id = keep ?? this.items[0]?.id ?? null;
  }

  select(id: number): void {
    if (!this.items.some((m) => m.id === id)) return;
    this.id = id;
    rememberId(this.#memoryKey, id);
  }
}
