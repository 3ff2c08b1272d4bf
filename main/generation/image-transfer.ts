// Files one picture a CycleGAN translated: the output as a library asset with its 'transfer' generation (the source as
// parent), and a PNG copy in the export folder, named after the source, with the generation's recipe embedded.
import { existsSync } from 'node:fs';

import path from 'node:path';
import type { Asset, TranslationDirection } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import { ingestImageBytes } from '../data/image-ingest.js';
import type { Library } from '../library/library.js';
import type { ModelRecord } from '../library/model-store.js';
import { writeNewFile } from '../library/new-file.js';
import { asciiJson, exportRecipe, PNG_TEXT_KEYWORD, safeFileBase } from './export-image.js';
import { withPngText } from './png-text.js';
import { mkdirInLiveProject } from '../library/project-paths.js';

/**
 * Paths in the export folder, one per picture: `sub/cat.png` → `sub/cat-AtoB.png`, a second `sub/cat.jpg` →
 * `sub/cat-AtoB-2.png`. Chosen synchronously, so pictures of one job do not contend; the write itself claims the name
 * (writeNewFile), so another job or program writing there at the same time never loses or replaces a file.
 */
export class ExportNames {
  readonly #taken = new Set<string>();

  constructor(
    readonly dir: string,
    readonly suffix: string,
  ) {}

  /** `name`: the picture's path under its folder (subfolders are kept), or a file name. */
  claim(name: string): string {
    const segments = name.split(/[\\/]+/);
    // Folders come from a walk of a real folder; '' and dot segments are dropped all the same, so nothing climbs out.
    const folders = segments.slice(0, -1).filter((s) => s !== '' && s !== '.' && s !== '..');
    const base = `${safeFileBase(segments.at(-1) ?? '', 'image')}-${this.suffix}`;
    for (let n = 1; ; n++) {
      const file = path.join(this.dir, ...folders, n === 1 ? `${base}.png` : `${base}-${n}.png`);
      if (this.#taken.has(file) || existsSync(file)) continue;
      this.#taken.add(file);
      return file;
    }
  }
}

/** The job a translation belongs to: where it is filed and what its generation records. */
export interface TransferFiling {
  library: Library;
  projectId: number;
  model: ModelRecord;
  direction: TranslationDirection;
  jobId: number;
  studioVersion: string; // named in the embedded recipe
}

/** Stores `png` (the translation of `source`) in the library and writes it to `exportPath`, or its first free `-N` variant. */
export async function fileTranslation(filing: TransferFiling, source: Asset, png: Buffer, exportPath: string): Promise<{ outputAssetId: number; generationId: number; exportPath: string }> {
  const { library, projectId, model } = filing;
  const image = await ingestImageBytes(png, path.basename(exportPath), library.getProject(projectId).folder);
  const { asset } = library.addIngestedAsset(projectId, image, 'generation');
  const generation = library.addGeneration({
    projectId,
    modelId: model.id,
    operation: 'transfer',
    params: { direction: filing.direction, model: { id: model.id, name: model.name, family: model.family, imageSize: model.imageSize }, jobId: filing.jobId },
    outputAssetId: asset.id,
    parents: [{ assetId: source.id, role: 'source' }],
  });
  const recipe = asciiJson(exportRecipe(library, asset.id, filing.studioVersion));
  try {
    await mkdirInLiveProject(path.dirname(exportPath));
    const written = await writeNewFile(exportPath, withPngText(png, PNG_TEXT_KEYWORD, recipe));
    return { outputAssetId: asset.id, generationId: generation.id, exportPath: written };
  } catch (err) {
    throw new StudioError('IO_ERROR', `Translated into the library, but could not write ${exportPath}: ${(err as Error).message}`);
  }
}
