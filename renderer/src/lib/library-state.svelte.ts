// Library state: the shown project's assets (paged), its tags, the tag filter, the selection and uploads in flight.
import { SvelteSet } from 'svelte/reactivity';
import type { Asset, RejectedFile } from '../../../main/api/contract';
import { uploadFiles } from './file-upload';
import { clickSelection, idSet, type SelectionClick } from './grid-selection';
import { DONE, type Outcome, type Studio } from './studio';
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

/** A project-scoped call answered NOT_FOUND: its only id is the project's, so the project was deleted meanwhile. */
const projectGone = (answer: Outcome<unknown>): boolean => !answer.ok && answer.error.code === 'NOT_FOUND';

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
  async show(projectId: number | null): Promise<Outcome<void>> {
    if (projectId !== this.projectId) {
      this.projectId = projectId;
      this.assets = [];
      this.total = 0;
      this.tags = [];
      this.tagFilter = '';
      this.lastImport = null;
      this.clearSelection();
    }
    return this.reload();
  }

  async filterByTag(tag: string): Promise<Outcome<void>> {
    this.tagFilter = tag;
    return this.#load(PAGE_SIZE);
  }

  /** Reloads as many assets as are shown (at least a page), keeping the selection of those still there. */
  async reload(): Promise<Outcome<void>> {
    return this.#load(Math.max(PAGE_SIZE, this.assets.length));
  }

  async loadMore(): Promise<Outcome<void>> {
    const projectId = this.projectId;
    if (projectId === null) return DONE;
    const token = this.#loadToken;
    const page = await this.#studio.call('assets.list', { projectId, limit: PAGE_SIZE, offset: this.assets.length, ...this.#filter() });
    if (token !== this.#loadToken || projectGone(page)) return DONE; // a reload replaced the list meanwhile, or the project is gone
    if (!page.ok) return page;
    const shown = idSet(this.assets);
    this.assets = [...this.assets, ...page.value.items.filter((a) => !shown.has(a.id))];
    this.total = page.value.total;
    return DONE;
  }

  async #load(limit: number): Promise<Outcome<void>> {
    const projectId = this.projectId;
    const token = ++this.#loadToken;
    if (projectId === null) return DONE;
    const [page, tags] = await Promise.all([
      this.#studio.call('assets.list', { projectId, limit, offset: 0, ...this.#filter() }),
      this.#studio.call('tags.list', { projectId }),
    ]);
    if (token !== this.#loadToken) return DONE; // a newer load superseded this one
    // NOT_FOUND: the project itself was deleted meanwhile (a change event's reload racing its delete); the project
    // list follows that change and shows another project, so there is nothing to tell the artist here.
    if (projectGone(page) || projectGone(tags)) return DONE;
    if (!page.ok) return page;
    if (!tags.ok) return tags;
    this.assets = page.value.items;
    this.total = page.value.total;
    this.tags = tags.value;
    const present = idSet(page.value.items);
    for (const id of this.selected) if (!present.has(id)) this.selected.delete(id);
    return DONE;
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
  async importFiles(files: readonly File[]): Promise<Outcome<ImportReport | null>> {
    const projectId = this.projectId;
    if (projectId === null || files.length === 0) return { ok: true, value: null };
    try {
      const uploaded = await uploadFiles(this.#studio, projectId, files, (done, total) => (this.upload = { done, total }));
      if (!uploaded.ok) return uploaded;
      const outcome = uploaded.value;
      const report = { imported: outcome.imported.length, duplicates: outcome.duplicates.length, rejected: outcome.rejected };
      if (this.projectId === projectId) {
        this.lastImport = report;
        const reloaded = await this.reload();
        if (!reloaded.ok) return reloaded;
      }
      return { ok: true, value: report };
    } finally {
      this.upload = null;
    }
  }

  async tagSelected(tag: string, remove: boolean): Promise<Outcome<number>> {
    const projectId = this.projectId;
    if (projectId === null || this.selected.size === 0) return { ok: true, value: 0 };
    const tagged = await this.#studio.call('assets.tag', { projectId, assetIds: [...this.selected], tag, remove });
    if (!tagged.ok) return tagged;
    const reloaded = await this.reload();
    return reloaded.ok ? { ok: true, value: tagged.value.changed } : reloaded;
  }

  async deleteSelected(): Promise<Outcome<number>> {
    const projectId = this.projectId;
    if (projectId === null || this.selected.size === 0) return { ok: true, value: 0 };
    const answer = await this.#studio.call('assets.delete', { projectId, assetIds: [...this.selected] });
    if (!answer.ok) return answer;
    this.clearSelection();
    const reloaded = await this.reload();
    return reloaded.ok ? { ok: true, value: answer.value.deleted } : reloaded;
  }
}
