// The studio:// scheme: serves the built renderer (studio://app/…) and asset pixels (studio://asset/<id>/<variant>)
// from disk, so the window never loads http and images never cross IPC as bytes. The request → Response logic is
// plain (no electron import) so tests call it with a real Request; Electron's registration is in studio-scheme.ts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetVariant } from '../main/api/contract.js';
import { ELECTRON_CSP } from '../main/transport/content-security-policy.js';

export const STUDIO_SCHEME = 'studio';
export const APP_ORIGIN = `${STUDIO_SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export interface StudioFiles {
  /** The built renderer folder (dist/renderer). */
  rendererDir: string;
  /** The file of an asset's variant; throws when there is none. */
  assetFilePath(id: number, variant: AssetVariant): string;
  /** Reads a file:// URL (Electron: net.fetch, which streams and sets the content type). */
  fetchFile(fileUrl: string): Promise<Response>;
}

/**
 * Every response carries the CSP: Electron applies webRequest.onHeadersReceived to http(s) only, so a custom
 * scheme's document is governed by the headers its handler returns, and by nothing else.
 */
function withSecurityHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', ELECTRON_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  // A fetched Response's headers are immutable, hence a new Response around the same body.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fetchOr404(files: StudioFiles, file: string): Promise<Response> {
  try {
    return await files.fetchFile(pathToFileURL(file).toString());
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

async function route(request: Request, files: StudioFiles): Promise<Response> {
  const url = new URL(request.url);
  if (url.protocol !== `${STUDIO_SCHEME}:`) return new Response('Not found', { status: 404 });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  if (url.host === 'asset') {
    const [, id, variant, ...rest] = url.pathname.split('/');
    const parsed = AssetVariant.safeParse(variant);
    if (!parsed.success || !/^\d+$/.test(id ?? '') || rest.length > 0) return new Response('Not found', { status: 404 });
    let file: string;
    try {
      file = files.assetFilePath(Number(id), parsed.data);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    return fetchOr404(files, file);
  }
  if (url.host !== 'app') return new Response('Not found', { status: 404 });
  const root = path.resolve(files.rendererDir);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname.slice(1)) || 'index.html';
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) return new Response('Forbidden', { status: 403 });
  return fetchOr404(files, file);
}

/** The studio:// handler: one request in, one response out, each with the security headers. */
export async function studioResponse(request: Request, files: StudioFiles): Promise<Response> {
  return withSecurityHeaders(await route(request, files));
}
