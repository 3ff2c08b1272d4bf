// The studio's library: one SQLite database plus project folders under a home folder, opened by one studio at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Asset, Job, JobKind, ModelFamily, Project } from '../api/contract.js';
import { StudioError } from '../api/errors.js';
import type { IngestedImage } from '../data/image-ingest.js';
import { AssetStore, type AssetVariant } from './asset-store.js';
import { LatentStore, type Latent } from './latent-store.js';
import { GenerationStore, type Generation } from './generation-store.js';
import { auditLibraryFiles, reconcileLibraryFiles, type FilesAudit, type FilesRepair } from './library-files.js';
import { acquireLibraryLock, type LibraryLock } from './library-lock.js';
import { ModelStore, type ModelRecord, type NewModel } from './model-store.js';
import { applyMigrations, refuseNewerSchema, schemaVersionOf } from './migrate.js';
import { DATABASE_FILE } from './project-paths.js';
import { PROJECTS_DIR, ProjectStore } from './project-store.js';
import { RunStore, type RunPatch } from './run-store.js';
import { TagStore } from './tag-store.js';

export { DATABASE_FILE };
// Long enough to ride out a checkpoint or a backup tool's read; a real conflict still surfaces as an error.
const BUSY_TIMEOUT_MS = 5000;

function damaged(dbPath: string, err: unknown): StudioError {
  return new StudioError(
    'IO_ERROR',
    `The library database ${dbPath} could not be opened; it may be damaged or not a GAN Studio library ` +
      `(${(err as Error).message}).`,
  );
}

// SQLite's file header: a fixed magic string, and the user_version (our schema version) at byte 60, big-endian.
const SQLITE_MAGIC = 'SQLite format 3\0';
const USER_VERSION_OFFSET = 60;

/**
 * Reads the schema version straight from the file header, so a database from a newer app is refused before any
 * connection exists: even a read-only connection leaves -wal/-shm files next to a WAL database, and a read-write
 * one may switch the journal mode or checkpoint on close.
 */
function refuseNewerDatabase(dbPath: string): void {
  let header: Buffer;
  try {
    if (!fs.existsSync(dbPath) || fs.statSync(dbPath).size === 0) return;
    const fd = fs.openSync(dbPath, 'r');
    try {
      header = Buffer.alloc(100);
      if (fs.readSync(fd, header, 0, header.length, 0) < header.length) throw new Error('the file is too short');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw damaged(dbPath, err);
  }
  if (header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw damaged(dbPath, new Error('it is not an SQLite database'));
  }
  refuseNewerSchema(header.readUInt32BE(USER_VERSION_OFFSET));
}

export interface LibraryOptions {
  /**
   * The better-sqlite3 addon (.node file) to load instead of the one in node_modules, which is built for Node's
   * ABI. Electron passes its own build (scripts/electron-abi.js), as a V8-ABI addon loads in one runtime only.
   */
  nativeBinding?: string;
}

function openDatabase(dbPath: string, options: LibraryOptions): Database.Database {
  refuseNewerDatabase(dbPath);
  let db: Database.Database;
  try {
    db = new Database(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (err) {
    // Only SQLite's own errors speak about the file; an addon that does not load (wrong ABI, missing) is reported as is.
    if (!(err instanceof Database.SqliteError)) throw err;
    throw damaged(dbPath, err);
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Again through SQLite, which also sees a newer version still in the WAL, before the first write below.
    refuseNewerSchema(schemaVersionOf(db));
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL survives app crashes; only an OS crash or power loss can lose the last commit.
    db.pragma('synchronous = NORMAL');
    applyMigrations(db);
    return db;
  } catch (err) {
    db.close();
    const code = String((err as { code?: unknown }).code ?? '');
    throw code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') ? damaged(dbPath, err) : err;
  }
}

export class Library {
  readonly dbPath: string;
  private readonly projects: ProjectStore;
  private readonly assets: AssetStore;
  private readonly tags: TagStore;
  private readonly runs: RunStore;
  private readonly models: ModelStore;
  private readonly generations: GenerationStore;
  private readonly latents: LatentStore;
  private closed = false;
  /** What opening the library put right (files without rows, rows without files) after a studio was killed. */
  startupRepair: FilesRepair = { removedFiles: 0, recoveredFiles: 0, removedRows: 0, restoredFolders: 0 };

  private constructor(
    readonly home: string,
    private readonly db: Database.Database,
    private readonly lock: LibraryLock,
  ) {
    this.dbPath = path.join(home, DATABASE_FILE);
    this.projects = new ProjectStore(db, home);
    this.tags = new TagStore(db);
    this.assets = new AssetStore(db, this.projects, this.tags);
    this.runs = new RunStore(db);
    this.models = new ModelStore(db);
    this.generations = new GenerationStore(db);
    this.latents = new LatentStore(db);
  }

  /**
   * Opens (creating if needed) the library in `home`. LIBRARY_LOCKED if another studio has it open,
   * LIBRARY_TOO_NEW if a newer app made it.
   */
  static open(home: string, options: LibraryOptions = {}): Library {
    const root = path.resolve(home);
    try {
      fs.mkdirSync(path.join(root, PROJECTS_DIR), { recursive: true });
    } catch (err) {
      throw new StudioError('IO_ERROR', `Could not create the library folder ${root}: ${(err as Error).message}`);
    }
    const lock = acquireLibraryLock(root);
    try {
      const library = new Library(root, openDatabase(path.join(root, DATABASE_FILE), options), lock);
      // Nothing writes yet (the lock is ours, no job runs): the moment to undo what a killed studio left half done.
      library.projects.sweepOrphans();
      library.startupRepair = reconcileLibraryFiles(library.db, root);
      return library;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.lock.release();
    }
  }

  /** Files in project folders that no row accounts for, and rows whose files are gone (tests, the soak, diagnostics). */
  auditFiles(): FilesAudit {
    return auditLibraryFiles(this.db, this.home);
  }

  /** SQLite's own verdict on the database file: 'ok', or what it found damaged. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
  }

  /** Runs `work` as one SQLite transaction: a crash keeps all of its writes or none (a row and the count that names it). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  // projects

  createProject(name: string): Project {
    return this.projects.create(name);
  }

  listProjects(): Project[] {
    return this.projects.list();
  }

  getProject(id: number): Project {
    return this.projects.get(id);
  }

  deleteProject(id: number): boolean {
    return this.projects.delete(id);
  }

  // assets

  addIngestedAsset(
    projectId: number,
    img: IngestedImage,
    origin: Asset['origin'],
  ): { asset: Asset; duplicate: boolean } {
    return this.assets.add(projectId, img, origin);
  }

  listAssets(
    projectId: number,
    opts: { tag?: string; limit: number; offset: number },
  ): { items: Asset[]; total: number } {
    return this.assets.list(projectId, opts);
  }

  getAsset(id: number): Asset {
    return this.assets.get(id);
  }

  assetFilePath(assetId: number, variant: AssetVariant): string {
    return this.assets.filePath(assetId, variant);
  }

  deleteAssets(projectId: number, assetIds: number[]): number {
    return this.assets.delete(projectId, assetIds);
  }

  tagAssets(projectId: number, assetIds: number[], tag: string, remove: boolean): number {
    this.projects.folderOf(projectId); // NOT_FOUND for an unknown project
    return this.tags.tag(projectId, assetIds, tag, remove);
  }

  listTags(projectId: number): { name: string; count: number }[] {
    this.projects.folderOf(projectId);
    return this.tags.list(projectId);
  }

  // runs (the records behind jobs)

  createRun(projectId: number | null, kind: JobKind, params: Record<string, unknown>): Job {
    return this.runs.create(projectId, kind, params);
  }

  updateRun(id: number, patch: RunPatch): Job {
    return this.runs.update(id, patch);
  }

  getRun(id: number): Job {
    return this.runs.get(id);
  }

  listRuns(opts: { projectId?: number; limit: number }): Job[] {
    return this.runs.list(opts);
  }

  markUnfinishedRunsInterrupted(): number {
    return this.runs.markUnfinishedInterrupted();
  }

  listMetrics(runId: number): Record<string, Array<[number, number]>> {
    this.runs.get(runId); // NOT_FOUND for an unknown job
    return this.runs.listMetrics(runId);
  }

  deleteMetricsAfter(runId: number, step: number): number {
    return this.runs.deleteMetricsAfter(runId, step);
  }

  addMetric(runId: number, step: number, name: string, value: number): void {
    this.runs.addMetric(runId, step, name, value);
  }

  // models

  addModel(model: NewModel): ModelRecord {
    if (model.projectId !== null) this.projects.folderOf(model.projectId);
    return this.models.add(model);
  }

  syncBuiltinModels(shipped: Parameters<ModelStore['syncBuiltins']>[0]): void {
    this.models.syncBuiltins(shipped);
  }

  listModels(opts: { projectId?: number; family?: ModelFamily }): ModelRecord[] {
    return this.models.list(opts);
  }

  getModel(id: number): ModelRecord {
    return this.models.get(id);
  }

  // generations

  addGeneration(generation: Omit<Generation, 'id' | 'createdAt'>): Generation {
    return this.generations.add(generation);
  }

  getGeneration(id: number): Generation {
    return this.generations.get(id);
  }

  /** The generation that produced `assetId`, if it was generated. */
  generationProducing(assetId: number): Generation | undefined {
    return this.generations.producing(assetId);
  }

  // latents

  addLatent(latent: Omit<Latent, 'id' | 'createdAt' | 'noise'> & { noise?: Float32Array | null }): Latent {
    return this.latents.add(latent);
  }

  getLatent(id: number): Latent {
    return this.latents.get(id);
  }
}
