// Electron shell: a hardened window on the studio:// renderer, the engine in a utilityProcess, IPC over the contract.
import { app, BrowserWindow, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { openStudio, type Studio } from '../main/studio.js';
import { utilityProcessSpawner } from './engine-spawner.js';
import { bindIpc } from './ipc.js';
import { APP_URL, STUDIO_SCHEME } from './studio-protocol.js';
import { handleStudioScheme, registerStudioScheme } from './studio-scheme.js';

const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));

registerStudioScheme();
app.enableSandbox();

// A second launch focuses the first window instead of fighting over the library lock.
const isFirstInstance = app.requestSingleInstanceLock();
if (!isFirstInstance) app.quit();

let studio: Studio | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#16171b',
    title: 'GAN Studio',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // Navigation away from the app and new windows are never allowed; http(s) links open in the system browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${STUDIO_SCHEME}://app/`)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(APP_URL);
  return window;
}

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(async () => {
  if (!isFirstInstance) return;
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  studio = await openStudio({ engineSpawner: utilityProcessSpawner });
  handleStudioScheme(studio, rendererDir);
  const window = createWindow();
  const unbind = bindIpc(studio, window);
  window.on('closed', unbind);
}).catch((err: unknown) => {
  console.error('GAN Studio failed to start:', err);
  app.exit(1);
});

app.on('window-all-closed', () => {
  void (studio?.close() ?? Promise.resolve()).finally(() => app.quit());
});
