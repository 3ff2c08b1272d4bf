// The Transfer view's state as a rune class: the CycleGAN model and direction, the pictures to translate (library
// pictures, or a folder on this computer), the export folder, and the 'transfer.images' job it follows.
// Created once in App.svelte so a batch under way survives switching views; reaches the back end only through `Studio`.
import { isJobOf, type Asset, type ImportOutcome, type TranslationDirection } from '../../../../main/api/contract';
import { uploadFiles } from '../file-upload';
import { countOf } from '../format';
import { idSet } from '../grid-selection';
import { messageOf } from '../job-watch.svelte';
import { LatestJob, type JobRun } from '../latest-job.svelte';
import { ModelChoice } from '../models/model-choice.svelte';
import { failure, type Outcome, type Studio } from '../studio';

/** Where the pictures come from: chosen in the library, or every image of a folder on this computer. */
export type TransferSourceKind = 'library' | 'folder';

/** A batch this view started, with what it was asked to do. */
export interface TransferRun extends JobRun {
  modelName: string;
  direction: TranslationDirection;
  /** "4 library pictures", "/home/me/horses (and subfolders)". */
  source: string;
}


export class TransferState {
  readonly models: ModelChoice;
  direction = $state<TranslationDirection>('AtoB');
  sourceKind = $state<TransferSourceKind>('folder');
  /** Library pictures to translate, and the project they belong to. */
  pictures = $state.raw<{ projectId: number; assets: Asset[] }>({ projectId: 0, assets: [] });
  folder = $state('');
  recursive = $state(true);
  /** Empty: the project's exports/transfer-<job>/ folder. */
  exportDir = $state('');
  /** Dropped files on their way into the library. */
  uploading = $state.raw<{ done: number; total: number } | null>(null);

  /** The latest batch started here: its run, and whether it is starting, running or being cancelled. */
  readonly job: LatestJob<TransferRun>;
  outcome = $derived.by(() => {
    const job = this.job.run?.watch.job;
    return job && isJobOf(job, 'transfer.images') ? job.result : null;
  });

  readonly #studio: Studio;

  constructor(studio: Studio) {
    this.#studio = studio;
    this.models = new ModelChoice(studio, 'cyclegan', 'gan-studio.transfer.modelId');
    this.job = new LatestJob(studio, 'transfer');
  }

  /** The library pictures chosen for `projectId` (another project's are not offered). */
  picturesOf(projectId: number | null): Asset[] {
    return this.pictures.projectId === projectId ? this.pictures.assets : [];
  }

  // ---- source

  /** Makes `assets` the pictures to translate. */
  usePictures(projectId: number, assets: readonly Asset[]): void {
    this.pictures = { projectId, assets: [...assets] };
    this.sourceKind = 'library';
  }

  removePicture(assetId: number): void {
    this.pictures = { ...this.pictures, assets: this.pictures.assets.filter((a) => a.id !== assetId) };
  }

  /**
   * Dropped files (a folder's included): added to the project's library (or found there), then chosen beside the
   * pictures already chosen. Resolves with the import's outcome so the view can name the files it refused.
   */
  async addFiles(projectId: number, files: readonly File[]): Promise<Outcome<ImportOutcome>> {
    if (files.length === 0) return failure('INVALID_PARAMS', 'Nothing to add: drop pictures or a folder of pictures.');
    this.uploading = { done: 0, total: files.length };
    try {
      const uploaded = await uploadFiles(this.#studio, projectId, files, (done, total) => (this.uploading = { done, total }));
      if (!uploaded.ok) return failure(uploaded.error.code, `Could not add the dropped pictures: ${uploaded.error.message}`);
      const outcome = uploaded.value;
      const before = this.picturesOf(projectId);
      const added = [...outcome.imported, ...outcome.duplicates].filter((a) => !before.some((b) => b.id === a.id));
      this.usePictures(projectId, [...before, ...added]);
      return { ok: true, value: outcome };
    } catch (err) {
      // A dropped file could not be read here.
      return failure('IO_ERROR', `Could not add the dropped pictures: ${messageOf(err)}`);
    } finally {
      this.uploading = null;
    }
  }

  // ---- the job

  /** Why Start is not possible now, or null. */
  blocker(projectId: number | null): string | null {
    if (projectId === null) return 'Open or create a project first.';
    if (this.models.model === null) return 'Pick a CycleGAN model first.';
    if (this.job.busy) return 'A transfer is under way: wait for it or cancel it.';
    if (this.uploading) return 'Wait for the dropped pictures to be added.';
    if (this.sourceKind === 'folder' && this.folder.trim() === '') return 'Type the path of a folder of pictures.';
    if (this.sourceKind === 'library' && this.picturesOf(projectId).length === 0) return 'Choose pictures of the library first.';
    return null;
  }

  /** Starts translating the chosen pictures; the job's events then drive `job.run`. */
  async start(projectId: number | null): Promise<Outcome<number>> {
    const blocker = this.blocker(projectId);
    const model = this.models.model;
    if (blocker !== null || projectId === null || model === null) return failure('INVALID_PARAMS', blocker ?? 'Not ready.');
    const { direction, recursive } = this;
    const folder = this.folder.trim();
    const exportDir = this.exportDir.trim();
    const assetIds = this.picturesOf(projectId).map((a) => a.id);
    const source = this.sourceKind === 'folder' ? { folder, recursive } : { assetIds };
    const sourceText = this.sourceKind === 'folder' ? `${folder}${recursive ? ' (and subfolders)' : ''}` : `${countOf(assetIds.length, 'library picture')}`;
    const started = await this.job.launch(
      () =>
        this.#studio.call('transfer.images', {
          projectId,
          modelId: model.id,
          direction,
          ...source,
          ...(exportDir === '' ? {} : { exportDir }),
        }),
      (watch) => ({ projectId, modelName: model.name, direction, source: sourceText, watch }),
    );
    if (!started.ok && started.error.code === 'NOT_FOUND') await this.#dropWhatIsGone(projectId);
    return started;
  }

  /** After NOT_FOUND: the model or chosen pictures were deleted meanwhile; the lists keep only what is still there. */
  async #dropWhatIsGone(projectId: number): Promise<void> {
    await this.models.load(projectId);
    if (this.sourceKind !== 'library') return;
    const listed = await this.#studio.call('assets.list', { projectId, limit: 5000 });
    if (!listed.ok) return;
    const present = idSet(listed.value.items);
    this.pictures = { ...this.pictures, assets: this.pictures.assets.filter((a) => present.has(a.id)) };
  }
}
