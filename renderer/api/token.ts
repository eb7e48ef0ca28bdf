// Where the renderer gets the per-launch token: from the desktop app's main process over the
// preload bridge (never from the command line), or from the `?token=` of the first page load in
// a browser (kept in sessionStorage for reloads, then removed from the address bar so it does
// not end up in bookmarks, history or screenshots). loadToken() runs once before the app mounts.
import { BridgeSessionSchema, type SamsaBridge } from '../../main/contract/index.ts';

declare global {
  interface Window {
    samsa?: SamsaBridge;
  }
}

const KEY = 'samsa.token';

function fromAddressBar(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY);
}

async function fromDesktopApp(bridge: SamsaBridge): Promise<string | null> {
  const parsed = BridgeSessionSchema.safeParse(await bridge.session().catch(() => null));
  return parsed.success ? parsed.data.token : null;
}

let token: string | null = null;

export async function loadToken(): Promise<void> {
  token = window.samsa ? await fromDesktopApp(window.samsa) : fromAddressBar();
}

export const getToken = () => token;
