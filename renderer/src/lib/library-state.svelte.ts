// Library state: the shown project's assets (paged), its tags, the tag filter, the selection and uploads in flight.
import { SvelteSet } from 'svelte/reactivity';
import type { Asset, RejectedFile } from '../../../main/api/contract';
import { uploadFiles } from './file-upload';
import { clickSelection, idSet, type SelectionClick } from './grid-selection';
import type { Studio } from './studio';
import { UpscaleRuns } from './upscale-runs.svelte';

const PAGE_SIZE = 200;

export interface TagCount {
  name: string;
  count: number;
}

/** What the user is told after an upload: counts, and every refused file with its reason. */
export interface ImportReport {
  imported: number;
  duplicates: number;
  rejected: RejectedFile[];
}

export class LibraryState {
  projectId = $state<number | null>(null);
  assets = $state.raw<Asset[]>([]);
  total = $state(0);
  tags = $state.raw<TagCount[]>([]);
  /** '' shows every asset. Change it with `filterByTag`. */
  tagFilter = $state('');
  upload = $state.raw<{ done: number; total: number } | null>(null);
  lastImport = $state.raw<ImportReport | null>(null);
  readonly selected = new SvelteSet<number>();
  /** "Upscale…" of the selection: its settings and the jobs under way. */
  readonly upscaling: UpscaleRuns;
  hasMore = $derived(this.assets.length < this.total);
  readonly #studio: Studio;
  #anchor: number | null = null;
  #loadToken = 0;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.upscaling = new UpscaleRuns(studio);
  }

  /** Shows `projectId`'s assets; another project starts from a clean slate (no filter, no selection). */
  async show(projectId: number | null): Promise<void> {
    if (projectId !== this.projectId) {
      this.projectId = projectId;
      this.assets = [];
      this.total = 0;
      this.tags = [];
      this.tagFilter = '';
      this.lastImport = null;
      this.clearSelection();
    }
    await this.reload();
  }

  async filterByTag(tag: string): Promise<void> {
    this.tagFilter = tag;
    await this.#load(PAGE_SIZE);
  }

  /** Reloads as many assets as are shown (at least a page), keeping the selection of those still there. */
  async reload(): Promise<void> {
    await this.#load(Math.max(PAGE_SIZE, this.assets.length));
  }

  async loadMore(): Promise<void> {
    const projectId = this.projectId;
    if (projectId === null) return;
    const token = this.#loadToken;
    const page = await this.#studio.call('assets.list', { projectId, limit: PAGE_SIZE, offset: this.assets.length, ...this.#filter() });
    if (token !== this.#loadToken) return; // a reload replaced the list meanwhile
    const shown = idSet(this.assets);
    this.assets = [...this.assets, ...page.items.filter((a) => !shown.has(a.id))];
    this.total = page.total;
  }

  async #load(limit: number): Promise<void> {
    const projectId = this.projectId;
    const token = ++this.#loadToken;
    if (projectId === null) return;
    const [page, tags] = await Promise.all([
      this.#studio.call('assets.list', { projectId, limit, offset: 0, ...this.#filter() }),
      this.#studio.call('tags.list', { projectId }),
    ]);
    if (token !== this.#loadToken) return; // a newer load superseded this one
    this.assets = page.items;
    this.total = page.total;
    this.tags = tags;
    const present = idSet(page.items);
    for (const id of this.selected) if (!present.has(id)) this.selected.delete(id);
  }

  #filter(): { tag?: string } {
    return this.tagFilter ? { tag: this.tagFilter } : {};
  }

  click(assetId: number, click: SelectionClick): void {
    const next = clickSelection(this.selected, this.#anchor, this.assets.map((a) => a.id), assetId, click);
    this.#anchor = next.anchor;
    for (const id of this.selected) if (!next.selected.has(id)) this.selected.delete(id);
    for (const id of next.selected) this.selected.add(id);
  }

  selectAll(): void {
    for (const asset of this.assets) this.selected.add(asset.id);
  }

  clearSelection(): void {
    this.selected.clear();
    this.#anchor = null;
  }

  /** Uploads files into the shown project; the report also lands in `lastImport` while that project is shown. */
  async importFiles(files: readonly File[]): Promise<ImportReport | null> {
    const projectId = this.projectId;
    if (projectId === null || files.length === 0) return null;
    try {
      const outcome = await uploadFiles(this.#studio, projectId, files, (done, total) => (this.upload = { done, total }));
      const report = { imported: outcome.imported.length, duplicates: outcome.duplicates.length, rejected: outcome.rejected };
      if (this.projectId === projectId) {
        this.lastImport = report;
        await this.reload();
      }
      return report;
    } finally {
      this.upload = null;
    }
  }

  async tagSelected(tag: string, remove: boolean): Promise<number> {
    const projectId = this.projectId;
    if (projectId === null || this.selected.size === 0) return 0;
    const { changed } = await this.#studio.call('assets.tag', { projectId, assetIds: [...this.selected], tag, remove });
    await this.reload();
    return changed;
  }

  async deleteSelected(): Promise<number> {
    const projectId = this.projectId;
    if (projectId === null || this.selected.size === 0) return 0;
    const { deleted } = await this.#studio.call('assets.delete', { projectId, assetIds: [...this.selected] });
    this.clearSelection();
    await this.reload();
    return deleted;
  }
}
