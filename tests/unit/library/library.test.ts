// Opening a library: folder and database created, schema current, newer databases refused untouched, one studio at a time.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/library/library.js';
import { newestSchemaVersion } from '../../../main/library/migrate.js';
import { tempFolder } from '../../support/temp-home.js';
import { errorOf } from './library-fixture.js';

function writeLockPid(home: string, pid: number): void {
  fs.writeFileSync(path.join(home, '.lock'), `${pid}\n`);
}

describe('Library.open', () => {
  let tmp: ReturnType<typeof tempFolder>;
  let home: string;
  beforeEach(() => {
    tmp = tempFolder('open');
    home = path.join(tmp.path, 'nested', 'home');
  });
  afterEach(() => tmp.remove());

  it('creates the folder and a WAL database with foreign keys and the newest schema, and keeps data across reopen', () => {
    const library = Library.open(home);
    expect(library.home).toBe(home);
    expect(library.dbPath).toBe(path.join(home, 'library.sqlite'));
    expect(fs.readFileSync(path.join(home, '.lock'), 'utf8').trim()).toBe(String(process.pid));
    library.createProject('Faces');
    library.close();
    expect(fs.existsSync(path.join(home, '.lock'))).toBe(false);

    const raw = new Database(path.join(home, 'library.sqlite'), { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(newestSchemaVersion());
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    const again = Library.open(home);
    expect(again.listProjects().map((p) => p.name)).toEqual(['Faces']);
    expect(errorOf(() => again.createRun(999, 'library.importFolder', { path: '/photos', recursive: true })).code).toBe('NOT_FOUND');
    again.close();
    again.close(); // closing twice is harmless
  });

  it('refuses a database from a newer GAN Studio without changing a byte of it', () => {
    Library.open(home).close();
    const dbPath = path.join(home, 'library.sqlite');
    const raw = new Database(dbPath);
    raw.pragma('user_version = 7');
    raw.close();
    const before = fs.readFileSync(dbPath);
    const filesBefore = fs.readdirSync(home).sort();

    const err = errorOf(() => Library.open(home));
    expect(err.code).toBe('LIBRARY_TOO_NEW');
    expect(err.message).toBe(
      `This library was created by a newer GAN Studio (schema 7, this build knows ${newestSchemaVersion()}). ` +
        'Update the app; the library was not changed.',
    );
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
    expect(fs.readdirSync(home).sort()).toEqual(filesBefore); // no lock left behind, no WAL files created
  });

  it('loads the better-sqlite3 addon it is given (Electron passes its own ABI build) and reports one that does not load as it is', () => {
    const nodeBuild = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const elsewhere = path.join(tmp.path, 'addons', 'better_sqlite3.node');
    fs.mkdirSync(path.dirname(elsewhere));
    fs.copyFileSync(nodeBuild, elsewhere);
    const library = Library.open(home, { nativeBinding: elsewhere });
    library.createProject('Loaded');
    library.close();

    const notAnAddon = path.join(tmp.path, 'addons', 'electron-abi.node');
    fs.writeFileSync(notAnAddon, 'not a shared library');
    let thrown: unknown;
    try {
      Library.open(home, { nativeBinding: notAnAddon });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as { code?: string }).code).not.toBe('IO_ERROR'); // not blamed on the database file
    expect((thrown as Error).message).toContain(notAnAddon);
    expect(fs.existsSync(path.join(home, '.lock'))).toBe(false);
    const again = Library.open(home);
    expect(again.listProjects().map((p) => p.name)).toEqual(['Loaded']);
    again.close();
  });

  it('reports a file that is not a database as IO_ERROR and releases the lock', () => {
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'library.sqlite'), 'definitely not sqlite, but long enough to have a header '.repeat(4));
    expect(errorOf(() => Library.open(home)).code).toBe('IO_ERROR');
    expect(fs.existsSync(path.join(home, '.lock'))).toBe(false);
  });
});

describe('library lock', () => {
  let tmp: ReturnType<typeof tempFolder>;
  let home: string;
  beforeEach(() => {
    tmp = tempFolder('lock');
    home = tmp.path;
  });
  afterEach(() => tmp.remove());

  it('refuses a second open while the first is open, and allows it after close', () => {
    const first = Library.open(home);
    const err = errorOf(() => Library.open(home));
    expect(err.code).toBe('LIBRARY_LOCKED');
    expect(err.message).toContain(home);
    first.close();
    Library.open(home).close();
  });

  it('refuses while another live process holds the lock', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      writeLockPid(home, child.pid!);
      const err = errorOf(() => Library.open(home));
      expect(err.code).toBe('LIBRARY_LOCKED');
      expect(err.message).toContain(`process ${child.pid}`);
      expect(fs.readFileSync(path.join(home, '.lock'), 'utf8').trim()).toBe(String(child.pid)); // untouched
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock (dead owner, garbage, or a dead earlier process with our pid)', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    for (const content of [`${child.pid}\n`, 'garbage', `${process.pid}\n`]) {
      fs.writeFileSync(path.join(home, '.lock'), content);
      const library = Library.open(home);
      expect(fs.readFileSync(path.join(home, '.lock'), 'utf8').trim()).toBe(String(process.pid));
      library.close();
    }
  });

  it('does not delete a lock another studio took over after ours', () => {
    const library = Library.open(home);
    writeLockPid(home, 1); // pid 1 is always alive
    library.close();
    expect(fs.readFileSync(path.join(home, '.lock'), 'utf8').trim()).toBe('1');
    expect(errorOf(() => Library.open(home)).code).toBe('LIBRARY_LOCKED');
  });
});
