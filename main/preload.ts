// Preload for the sandboxed window: exposes one function, session(), which asks the main
// process for the launch token over IPC (main answers only our window's top frame on the
// console's origin). Nothing is read from process.argv: a token on the command line is visible
// to every local user. Built to CommonJS (sandboxed preloads cannot be ES modules) by
// scripts/build-electron.mjs.
import type { SamsaBridge } from './contract/bridge.ts';
import { SESSION_CHANNEL } from './electron-api.ts';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads are CommonJS
const { contextBridge, ipcRenderer } = require('electron') as {
  contextBridge: { exposeInMainWorld(key: string, api: SamsaBridge): void };
  ipcRenderer: { invoke(channel: string): Promise<unknown> };
};

contextBridge.exposeInMainWorld('samsa', Object.freeze({ session: () => ipcRenderer.invoke(SESSION_CHANNEL) }));
