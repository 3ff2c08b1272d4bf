// The studio:// scheme: serves the built renderer (studio://app/…) and asset pixels (studio://asset/<id>/<variant>)
// from disk, so the window never loads http and images never cross IPC as bytes.
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetVariant } from '../main/api/contract.js';
import type { Studio } from '../main/studio.js';

export const STUDIO_SCHEME = 'studio';
export const APP_URL = `${STUDIO_SCHEME}://app/index.html`;

/** Must run before app 'ready'. */
export function registerStudioScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: STUDIO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function handleStudioScheme(studio: Studio, rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(STUDIO_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host === 'asset') {
      const [, id, variant] = url.pathname.split('/');
      const parsed = AssetVariant.safeParse(variant);
      if (!parsed.success || !/^\d+$/.test(id ?? '')) return new Response('Not found', { status: 404 });
      try {
        return net.fetch(pathToFileURL(studio.library.assetFilePath(Number(id), parsed.data)).toString());
      } catch {
        return new Response('Not found', { status: 404 });
      }
    }
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const file = path.resolve(root, decodeURIComponent(url.pathname.slice(1)) || 'index.html');
    if (!file.startsWith(root + path.sep)) return new Response('Forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
