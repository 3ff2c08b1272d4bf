// The Generate view's state as a rune class: the StyleGAN2 model, the page of seeds and the sampling settings, the
// live page of images (latest request wins), the selection and its preview, saving / exporting selected seeds, and
// animating them (seed-animation.svelte.ts).
// Created once in App.svelte so the page survives switching views; reaches the back end only through `Studio`.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { MAX_SEEDS_PER_CALL, type Asset, type ExportFormat, type NoiseMode, type ParamsIn, type ResultOf } from '../../../../main/api/contract';
import { familyNamed, seedFamilyNames, seedsOf } from '../../../../models/families';
import { debounce } from '../debounce';
import { clickSelection, type SelectionClick } from '../grid-selection';
import { ModelChoice } from '../models/model-choice.svelte';
import { pngDataUrl } from '../sketch/edges-image';
import { RenderQueue } from '../sketch/render-queue';
import { failure, type Outcome, type Studio } from '../studio';
import { SeedAnimation } from './seed-animation.svelte';
import { DEFAULT_GRID_SIDE, pageSeeds, randomPageStart, shiftPage, wrapSeed, wsResolutions, type GridSide } from './seed-pages';


/**
 * ψ the view starts at. The reference's generate.py defaults to 1 (no truncation), right for judging a model, but
 * an artist browsing seeds wants usable images first: ψ = 0.7 (the value of the StyleGAN papers' curated figures)
 * trades a little variety for far fewer broken samples, which matters most for the small, briefly trained models
 * this studio makes on a CPU. ψ = 1 is one drag away, and the saved recipe records whichever was used.
 */
export const DEFAULT_PSI = 0.7;
export const PSI_RANGE = { min: 0, max: 1.5, step: 0.05 } as const;
/** Quiet time after the last slider move before a page is requested: a drag sends one request, not thirty. */
export const SETTLE_MS = 150;
const MODEL_KEY = 'gan-studio.generate.modelId';

/** How each seed is drawn: truncation ψ, the number of leading ws it applies to (null: all), the noise inputs. */
export interface SeedSettings {
  psi: number;
  cutoff: number | null;
  noiseMode: NoiseMode;
}

interface PageTag {
  /** `wanted` when this page was requested: the page on screen is current when its version equals `wanted`. */
  version: number;
  modelId: number;
  seeds: number[];
  settings: SeedSettings;
}

type Drawn = ResultOf<'stylegan.generate'> & { roundTripMs: number };

/** The page of images on screen. */
export interface SeedPage extends PageTag {
  /** PNG data URLs, one per seed, in seed order. */
  images: string[];
  size: number;
  /** Engine time (mapping, synthesis, encoding) and the whole call as this window saw it, in ms. */
  ms: number;
  roundTripMs: number;
}

interface PreviewImage {
  modelId: number;
  seed: number;
  settingsKey: string;
  dataUrl: string;
}

/** A seed filed in the library: its generation and image. */
export interface SavedSeed {
  seed: number;
  generationId: number;
  asset: Asset;
}

export type ExportedFile = ResultOf<'assets.export'>;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const settingsKey = (s: SeedSettings): string => `${s.psi}|${s.cutoff ?? 'all'}|${s.noiseMode}`;

function seedRequest(modelId: number, seeds: number[], s: SeedSettings): ParamsIn<'stylegan.generate'> {
  return { modelId, seeds, truncationPsi: s.psi, noiseMode: s.noiseMode, ...(s.cutoff === null ? {} : { truncationCutoff: s.cutoff }) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export class GenerateState {
  /** StyleGAN2 and PGGAN models the current project sees (its own and the builtin ones), and the one drawn with. */
  readonly models: ModelChoice;
  /**
   * Number of w vectors of the model: a cutoff below it truncates only the coarse styles. (`.by`: `models` is set in
   * the constructor.)
   */
  wsCount = $derived.by(() => (this.models.model ? wsResolutions(this.models.model.imageSize).length : 0));

  /** First seed of the page. */
  start = $state(0);
  gridSide = $state<GridSide>(DEFAULT_GRID_SIDE);
  seeds = $derived(pageSeeds(this.start, this.gridSide ** 2));

  psi = $state(DEFAULT_PSI);
  cutoff = $state<number | null>(null);
  noiseMode = $state<NoiseMode>('const');

  /** Bumped by every change of what should be on screen; see `PageTag.version`. */
  wanted = $state(0);
  page = $state.raw<SeedPage | null>(null);
  /** True when the page on screen is exactly the one asked for (model, seeds and settings). */
  current = $derived(this.page !== null && this.page.version === this.wanted);
  generating = $state(false);
  error = $state<string | null>(null);

  /** Selected seeds, in the order they were picked; kept across pages. */
  readonly selected = new SvelteSet<number>();
  /** The seed shown large: the last one clicked. */
  focus = $state<number | null>(null);
  #preview = $state.raw<PreviewImage | null>(null);
  /** Image of the focused seed: from the page when it is there, else drawn on its own. */
  focusImage = $derived(this.#imageOf(this.focus));

  saving = $state(false);
  exporting = $state(false);
  exportFormat = $state<ExportFormat>('png');
  lastExports = $state.raw<ExportedFile[]>([]);
  /** Recipe (project, model, seed, settings) → what saving it made, so the same image is not filed twice. */
  readonly #saved = new SvelteMap<string, SavedSeed>();
  /** "Animate selected…": a walk through the selected seeds, written as GIF and WebM. */
  readonly animation: SeedAnimation;

  readonly #studio: Studio;
  readonly #pages: RenderQueue<PageTag, Outcome<Drawn>>;
  readonly #previews: RenderQueue<Omit<PreviewImage, 'dataUrl'>, Outcome<ResultOf<'stylegan.generate'>>>;
  readonly #settle = debounce(() => this.#requestPage(), SETTLE_MS);
  #anchor: number | null = null;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.animation = new SeedAnimation(studio);
    this.models = new ModelChoice(studio, seedFamilyNames, MODEL_KEY, (id, previous) => {
      if (id !== previous) this.#modelChanged();
    });
    this.#pages = new RenderQueue({
      onResult: (answer, tag) => {
        if (!answer.ok) return void (this.error = answer.error.message);
        const r = answer.value;
        this.page = { ...tag, images: r.imagesPngBase64.map(pngDataUrl), size: r.size, ms: r.ms, roundTripMs: r.roundTripMs };
        this.error = null;
      },
      onError: (err) => (this.error = messageOf(err)),
      onBusyChange: (busy) => (this.generating = busy),
    });
    this.#previews = new RenderQueue({
      onResult: (answer, tag) => {
        if (answer.ok) this.#preview = { ...tag, dataUrl: pngDataUrl(answer.value.imagesPngBase64[0]!) };
        else this.error = answer.error.message;
      },
      onError: (err) => (this.error = messageOf(err)),
    });
  }

  /** Whether the model's seeds go through a w space (truncation and noise apply); a PGGAN maps z straight to the image. */
  get hasStyleSpace(): boolean {
    const family = this.models.model ? familyNamed(this.models.model.family) : undefined;
    return family === undefined || seedsOf(family)?.styleSpace !== false;
  }

  get settings(): SeedSettings {
    if (!this.hasStyleSpace) return { psi: 1, cutoff: null, noiseMode: 'const' };
    return { psi: this.psi, cutoff: this.cutoff, noiseMode: this.noiseMode };
  }

  // ---- model

  #modelChanged(): void {
    // Pages and previews on their way belong to the old model; a cutoff past the new model's ws means "all".
    this.#pages.invalidate();
    this.#previews.invalidate();
    this.page = null;
    this.#preview = null;
    this.error = null;
    if (this.cutoff !== null && this.cutoff >= this.wsCount) this.cutoff = null;
    this.#changed();
  }

  // ---- pages

  goTo(start: number): void {
    this.start = wrapSeed(start);
    this.#changed();
  }

  nextPage(): void {
    this.goTo(shiftPage(this.start, this.seeds.length, 1));
  }

  previousPage(): void {
    this.goTo(shiftPage(this.start, this.seeds.length, -1));
  }

  randomPage(): void {
    this.goTo(randomPageStart());
  }

  setGridSide(side: GridSide): void {
    this.gridSide = side;
    this.#changed();
  }

  // ---- settings: the slider settles first, the selects apply at once

  setPsi(psi: number): void {
    this.psi = Math.round(psi * 100) / 100;
    this.#changed({ settle: true });
  }

  setCutoff(layers: number | null): void {
    this.cutoff = layers !== null && layers >= 1 && layers < this.wsCount ? layers : null;
    this.#changed();
  }

  setNoiseMode(mode: NoiseMode): void {
    this.noiseMode = mode;
    this.#changed();
  }

  /** Draws the page again as it is (e.g. new noise in random mode, or after an error). */
  regenerate(): void {
    this.#changed();
  }

  // ---- selection

  /** Desktop rules: click picks one, Ctrl/Cmd toggles, Shift extends over the page from the last click. */
  select(seed: number, click: SelectionClick): void {
    const next = clickSelection(this.selected, this.#anchor, this.seeds, seed, click);
    this.#anchor = next.anchor;
    this.#setSelection([...next.selected]);
    this.#focusOn(next.selected.has(seed) ? seed : ([...this.selected].at(-1) ?? null));
  }

  selectPage(): void {
    this.#setSelection([...this.selected, ...this.seeds]);
    this.#focusOn(this.focus ?? this.seeds[0] ?? null);
  }

  clearSelection(): void {
    this.selected.clear();
    this.#anchor = null;
    this.#focusOn(null);
  }

  /** Whether `seed`, drawn as the settings say now, is already in `projectId`'s library (random noise never is). */
  isSaved(projectId: number | null, seed: number): boolean {
    const key = this.#recipeKey(projectId, seed);
    return key !== null && this.#saved.has(key);
  }

  /** Makes the selection `seeds`, keeping the pick order of those already selected. */
  #setSelection(seeds: readonly number[]): void {
    for (const seed of [...this.selected]) if (!seeds.includes(seed)) this.selected.delete(seed);
    for (const seed of seeds) this.selected.add(seed);
  }

  #focusOn(seed: number | null): void {
    this.focus = seed;
    this.#requestPreview();
  }

  // ---- save and export

  /**
   * Files the selected seeds, drawn with the current settings, as generations of `projectId`. Seeds already filed
   * with these settings are not filed again; `fresh` counts those this call filed.
   */
  async saveSelected(projectId: number | null): Promise<Outcome<{ items: SavedSeed[]; fresh: number }>> {
    const modelId = this.models.id;
    const seeds = [...this.selected];
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: saved seeds go into its library.');
    if (modelId === null) return failure('INVALID_PARAMS', 'Pick a StyleGAN2 model first.');
    if (seeds.length === 0) return failure('INVALID_PARAMS', 'Select one or more seeds first (click a tile; Ctrl or Shift adds more).');
    const settings = this.settings;
    const keyOf = (seed: number) => this.#recipeKey(projectId, seed, modelId, settings);
    const toSave = seeds.filter((seed) => keyOf(seed) === null || !this.#saved.has(keyOf(seed)!));
    const fresh: SavedSeed[] = [];
    this.saving = true;
    try {
      for (const batch of chunks(toSave, MAX_SEEDS_PER_CALL)) {
        const answer = await this.#studio.call('stylegan.save', { projectId, ...seedRequest(modelId, batch, settings) });
        if (!answer.ok) {
          const note = fresh.length > 0 ? ` (${fresh.length} of ${toSave.length} were saved before it failed)` : '';
          return failure(answer.error.code, `Could not save${note}: ${answer.error.message}`);
        }
        for (const item of answer.value.items) {
          fresh.push(item);
          const key = keyOf(item.seed);
          if (key !== null) this.#saved.set(key, item);
        }
      }
      const items = seeds.map((seed) => fresh.find((f) => f.seed === seed) ?? this.#saved.get(keyOf(seed) ?? '')).filter((s) => s !== undefined);
      return { ok: true, value: { items, fresh: fresh.length } };
    } finally {
      this.saving = false;
    }
  }

  /** Exports the selected seeds' images (saving them first where needed) in `exportFormat`, recipe embedded. */
  async exportSelected(projectId: number | null): Promise<Outcome<{ files: ExportedFile[]; savedNow: number }>> {
    const format = this.exportFormat;
    this.exporting = true;
    try {
      const saved = await this.saveSelected(projectId);
      if (!saved.ok) return saved;
      const files: ExportedFile[] = [];
      for (const item of saved.value.items) {
        const file = await this.#studio.call('assets.export', { projectId: item.asset.projectId, assetId: item.asset.id, format });
        if (!file.ok) return failure(file.error.code, `Could not export: ${file.error.message}`);
        files.push(file.value);
      }
      this.lastExports = files;
      return { ok: true, value: { files, savedNow: saved.value.fresh } };
    } finally {
      this.exporting = false;
    }
  }

  /** Random noise draws anew on every call, so a recipe with it never names one image: no key. */
  #recipeKey(projectId: number | null, seed: number, modelId = this.models.id, settings = this.settings): string | null {
    if (projectId === null || modelId === null || settings.noiseMode === 'random') return null;
    return `${projectId}|${modelId}|${seed}|${settingsKey(settings)}`;
  }

  // ---- drawing

  #changed({ settle = false } = {}): void {
    this.wanted += 1;
    if (settle) {
      this.#settle();
      return;
    }
    this.#settle.cancel();
    this.#requestPage();
  }

  /** Queues the page as it is now; the queue sends only the newest and never shows an older page over a newer one. */
  #requestPage(): void {
    const modelId = this.models.id;
    if (modelId === null) return;
    const tag: PageTag = { version: this.wanted, modelId, seeds: this.seeds, settings: this.settings };
    this.#pages.submit(tag, async () => {
      const sent = performance.now();
      const drawn = await this.#studio.call('stylegan.generate', seedRequest(modelId, tag.seeds, tag.settings));
      return drawn.ok ? { ok: true, value: { ...drawn.value, roundTripMs: performance.now() - sent } } : drawn;
    });
    this.#requestPreview();
  }

  /** The focused seed drawn on its own, when the requested page does not hold it (it was picked on another page). */
  #requestPreview(): void {
    const modelId = this.models.id;
    const seed = this.focus;
    if (modelId === null || seed === null || this.seeds.includes(seed)) return;
    const settings = this.settings;
    const key = settingsKey(settings);
    const have = this.#preview;
    if (have && have.modelId === modelId && have.seed === seed && have.settingsKey === key && settings.noiseMode !== 'random') return;
    this.#previews.submit({ modelId, seed, settingsKey: key }, () => this.#studio.call('stylegan.generate', seedRequest(modelId, [seed], settings)));
  }

  #imageOf(seed: number | null): string | null {
    if (seed === null) return null;
    const page = this.page;
    const index = page !== null && page.modelId === this.models.id ? page.seeds.indexOf(seed) : -1;
    if (index >= 0) return page!.images[index] ?? null;
    const preview = this.#preview;
    return preview !== null && preview.seed === seed && preview.modelId === this.models.id ? preview.dataUrl : null;
  }
}
