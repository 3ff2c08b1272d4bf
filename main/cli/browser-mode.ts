// Runs the studio in browser-window mode: back end plus the loopback server, and opens a browser if it can.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startBrowserServer } from '../transport/ws/server.js';
import { openStudio } from '../studio.js';

export function builtRendererDir(): string {
  // dist/main/cli → dist/renderer; main/cli (source) → dist/renderer
  const fromDist = fileURLToPath(new URL('../../renderer', import.meta.url));
  if (import.meta.url.includes('/dist/') && existsSync(fromDist)) return fromDist;
  return fileURLToPath(new URL('../../dist/renderer', import.meta.url));
}

function openBrowser(url: string): void {
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
  if (!hasDisplay) return;
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined); // no opener installed: the printed URL is enough
  child.unref();
}

export async function serveBrowserMode(options: { home?: string; port: number; open: boolean }): Promise<void> {
  const rendererDir = builtRendererDir();
  if (!existsSync(rendererDir)) throw new Error(`The renderer is not built (${rendererDir} is missing). Run "npm run build".`);
  const studio = await openStudio(options.home ? { home: options.home } : {});
  const server = await startBrowserServer(studio, { rendererDir, port: options.port });
  console.log(`GAN Studio is running in browser-window mode (library: ${studio.library.home}).`);
  console.log(`Open: ${server.url}`);
  console.log(`Engine: ${studio.engine.info().backend?.device ?? 'starting'} · Press Ctrl+C to quit.`);
  if (options.open) openBrowser(server.url);
  const shutdown = async () => {
    await server.close();
    await studio.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
