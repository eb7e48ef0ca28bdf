// Preload for the sandboxed window: exposes only the console server URL and the launch token,
// read from the arguments the main process passed. Built to CommonJS (sandboxed preloads cannot
// be ES modules) by scripts/build-electron.mjs.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads are CommonJS
const { contextBridge } = require('electron') as {
  contextBridge: { exposeInMainWorld(key: string, api: Record<string, string>): void };
};

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '';

contextBridge.exposeInMainWorld('samsa', Object.freeze({ serverUrl: arg('samsa-server'), token: arg('samsa-token') }));
