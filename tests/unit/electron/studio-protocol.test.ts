// The studio:// handler: what each request gets back, and that every response carries the Electron CSP (a custom
// scheme's headers are the only place a policy reaches its documents). Real Requests, a real library and renderer
// files on disk; Node's file reading stands in for Electron's net.fetch.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioResponse, type StudioFiles } from '../../../electron/studio-protocol.js';
import { ELECTRON_CSP } from '../../../main/transport/content-security-policy.js';
import { contentTypeOf } from '../../../main/transport/ws/content-types.js';
import { openLibraryFixture, type LibraryFixture } from '../library/library-fixture.js';
import { tempFolder } from '../../support/temp-home.js';

let fixture: LibraryFixture;
let renderer: ReturnType<typeof tempFolder>;
let files: StudioFiles;
let assetId: number;
const secret = 'library secret';

async function readFileResponse(fileUrl: string): Promise<Response> {
  const file = fileURLToPath(fileUrl);
  return new Response(await readFile(file), { headers: { 'Content-Type': contentTypeOf(file) } });
}

beforeAll(async () => {
  fixture = openLibraryFixture();
  const project = fixture.library.createProject('Pixels');
  assetId = (await fixture.addImage(project.id, 3)).asset.id;
  renderer = tempFolder('renderer');
  mkdirSync(path.join(renderer.path, 'assets'));
  writeFileSync(path.join(renderer.path, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  writeFileSync(path.join(renderer.path, 'assets', 'app.js'), 'console.log("app")');
  // A file beside the renderer folder, which no studio:// URL may reach.
  writeFileSync(path.join(path.dirname(renderer.path), `${path.basename(renderer.path)}-secret.txt`), secret);
  files = {
    rendererDir: renderer.path,
    assetFilePath: (id, variant) => fixture.library.assetFilePath(id, variant),
    fetchFile: readFileResponse,
  };
});
afterAll(() => {
  fixture.dispose();
  renderer.remove();
});

const get = (url: string, init?: RequestInit) => studioResponse(new Request(url, init), files);

describe('studio:// responses', () => {
  it('serves the app and its scripts, each with the Electron CSP', async () => {
    for (const url of ['studio://app/', 'studio://app/index.html']) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>GAN Studio</title>');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const script = await get('studio://app/assets/app.js');
    expect(await script.text()).toBe('console.log("app")');
    expect(script.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
  });

  it("serves an asset's pixels from the library", async () => {
    const full = await get(`studio://asset/${assetId}/full`);
    expect(full.status).toBe(200);
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.equals(await readFile(fixture.library.assetFilePath(assetId, 'full')))).toBe(true);
    expect(full.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
  });

  it('refuses what is not the app or an asset, also with the CSP on the refusal', async () => {
    const refusals: [string, number][] = [
      [`studio://app/..%2f${path.basename(renderer.path)}-secret.txt`, 403],
      ['studio://app/%E0%A4%A', 400],
      ['studio://app/missing.js', 404],
      [`studio://asset/${assetId}/raw`, 404],
      [`studio://asset/${assetId}/full/extra`, 404],
      ['studio://asset/999999/full', 404],
      ['studio://asset/1e3/full', 404],
      ['studio://other/index.html', 404],
    ];
    for (const [url, status] of refusals) {
      const response = await get(url);
      expect({ url, status: response.status }).toEqual({ url, status });
      expect(await response.text()).not.toContain(secret);
      expect(response.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
    }
    expect((await get('studio://app/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('the Electron CSP', () => {
  const directives = new Map(ELECTRON_CSP.split(';').map((d) => {
    const [name, ...sources] = d.trim().split(/\s+/);
    return [name!, sources];
  }));

  it('allows no connection beyond the app itself: IPC, not a WebSocket, carries the calls', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(ELECTRON_CSP).not.toMatch(/ws:|wss:|http:|https:|127\.0\.0\.1|localhost/);
  });

  it('runs only bundled scripts and cannot be framed, rebased or submit forms', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(directives.get(name)).toEqual(["'none'"]);
    expect(directives.get('img-src')).toContain('studio:');
  });
});
