// The slice of Electron's API the main process uses, typed locally: electron is an optional
// dependency (absent on CI and servers), so the typecheck must not depend on its package.
// Also the one IPC channel between preload and main (its payload: contract/bridge.ts).

/** Preload → main: "give this window the console token". */
export const SESSION_CHANNEL = 'samsa:session';
export interface WebFrameLike {
  url: string;
}

export interface WebContentsLike {
  readonly mainFrame: WebFrameLike;
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' | 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', fn: (e: { preventDefault(): void }, url: string) => void): void;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  once(event: 'ready-to-show', fn: () => void): void;
}

export interface IpcMainInvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: WebFrameLike | null;
}

export interface ElectronApi {
  app: {
    requestSingleInstanceLock(): boolean;
    quit(): void;
    exit(code?: number): void;
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    isPackaged: boolean;
    on(event: 'second-instance' | 'window-all-closed' | 'activate', fn: () => void): void;
    on(event: 'before-quit', fn: (e: { preventDefault(): void }) => void): void;
    on(event: 'web-contents-created', fn: (e: unknown, contents: WebContentsLike) => void): void;
  };
  BrowserWindow: new (options: Record<string, unknown>) => BrowserWindowLike;
  ipcMain: { handle(channel: string, fn: (event: IpcMainInvokeEventLike) => unknown): void };
  shell: { openExternal(url: string): Promise<void> };
  safeStorage: {
    isEncryptionAvailable(): boolean;
    /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key. */
    getSelectedStorageBackend?(): string;
    encryptString(plain: string): Buffer;
    decryptString(sealed: Buffer): string;
  };
  session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived(
          fn: (
            details: { responseHeaders?: Record<string, string[]> },
            cb: (r: { responseHeaders: Record<string, string[]> }) => void,
          ) => void,
        ): void;
      };
      setPermissionRequestHandler(fn: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void): void;
      setPermissionCheckHandler(fn: (wc: unknown, permission: string) => boolean): void;
    };
  };
}
