// The Mix view's state as a rune class: the StyleGAN2 model and its w layout, the sources (seeds, and stored latents
// such as an inverted photo), the per-layer weights, the live preview (latest request wins), each source's thumbnail,
// and saving.
// Created once in App.svelte so a mix survives switching views; reaches the back end only through `Studio`.
import { MAX_SEED, TRUNCATION_PSI, type Asset, type MixSource, type NoiseMode, type ResultOf } from '../../../../main/api/contract';
import { ModelChoice } from '../models/model-choice.svelte';
import { pngDataUrl } from '../sketch/edges-image';
import { RenderQueue } from '../sketch/render-queue';
import { failure, type Outcome, type Studio } from '../studio';
import {
  addSourceColumn,
  evenRows,
  isValidRows,
  meanRow,
  normaliseRow,
  presetRows,
  removeSourceColumn,
  setLayers,
  setSourceWeight,
  twoSourceRow,
  type MixPreset,
  type StyleGroup,
} from './mix-weights';

export type StyleLayout = ResultOf<'stylegan.layout'>;

/** A source as the view holds it: `uid` keeps its thumbnail and card when others are added or removed. */
export type MixSourceSpec = { uid: number } & (
  | { kind: 'seed'; seed: number; psi: number; cutoff?: number }
  | { kind: 'latent'; latentId: number }
);

export const MAX_SOURCES = 4;
export const MIN_SOURCES = 2;
export { MAX_SEED };
/** The slider of a seed source's ψ spans the contract's whole range. */
export const PSI_RANGE = { ...TRUNCATION_PSI, step: 0.05 } as const;
/** ψ of new sources: 0.7, the StyleGAN papers' value for curated figures (typical images, a little less variety). */
export const DEFAULT_PSI = 0.7;
/** The blend a fresh mix starts with: the paper's signature mix, pose and shape of B with the look of A. */
const DEFAULT_PRESET: MixPreset = 'coarse-b';
const MODEL_KEY = 'gan-studio.mix.modelId';

export const sourceLetter = (index: number): string => String.fromCharCode(65 + index);

/** The preview on screen; `version` is the state it shows (current when it equals `MixState.version`). */
export interface MixPreview {
  dataUrl: string;
  size: number;
  /** Engine time of the frame (w blend, synthesis, PNG), in ms. */
  ms: number;
  version: number;
  modelId: number;
}

export interface SourceThumb {
  /** What it shows: model, noise mode and source settings (see `thumbKey`). */
  key: string;
  dataUrl: string;
}

export interface SavedMix {
  projectId: number;
  version: number;
  asset: Asset;
  generationId: number;
}

interface ThumbJob {
  queue: RenderQueue<string, Outcome<string>>;
  wanted: string;
}

interface FrameTag {
  version: number;
  modelId: number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const randomSeed = (): number => Math.floor(Math.random() * 100_000);

/** The contract's form of a source. */
export function toMixSource(source: MixSourceSpec): MixSource {
  if (source.kind === 'latent') return { kind: 'latent', latentId: source.latentId };
  return { kind: 'seed', seed: source.seed, truncationPsi: source.psi, ...(source.cutoff === undefined ? {} : { truncationCutoff: source.cutoff }) };
}

export class MixState {
  /** StyleGAN2 models the current project sees (its own and the builtin ones), and the one mixing. */
  readonly models: ModelChoice;
  layout = $state.raw<StyleLayout | null>(null);
  layoutError = $state<string | null>(null);

  sources = $state.raw<MixSourceSpec[]>([]);
  /** rows[l][s]: how much of source s the w of layer l takes; every row sums to 1. */
  rows = $state.raw<number[][]>([]);
  noiseMode = $state<NoiseMode>('const');
  /** Bumped on every change of what the preview should show. */
  version = $state(0);

  preview = $state.raw<MixPreview | null>(null);
  rendering = $state(false);
  renderError = $state<string | null>(null);
  /** Source uid → its latest thumbnail (possibly of older settings: compare `key` with `thumbKey`). */
  thumbs = $state.raw<Record<number, SourceThumb>>({});
  thumbError = $state<string | null>(null);

  saving = $state(false);
  saved = $state.raw<SavedMix | null>(null);

  readonly #studio: Studio;
  readonly #frames: RenderQueue<FrameTag, Outcome<ResultOf<'stylegan.mix'>>>;
  /** Source uid → its thumbnail queue and the key last asked for (an answer for any other key is stale). Not state. */
  readonly #thumbJobs: Record<number, ThumbJob> = {};
  #nextUid = 1;
  #layoutToken = 0;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.models = new ModelChoice(studio, 'stylegan2', MODEL_KEY, (id, previous) => this.#useModel(id, previous));
    this.#frames = new RenderQueue({
      onResult: (answer, tag) => {
        if (!answer.ok) return void (this.renderError = answer.error.message);
        const r = answer.value;
        this.preview = { dataUrl: pngDataUrl(r.imagePngBase64), size: r.size, ms: r.ms, ...tag };
        this.renderError = null;
      },
      onError: (err) => (this.renderError = messageOf(err)),
      onBusyChange: (busy) => (this.rendering = busy),
    });
    this.sources = [this.#newSeedSource(), this.#newSeedSource()];
  }

  /** True once model, layout and weights agree, so a frame can be drawn. */
  get ready(): boolean {
    const layout = this.layout;
    return this.models.id !== null && layout !== null && isValidRows(this.rows, layout.numWs, this.sources.length);
  }

  // ---- model and layout

  /** Reads the layout of the picked model, again for the same one when it could not be read. */
  async #useModel(id: number | null, previous: number | null): Promise<void> {
    if (id === previous && (this.layout !== null || id === null)) return;
    const token = ++this.#layoutToken;
    // The frame and thumbnails on screen, and those on their way, belong to the old model.
    this.#frames.invalidate();
    for (const job of Object.values(this.#thumbJobs)) job.queue.invalidate();
    this.preview = null;
    this.renderError = null;
    this.thumbs = {};
    this.layout = null;
    this.layoutError = null;
    if (id === null) return;
    const answer = await this.#studio.call('stylegan.layout', { modelId: id });
    if (token !== this.#layoutToken) return;
    if (!answer.ok) return void (this.layoutError = answer.error.message);
    const layout = answer.value;
    // A blend carries over to a model with the same layers; otherwise start again from the default preset.
    if (!isValidRows(this.rows, layout.numWs, this.sources.length)) this.rows = presetRows(DEFAULT_PRESET, layout.numWs, this.sources.length, layout.groups);
    this.layout = layout;
    this.#requestThumbs();
    this.#changed();
  }

  // ---- sources

  #newSeedSource(seed = randomSeed()): MixSourceSpec {
    return { uid: this.#nextUid++, kind: 'seed', seed, psi: DEFAULT_PSI };
  }

  /** Stable across settings of other sources: which thumbnail `source` needs now. */
  thumbKey(source: MixSourceSpec): string {
    const what = source.kind === 'seed' ? `seed ${source.seed} ψ ${source.psi} cutoff ${source.cutoff ?? '-'}` : `latent ${source.latentId}`;
    return `${this.models.id} ${this.noiseMode} ${what}`;
  }

  setSeed(uid: number, seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) return;
    this.#updateSource(uid, (s) => (s.kind === 'seed' && s.seed !== seed ? { ...s, seed } : s));
  }

  setPsi(uid: number, psi: number): void {
    if (!Number.isFinite(psi) || psi < PSI_RANGE.min || psi > PSI_RANGE.max) return;
    this.#updateSource(uid, (s) => (s.kind === 'seed' && s.psi !== psi ? { ...s, psi } : s));
  }

  randomiseSeed(uid: number): void {
    this.setSeed(uid, randomSeed());
  }

  /** A new seed source joins with weight 0 everywhere, so the picture changes only when the artist gives it some. */
  addSource(): void {
    if (this.sources.length >= MAX_SOURCES) return;
    const source = this.#newSeedSource();
    this.sources = [...this.sources, source];
    this.rows = addSourceColumn(this.rows);
    this.#requestThumb(source);
    this.#changed();
  }

  /** A latent of the current model (e.g. an inverted photo) as a new source, weight 0 everywhere. */
  addLatentSource(latentId: number): void {
    if (this.sources.length >= MAX_SOURCES) return;
    const source: MixSourceSpec = { uid: this.#nextUid++, kind: 'latent', latentId };
    this.sources = [...this.sources, source];
    this.rows = addSourceColumn(this.rows);
    this.#requestThumb(source);
    this.#changed();
  }

  removeSource(uid: number): void {
    const index = this.sources.findIndex((s) => s.uid === uid);
    if (index < 0 || this.sources.length <= MIN_SOURCES) return;
    this.sources = this.sources.filter((s) => s.uid !== uid);
    this.rows = removeSourceColumn(this.rows, index);
    this.#forgetThumb(uid);
    this.#changed();
  }

  /**
   * A latent of the current model (an inverted photo) replaces source A, every layer from it, with fixed noise (the
   * latent's own noise maps): the mix is that image until the artist moves a slider.
   */
  useLatentAsA(latentId: number): void {
    const [old, ...rest] = this.sources;
    if (old) this.#forgetThumb(old.uid);
    this.sources = [{ uid: this.#nextUid++, kind: 'latent', latentId }, ...rest];
    if (this.layout) this.rows = presetRows('all-a', this.layout.numWs, this.sources.length, this.layout.groups);
    this.noiseMode = 'const';
    this.#requestThumbs();
    this.#changed();
  }

  #forgetThumb(uid: number): void {
    this.#thumbJobs[uid]?.queue.dispose();
    delete this.#thumbJobs[uid];
    const { [uid]: _gone, ...rest } = this.thumbs;
    this.thumbs = rest;
  }

  /** A and B trade images; the weights stay, so "coarse from B" now takes the coarse styles of the old A. */
  swapAB(): void {
    const [a, b, ...rest] = this.sources;
    if (!a || !b) return;
    this.sources = [b, a, ...rest];
    this.#changed();
  }

  #updateSource(uid: number, update: (s: MixSourceSpec) => MixSourceSpec): void {
    const before = this.sources.find((s) => s.uid === uid);
    if (!before) return;
    const after = update(before);
    if (after === before) return;
    this.sources = this.sources.map((s) => (s.uid === uid ? after : s));
    this.#requestThumb(after);
    this.#changed();
  }

  setNoiseMode(mode: NoiseMode): void {
    if (mode === this.noiseMode) return;
    this.noiseMode = mode;
    this.#requestThumbs();
    this.#changed();
  }

  // ---- weights

  /** Two sources: layer `l` takes `t` of B (0 = all A, 1 = all B). */
  setLayerShare(l: number, t: number): void {
    if (this.sources.length === 2) this.#setRows(setLayers(this.rows, [l], twoSourceRow(t)));
  }

  /** Two sources: every layer of `group` takes `t` of B. */
  setGroupShare(group: StyleGroup, t: number): void {
    const layers = this.layout?.groups[group] ?? [];
    if (this.sources.length === 2) this.#setRows(setLayers(this.rows, layers, twoSourceRow(t)));
  }

  /** Any number of sources: layer `l` takes `value` of source `s`, the others share the rest as before. */
  setLayerWeight(l: number, s: number, value: number): void {
    const row = this.rows[l];
    if (row) this.#setRows(setLayers(this.rows, [l], setSourceWeight(row, s, value)));
  }

  /** Any number of sources: every layer of `group` takes the group's average blend with `value` of source `s`. */
  setGroupWeight(group: StyleGroup, s: number, value: number): void {
    const layers = this.layout?.groups[group] ?? [];
    if (layers.length > 0) this.#setRows(setLayers(this.rows, layers, setSourceWeight(meanRow(this.rows, layers), s, value)));
  }

  /** Any number of sources: the average blend of `layers` (what a group control shows). */
  groupRow(group: StyleGroup): number[] {
    return meanRow(this.rows, this.layout?.groups[group] ?? []);
  }

  applyPreset(preset: MixPreset): void {
    const layout = this.layout;
    if (layout) this.#setRows(presetRows(preset, layout.numWs, this.sources.length, layout.groups));
  }

  #setRows(rows: number[][]): void {
    const next = rows.map(normaliseRow);
    if (next.length === this.rows.length && next.every((r, l) => r.every((w, s) => w === this.rows[l]![s]))) return;
    this.rows = next;
    this.#changed();
  }

  // ---- rendering

  /** The request for what the view shows now. */
  request(): { modelId: number; sources: MixSource[]; layerWeights: number[][]; noiseMode: NoiseMode } | null {
    if (!this.ready || this.models.id === null) return null;
    return { modelId: this.models.id, sources: this.sources.map(toMixSource), layerWeights: this.rows.map((r) => [...r]), noiseMode: this.noiseMode };
  }

  #changed(): void {
    this.version++;
    const request = this.request();
    if (!request) return;
    this.#frames.submit({ version: this.version, modelId: request.modelId }, () => this.#studio.call('stylegan.mix', request));
  }

  #requestThumbs(): void {
    for (const source of this.sources) this.#requestThumb(source);
  }

  /** Seeds draw through `stylegan.generate` (the image Generate shows); a latent is a one-source mix of itself. */
  #requestThumb(source: MixSourceSpec): void {
    const modelId = this.models.id;
    if (modelId === null || this.layout === null) return;
    const key = this.thumbKey(source);
    const uid = source.uid;
    const job = (this.#thumbJobs[uid] ??= this.#thumbJob(uid));
    job.wanted = key;
    if (this.thumbs[uid]?.key === key) {
      job.queue.invalidate(); // back to what is shown: an answer on its way is for settings left behind
      return;
    }
    const { numWs } = this.layout;
    const noiseMode = this.noiseMode;
    job.queue.submit(key, async () => {
      if (source.kind === 'latent') {
        const one = await this.#studio.call('stylegan.mix', { modelId, sources: [toMixSource(source)], layerWeights: evenRows(numWs, 1), noiseMode });
        return one.ok ? { ok: true, value: one.value.imagePngBase64 } : one;
      }
      const cutoff = source.cutoff === undefined ? {} : { truncationCutoff: source.cutoff };
      const drawn = await this.#studio.call('stylegan.generate', { modelId, seeds: [source.seed], truncationPsi: source.psi, ...cutoff, noiseMode });
      return drawn.ok ? { ok: true, value: drawn.value.imagesPngBase64[0]! } : drawn;
    });
  }

  #thumbJob(uid: number): ThumbJob {
    const job: ThumbJob = {
      wanted: '',
      queue: new RenderQueue<string, Outcome<string>>({
        onResult: (answer, key) => {
          if (key !== job.wanted) return;
          if (!answer.ok) return void (this.thumbError = answer.error.message);
          const png = answer.value;
          this.thumbs = { ...this.thumbs, [uid]: { key, dataUrl: pngDataUrl(png) } };
          this.thumbError = null;
        },
        onError: (err) => (this.thumbError = messageOf(err)),
      }),
    };
    return job;
  }

  // ---- saving

  /** The saved image of exactly what is shown now, if any. */
  savedFor(projectId: number | null): SavedMix | null {
    const s = this.saved;
    return s && s.projectId === projectId && s.version === this.version && this.noiseMode !== 'random' ? s : null;
  }

  /** Saves the mix as a generation recording every source and weight; saving what is already saved adds nothing. */
  async save(projectId: number | null): Promise<Outcome<SavedMix & { fresh: boolean }>> {
    if (projectId === null) return failure('INVALID_PARAMS', 'Open or create a project first: saved mixes go into its library.');
    const request = this.request();
    if (!request) return failure('INVALID_PARAMS', this.models.id === null ? 'Pick a StyleGAN2 model first.' : 'The model is still loading.');
    const already = this.savedFor(projectId);
    if (already) return { ok: true, value: { ...already, fresh: false } };
    const version = this.version;
    this.saving = true;
    try {
      const answer = await this.#studio.call('stylegan.saveMix', { projectId, ...request });
      if (!answer.ok) return failure(answer.error.code, `Could not save the mix: ${answer.error.message}`);
      const saved: SavedMix = { projectId, version, ...answer.value };
      this.saved = saved;
      return { ok: true, value: { ...saved, fresh: true } };
    } finally {
      this.saving = false;
    }
  }
}
