// An asset's lineage: the generation that made it, then the generations that made each of its parent pictures, and so
// on back to pictures nobody generated (imports, uploads, drawings). What the Library shows as "How it was made".
import type { Asset } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import type { Library } from './library.js';

export interface LineageStep {
  generationId: number;
  operation: string;
  createdAt: string;
  model: { id: number; name: string; family: string } | null;
  params: Record<string, unknown>;
  output: Asset | null;
  parents: Array<{ role: string | null; asset: Asset | null; generationId: number | null }>;
}

/** Longest lineage listed: a chain of edits this long is already more than a panel shows. */
export const MAX_LINEAGE_STEPS = 50;

const orNull = <T>(read: () => T): T | null => {
  try {
    return read();
  } catch (err) {
    if (err instanceof StudioError && err.code === 'NOT_FOUND') return null; // deleted since
    throw err;
  }
};

/** Newest first, breadth-first over parents; each generation once. Empty when the asset was not generated. */
export function assetLineage(library: Library, projectId: number, assetId: number): LineageStep[] {
  const asset = library.getAsset(assetId);
  if (asset.projectId !== projectId) throw new StudioError('NOT_FOUND', `Asset ${assetId} is not in this project.`);
  const steps: LineageStep[] = [];
  const seen = new Set<number>();
  const queue = [library.generationProducing(assetId)];
  while (queue.length > 0 && steps.length < MAX_LINEAGE_STEPS) {
    const generation = queue.shift();
    if (generation === undefined || seen.has(generation.id)) continue;
    seen.add(generation.id);
    const model = generation.modelId === null ? null : orNull(() => library.getModel(generation.modelId!));
    steps.push({
      generationId: generation.id,
      operation: generation.operation,
      createdAt: generation.createdAt,
      model: model === null ? null : { id: model.id, name: model.name, family: model.family },
      params: generation.params,
      output: generation.outputAssetId === null ? null : orNull(() => library.getAsset(generation.outputAssetId!)),
      parents: generation.parents.map((p) => ({ role: p.role ?? null, asset: p.assetId === undefined ? null : orNull(() => library.getAsset(p.assetId!)), generationId: p.generationId ?? null })),
    });
    for (const parent of generation.parents) {
      if (parent.assetId !== undefined) queue.push(library.generationProducing(parent.assetId));
      if (parent.generationId !== undefined) queue.push(orNull(() => library.getGeneration(parent.generationId!)) ?? undefined);
    }
  }
  return steps;
}
