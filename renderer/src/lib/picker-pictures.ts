// What the library picker (AssetPickerDialog) offers a view to choose from: the project's pictures, newest first.
import type { Asset } from '../../../main/api/contract';
import { messageOf, type Outcome } from './job-watch.svelte';
import type { Studio } from './studio';

/** Pictures the picker lists at most. */
const PICK_LIMIT = 500;

/** The project's pictures, newest first, or the message to show. */
export async function pickerPictures(studio: Studio, projectId: number): Promise<Outcome<Asset[]>> {
  try {
    const page = await studio.call('assets.list', { projectId, limit: PICK_LIMIT });
    return { ok: true, value: page.items };
  } catch (err) {
    return { ok: false, message: messageOf(err) };
  }
}
