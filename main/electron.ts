// Electron entry: one instance per user, starts the bundled cluster (supervisor) and the console
// server on a free loopback port, and opens a locked-down window on it (context isolation,
// sandbox, no Node in the page, CSP, no navigation away, no new windows). Quitting stops the
// nodes before the process exits.
import { join } from 'node:path';
import { defaultDataDir } from '../broker/supervisor/data-dir.ts';
import { runCluster } from '../broker/supervisor/run-cluster.ts';
import type { BrowserWindowLike, ElectronApi } from './electron-api.ts';
import { startConsoleProcess, type ConsoleProcess } from './console-process.ts';
import { REPO_ROOT, RENDERER_OUT, ensureRendererBuilt, rendererIsFresh } from './server/renderer-build.ts';
import { contentSecurityPolicy } from './server/static-files.ts';

const { app, BrowserWindow, shell, session } = (await import('electron' as string)) as ElectronApi;

let window: BrowserWindowLike | null = null;
let server: ConsoleProcess | null = null;
let stopCluster: () => Promise<void> = async () => {};

async function start(): Promise<void> {
  // The same bundled cluster as `samsa serve` (3 nodes, control endpoint for `samsa node ...`).
  const { cluster, stop } = await runCluster({ nodes: 3, basePort: 9092, dataDir: defaultDataDir('cluster'), host: '127.0.0.1' }, console.log);
  stopCluster = stop;
  const staticDir = app.isPackaged || rendererIsFresh() ? RENDERER_OUT : await ensureRendererBuilt();
  // The console server runs as a child process of this one, restarted if it crashes (see console-process.ts).
  const bundled = { bootstrap: cluster.bootstrap.split(','), bundledName: 'Local cluster', controlDataDir: cluster.dataDir };
  server = await startConsoleProcess({ ...bundled, appDataDir: app.getPath('userData'), staticDir }, console.log);
  const origin = server.url;
  console.log(`console: ${server.pageUrl}`);

  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(new URL(origin).host)] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));

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
      additionalArguments: [`--samsa-server=${origin}`, `--samsa-token=${server.token}`],
    },
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(server.pageUrl);
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
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (e, url) => {
      if (!server || new URL(url).origin !== server.url) e.preventDefault();
    });
  });
  app.on('window-all-closed', () => app.quit());
  let stopping = false;
  app.on('before-quit', (e) => {
    if (stopping) return;
    stopping = true;
    e.preventDefault();
    void (async () => {
      await server?.close().catch(() => {});
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
