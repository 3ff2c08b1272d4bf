// Composition root of the back end: opens the library, starts the engine, wires jobs, handlers and events.
// Electron, the browser-window server, the CLI and the tests all build the studio through this one function.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createDispatch, type Dispatch } from './service/dispatch.js';
import { EventBus } from './service/event-bus.js';
import { createHandlers } from './service/handlers.js';
import { EngineHost, nodeForkSpawner, type EngineSpawner } from './engine/engine-host.js';
import type { TrialSpawner } from './engine/onnx/trial-spawner.js';
import { JobManager } from './jobs/job-manager.js';
import { Library } from './library/library.js';
import { builtinModelsDir, readBuiltinModels } from './model-files/builtin-models.js';

export interface Studio {
  readonly library: Library;
  readonly events: EventBus;
  readonly engine: EngineHost;
  readonly jobs: JobManager;
  readonly dispatch: Dispatch;
  readonly version: string;
  close(): Promise<void>;
}

export interface StudioOptions {
  home?: string;
  engineSpawner?: EngineSpawner;
  /** Starts the processes that test-run an imported ONNX file (default: child_process.fork; Electron: utilityProcess). */
  trialSpawner?: TrialSpawner;
  /** Start the engine process now (default) or on first use. */
  startEngine?: boolean;
  /** Shipped models (default: builtinModelsDir(), i.e. GAN_STUDIO_MODELS_DIR or assets/models). */
  builtinModelsDir?: string;
  /** The better-sqlite3 addon for this runtime (Electron passes its own ABI's build); default: node_modules'. */
  sqliteBinding?: string;
  /** Longest one test run of an imported ONNX file may take, in seconds (tests and the soak shorten it). */
  onnxTrialSeconds?: number;
}

/** The library folder: GAN_STUDIO_HOME, else the platform's per-user data folder. */
export function defaultStudioHome(): string {
  const fromEnv = process.env['GAN_STUDIO_HOME'];
  if (fromEnv) return path.resolve(fromEnv);
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'GAN Studio');
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? path.join(homedir(), 'AppData', 'Roaming'), 'GAN Studio');
  return path.join(process.env['XDG_DATA_HOME'] ?? path.join(homedir(), '.local', 'share'), 'gan-studio');
}

export function studioVersion(): string {
  const pkgUrl = new URL(import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
}

export async function openStudio(options: StudioOptions = {}): Promise<Studio> {
  const library = Library.open(options.home ?? defaultStudioHome(), { nativeBinding: options.sqliteBinding });
  const events = new EventBus();
  const engine = new EngineHost(options.engineSpawner ?? nodeForkSpawner, events, options.trialSpawner === undefined ? {} : { trialSpawner: options.trialSpawner });
  const jobs = new JobManager(library, engine, events);
  const version = studioVersion();
  const builtinDir = options.builtinModelsDir ?? builtinModelsDir();
  library.syncBuiltinModels(readBuiltinModels(builtinDir));
  const dispatch = createDispatch(createHandlers({ version, library, jobs, engine, events, builtinModelsDir: builtinDir, ...(options.onnxTrialSeconds === undefined ? {} : { onnxTrialSeconds: options.onnxTrialSeconds }) }));
  if (options.startEngine ?? true) await engine.start();
  return {
    library,
    events,
    engine,
    jobs,
    dispatch,
    version,
    async close() {
      await engine.stop();
      library.close();
    },
  };
}
