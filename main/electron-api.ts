// The slice of Electron's API the main process uses, typed locally: electron is an optional
// dependency (absent on CI and servers), so the typecheck must not depend on its package.
export interface BrowserWindowLike {
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  once(event: 'ready-to-show', fn: () => void): void;
}

export interface WebContentsLike {
  setWindowOpenHandler(fn: (d: { url: string }) => { action: 'deny' | 'allow' }): void;
  on(event: 'will-navigate', fn: (e: { preventDefault(): void }, url: string) => void): void;
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
  shell: { openExternal(url: string): Promise<void> };
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
    };
  };
}
