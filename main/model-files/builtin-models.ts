// The models shipped with the studio (assets/models/<id>/, listed in assets/models/manifest.json), registered in the
// library as builtin so every project can use them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ModelFamily } from '../api/contract.js';
import type { NewModel } from '../library/model-store.js';
import { MODEL_JSON } from './model-folder.js';

export const BUILTIN_MANIFEST = 'manifest.json';

const Manifest = z.object({
  models: z.array(
    z.object({
      folder: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a folder name inside assets/models'),
      name: z.string().min(1),
      family: ModelFamily,
      description: z.string(),
    }),
  ),
});

/**
 * Where shipped models live: GAN_STUDIO_MODELS_DIR (development and tests), else assets/models next to the app
 * (the repository root from source, the app's resources when packaged: both hold assets/ beside main/ or dist/).
 */
export function builtinModelsDir(): string {
  const fromEnv = process.env['GAN_STUDIO_MODELS_DIR'];
  if (fromEnv) return path.resolve(fromEnv);
  const here = fileURLToPath(import.meta.url);
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(path.dirname(here), '../../..') : path.resolve(path.dirname(here), '../..');
  return path.join(root, 'assets', 'models');
}

/**
 * The shipped models with their configs (read from each model.json). A missing manifest means none shipped; a model
 * whose folder is unreadable is left out with a warning rather than keeping the studio from starting.
 */
export function readBuiltinModels(dir: string, warn: (message: string) => void = console.warn): Omit<NewModel, 'projectId' | 'source'>[] {
  let raw: string;
  try {
    raw = readFileSync(path.join(dir, BUILTIN_MANIFEST), 'utf8');
  } catch {
    return [];
  }
  const manifest = Manifest.parse(JSON.parse(raw));
  const models: Omit<NewModel, 'projectId' | 'source'>[] = [];
  for (const entry of manifest.models) {
    try {
      const meta = JSON.parse(readFileSync(path.join(dir, entry.folder, MODEL_JSON), 'utf8')) as { family: string; config: { imageSize: number } };
      if (meta.family !== entry.family) throw new Error(`model.json says ${meta.family}, the manifest ${entry.family}`);
      models.push({ ...entry, config: meta.config });
    } catch (err) {
      warn(`GAN Studio: the shipped model ${entry.folder} is left out: ${(err as Error).message}`);
    }
  }
  return models;
}
