// The ordered list of schema migrations; a new one is appended here and never edited once shipped.
import type { Migration } from '../migrate.js';
import * as projectsAssets from './0001-projects-assets.js';
import * as runsMetrics from './0002-runs-metrics.js';
import * as modelsGenerations from './0003-models-generations.js';
import * as modelDescriptions from './0004-model-descriptions.js';
import * as latentNoise from './0005-latent-noise.js';

export const migrations: readonly Migration[] = [projectsAssets, runsMetrics, modelsGenerations, modelDescriptions, latentNoise];
