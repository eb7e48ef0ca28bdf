// Electron entry: one instance per user, starts the bundled cluster (supervisor) and the console
// server on a free loopback port, and opens a locked-down window on it (context isolation,
// sandbox, no Node in the page, CSP, no navigation away, no new windows, no permissions).
// The launch token never appears on a command line (any local user can read
// /proc/<pid>/cmdline): the window loads the bare console URL and its preload asks for the
// token over IPC, which answers only the window's own main frame on the console's origin.
// External links open in the system browser only when the app itself renders them
// (main/contract/external-links.ts). Remote-cluster passwords are sealed with safeStorage.
// Quitting stops the nodes before the process exits.
// Unlike `samsa serve`, the console server runs inside this main process (not as a supervised
// child, main/console-process.ts): the token handover and safeStorage live here. Its request
// handlers cannot end the process (console-server.ts), and if the main process dies anyway the
// nodes stop cleanly with it (their IPC channel closes); none is left orphaned.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { ControlClient } from '../broker/supervisor/control-client.ts';
import { defaultDataDir } from '../broker/supervisor/data-dir.ts';
import { runCluster } from '../broker/supervisor/run-cluster.ts';
import { isAppExternalLink, type BridgeSession } from './contract/index.ts';
import { SESSION_CHANNEL, type BrowserWindowLike, type ElectronApi, type IpcMainInvokeEventLike } from './electron-api.ts';
import { ClusterRegistry } from './kafka/cluster-registry.ts';
import { safeStorageSecrets } from './kafka/secret-store.ts';
import { startConsoleServer, type ConsoleServer } from './server/console-server.ts';
import { REPO_ROOT, RENDERER_OUT, ensureRendererBuilt, rendererIsFresh } from './server/renderer-build.ts';
import { contentSecurityPolicy } from './server/static-files.ts';

const { app, BrowserWindow, ipcMain, shell, safeStorage, session } = (await import('electron' as string)) as ElectronApi;

let window: BrowserWindowLike | null = null;
let server: ConsoleServer | null = null;
let registry: ClusterRegistry | null = null;
let stopCluster: () => Promise<void> = async () => {};

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

/** Only our window's top frame, showing the console itself, may have the token. */
function handOverToken(e: IpcMainInvokeEventLike): BridgeSession {
  const ok = server && window && e.sender === window.webContents && e.senderFrame === e.sender.mainFrame && originOf(e.senderFrame?.url) === server.url;
  if (!ok) throw new Error('refused');
  return { token: server!.token };
}

function openIfOurs(url: string): void {
  if (isAppExternalLink(url)) void shell.openExternal(url);
}

async function start(): Promise<void> {
  // The same bundled cluster as `samsa serve` (3 nodes, control endpoint for `samsa node ...`).
  const dataDir = defaultDataDir('cluster');
  const { cluster, stop } = await runCluster({ nodes: 3, basePort: 9092, dataDir, host: '127.0.0.1' }, console.log);
  stopCluster = stop;
  const staticDir = app.isPackaged || rendererIsFresh() ? RENDERER_OUT : await ensureRendererBuilt();
  const userData = app.getPath('userData');
  chmodSync(userData, 0o700);
  registry = new ClusterRegistry({ appDataDir: userData, bundledBootstrap: cluster.bootstrap.split(','), secrets: safeStorageSecrets(safeStorage) });
  server = await startConsoleServer({ registry, staticDir, log: (line) => console.error(line), control: ControlClient.open(dataDir) });
  const origin = server.url;
  console.log(`console: ${server.url}`);

  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(new URL(origin).host)] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  ipcMain.handle(SESSION_CHANNEL, handOverToken);

  window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Samsa',
    icon: join(REPO_ROOT, 'assets', 'icon.png'),
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(REPO_ROOT, 'dist', 'main', 'preload.cjs'),
    },
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(`${origin}/`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openIfOurs(url);
      return { action: 'deny' };
    });
    const stayHome = (e: { preventDefault(): void }, url: string) => {
      if (server && originOf(url) === server.url) return;
      e.preventDefault();
      openIfOurs(url);
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
  });
  app.on('window-all-closed', () => app.quit());
  let stopping = false;
  app.on('before-quit', (e) => {
    if (stopping) return;
    stopping = true;
    e.preventDefault();
    void (async () => {
      await server?.close().catch(() => {});
      await registry?.close().catch(() => {});
      await stopCluster().catch(() => {});
      app.exit(0);
    })();
  });
  await app.whenReady();
  start().catch(async (err) => {
    console.error(`samsa: ${(err as Error).message}`);
    await stopCluster().catch(() => {});
    app.exit(1);
  });
}
