// Electron shell: a hardened window on the studio:// renderer, the engine in a utilityProcess, IPC over the contract.
import { app, BrowserWindow, dialog, session, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { openStudio, type Studio } from '../main/studio.js';
import { utilityProcessSpawner, utilityProcessTrialSpawner } from './engine-spawner.js';
import { bindIpc } from './ipc.js';
import { probeAdapterInUtilityProcess, probeEnv } from './webgpu-probe.js';
import { findSqliteBinding, sqliteBindingPath } from './native-addons.js';
import { APP_URL } from './studio-protocol.js';
import { handleStudioScheme, registerStudioScheme } from './studio-scheme.js';
import { isAllowedExternal, isAllowedNavigation, isAllowedPermission } from './window-policy.js';

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
      // DevTools while developing (`npm start`), never in a package.
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}

/** Every web contents (the window and anything it could create) stays on the app's pages. */
function guardContents(contents: WebContents): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-redirect', (event) => refuseNavigation(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No new windows; an allowlisted https link opens in the system browser (window-policy.ts).
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

app.on('web-contents-created', (_event, contents) => guardContents(contents));

app.whenReady().then(async () => {
  if (!isFirstInstance) return;
  const permissions = session.defaultSession;
  permissions.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin));
  permissions.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isAllowedPermission(permission, details.requestingUrl)),
  );
  permissions.setDevicePermissionHandler(() => false);
  // better-sqlite3 must be Electron's ABI build (scripts/electron-abi.js); node_modules' is Node's.
  const sqliteBinding = findSqliteBinding();
  if (!sqliteBinding) {
    dialog.showErrorBox(
      'GAN Studio cannot open its library',
      `better-sqlite3 was not built for this Electron (ABI ${process.versions.modules}): ${sqliteBindingPath()} is missing. ` +
        'Run `npm start`, which builds it, or package with `npm run dist`.',
    );
    app.exit(1);
    return;
  }
  // Probed once per launch, here: a package cannot start its binary as Node for the engine's own probe (fuses).
  const webgpu = await probeAdapterInUtilityProcess();
  studio = await openStudio({ engineSpawner: utilityProcessSpawner(probeEnv(webgpu)), trialSpawner: utilityProcessTrialSpawner, sqliteBinding });
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
