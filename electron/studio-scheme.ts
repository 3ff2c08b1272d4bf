// Registers the studio:// scheme with Electron and routes it to studioResponse (studio-protocol.ts).
import { net, protocol } from 'electron';
import type { Studio } from '../main/studio.js';
import { STUDIO_SCHEME, studioResponse } from './studio-protocol.js';

/** Must run before app 'ready'. */
export function registerStudioScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: STUDIO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function handleStudioScheme(studio: Studio, rendererDir: string): void {
  protocol.handle(STUDIO_SCHEME, (request) =>
    studioResponse(request, {
      rendererDir,
      assetFilePath: (id, variant) => studio.library.assetFilePath(id, variant),
      fetchFile: (fileUrl) => net.fetch(fileUrl),
    }),
  );
}
