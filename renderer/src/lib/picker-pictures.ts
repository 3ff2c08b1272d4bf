// What the library picker (AssetPickerDialog) offers a view to choose from: the project's pictures, newest first.
import type { Asset } from '../../../main/api/contract';
import type { Outcome, Studio } from './studio';

/** Pictures the picker lists at most. */
const PICK_LIMIT = 500;

/** The project's pictures, newest first, or why not. */
export async function pickerPictures(studio: Studio, projectId: number): Promise<Outcome<Asset[]>> {
  const page = await studio.call('assets.list', { projectId, limit: PICK_LIMIT });
  return page.ok ? { ok: true, value: page.value.items } : page;
}
