// Library view state: the current project's assets (paged), tag filter and selection.
import { SvelteSet } from 'svelte/reactivity';
import type { Asset } from '../../../main/api/contract';
import type { Studio } from './studio';

const PAGE_SIZE = 200;

export class LibraryState {
  assets = $state.raw<Asset[]>([]);
  total = $state(0);
  tags = $state.raw<{ name: string; count: number }[]>([]);
  tagFilter = $state('');
  readonly selected = new SvelteSet<number>();
  #anchor: number | null = null;
  #loadToken = 0;

  constructor(private readonly studio: Studio) {}

  /** Reloads the first page (plus as many as were shown), keeping the selection of assets that still exist. */
  async reload(projectId: number | null): Promise<void> {
    const token = ++this.#loadToken;
    if (projectId === null) {
      this.assets = [];
      this.total = 0;
      this.tags = [];
      return;
    }
    const limit = Math.max(PAGE_SIZE, this.assets.length);
    const [page, tags] = await Promise.all([
      this.studio.call('assets.list', { projectId, limit, offset: 0, ...(this.tagFilter ? { tag: this.tagFilter } : {}) }),
      this.studio.call('tags.list', { projectId }),
    ]);
    if (token !== this.#loadToken) return; // a newer reload superseded this one
    this.assets = page.items;
    this.total = page.total;
    this.tags = tags;
    for (const id of this.selected) if (!page.items.some((a) => a.id === id)) this.selected.delete(id);
  }

  async loadMore(projectId: number): Promise<void> {
    const page = await this.studio.call('assets.list', {
      projectId,
      limit: PAGE_SIZE,
      offset: this.assets.length,
      ...(this.tagFilter ? { tag: this.tagFilter } : {}),
    });
    this.assets = [...this.assets, ...page.items];
    this.total = page.total;
  }

  /** Click selects one; Ctrl/Cmd toggles; Shift selects the range from the last clicked tile. */
  click(assetId: number, modifiers: { toggle: boolean; range: boolean }): void {
    if (!modifiers.toggle && !modifiers.range) this.selected.clear();
    if (modifiers.range && this.#anchor !== null) {
      const ids = this.assets.map((a) => a.id);
      const [from = 0, to = 0] = [ids.indexOf(this.#anchor), ids.indexOf(assetId)].sort((a, b) => a - b);
      for (const id of ids.slice(from, to + 1)) this.selected.add(id);
    } else if (modifiers.toggle && this.selected.has(assetId)) {
      this.selected.delete(assetId);
    } else {
      this.selected.add(assetId);
    }
    if (!modifiers.range) this.#anchor = assetId;
  }

  selectAll(): void {
    for (const asset of this.assets) this.selected.add(asset.id);
  }

  clearSelection(): void {
    this.selected.clear();
    this.#anchor = null;
  }
}
