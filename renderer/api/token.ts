// Where the renderer gets the per-launch token: Electron's preload bridge, or the `?token=` of
// the first page load (kept in sessionStorage for reloads, then removed from the address bar so
// it does not end up in bookmarks or screenshots).
declare global {
  interface Window {
    samsa?: { serverUrl: string; token: string };
  }
}

const KEY = 'samsa.token';

export function captureToken(): string | null {
  if (window.samsa?.token) return window.samsa.token;
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

let token: string | null = null;
export const getToken = () => (token ??= captureToken());
