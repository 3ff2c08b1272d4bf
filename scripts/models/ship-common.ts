// What every ship-<family> script does around its own measurements: its common flags, read required flags, make a recipe's paths
// relative to the repository, write the measured metrics into the shipped model.json, list the model in the manifest
// and keep the checkpoint for the next session.
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_MANIFEST } from '../../main/model-files/builtin-models.js';

/** The flags every ship script takes, beside those naming its data and its own measurements. */
export const shipOptions = {
  run: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string', default: '' },
  'licence-attribution': { type: 'string', default: '' },
  sheet: { type: 'string' },
  'keep-checkpoint': { type: 'boolean', default: false },
  'models-dir': { type: 'string', default: 'assets/models' }, // another folder to try a model out (GAN_STUDIO_MODELS_DIR)
} as const;

/** The value of a required string flag, or an error naming it. */
export function required(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required`);
  return value;
}

/**
 * A JSON.parse reviver for recipes that ship with a model: absolute paths inside this repository become relative to
 * it, so the recipe says where the data came from on any machine (node_modules/…), not on the one that trained it.
 */
export function relativeToRepo(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replaceAll(`${process.cwd()}${path.sep}`, '') : value;
}

/** Writes `metrics` into the model folder's model.json provenance (the weights are unchanged). */
export async function recordMetrics(folder: string, metrics: Record<string, number>): Promise<void> {
  const modelJsonPath = path.join(folder, 'model.json');
  const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as { provenance: { metrics: Record<string, number> } };
  modelJson.provenance.metrics = metrics;
  await writeFile(modelJsonPath, `${JSON.stringify(modelJson, null, 2)}\n`);
}

/** Lists (or relists) the model folder `entry.folder` in the shipped models' manifest. */
export async function listInManifest(modelsDir: string, entry: { folder: string; name: string; family: string; description: string }): Promise<void> {
  const manifestPath = path.join(modelsDir, BUILTIN_MANIFEST);
  const manifest = (await readFile(manifestPath, 'utf8').then(JSON.parse, () => ({ models: [] }))) as { models: Array<{ folder: string }> };
  manifest.models = [...manifest.models.filter((m) => m.folder !== entry.folder), entry];
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Copies the checkpoint to assets/training/<id>/<its folder name>, replacing the checkpoint kept before; the run's
 * other records in assets/training/<id> (run.json, contact sheets) stay.
 */
export async function keepCheckpoint(id: string, checkpointDir: string): Promise<string> {
  const trainingDir = path.resolve('assets/training', id);
  await mkdir(trainingDir, { recursive: true });
  for (const entry of await readdir(trainingDir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith('step-')) await rm(path.join(trainingDir, entry.name), { recursive: true, force: true });
  }
  const kept = path.join(trainingDir, path.basename(checkpointDir));
  await cp(checkpointDir, kept, { recursive: true });
  return kept;
}
