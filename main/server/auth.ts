// Local-only access. The console binds to loopback and every request must be addressed to a
// loopback name (Host check: DNS-rebinding defence). API calls and the WebSocket additionally
// need the per-launch token and must come from the console's own origin:
// - the token travels as the `x-samsa-token` header on API calls and as `?token=` on the
//   WebSocket URL (browsers cannot set headers there). Never in a cookie: cookies ignore ports,
//   so a page on any other loopback port would be handed the credential by the browser.
// - the origin must be exactly the one being asked (scheme, host and port); a page served from
//   another loopback port is another origin. Fetch Metadata (`Sec-Fetch-Site`) is checked too,
//   since browsers omit Origin on some no-cors GETs.
// The UI's own files (vite output: HTML, JS, CSS, icons) carry no data and are served without
// the token, so the first page load can read `?token=` itself and keep it in sessionStorage.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-samsa-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function splitHost(host: string | undefined): { name: string; port: number | null } | null {
  if (!host) return null;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return m ? { name: m[1], port: m[2] === undefined ? null : Number(m[2]) } : null;
}

/** Host header without port; IPv6 literals keep their brackets. */
export function hostName(host: string | undefined): string | null {
  return splitHost(host)?.name ?? null;
}

export function isLoopbackHost(host: string | undefined): boolean {
  const name = hostName(host);
  return name !== null && LOOPBACK.has(name);
}

/**
 * True when a browser-sent request comes from the console's own origin: `Origin` (when sent)
 * is exactly `http://<Host>` and Host names the server's own port, and `Sec-Fetch-Site` (when
 * sent) is same-origin or a typed-in address. Non-browser clients send neither header; the
 * token still guards them.
 */
export function isOwnOrigin(req: IncomingMessage, serverPort: number): boolean {
  const { origin, host } = req.headers;
  if (origin !== undefined) {
    const h = splitHost(host);
    if (!h || h.port !== serverPort || !LOOPBACK.has(h.name)) return false;
    if (origin.toLowerCase() !== `http://${h.name}:${h.port}`) return false;
  }
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API calls: the token header, nothing else. */
export function hasTokenHeader(req: IncomingMessage, token: string): boolean {
  const header = req.headers[TOKEN_HEADER];
  return typeof header === 'string' && same(header, token);
}

/** WebSocket upgrades: `?token=` (a browser cannot add headers to a WebSocket) or the header. */
export function hasStreamToken(req: IncomingMessage, url: URL, token: string): boolean {
  const query = url.searchParams.get('token');
  return hasTokenHeader(req, token) || (query !== null && same(query, token));
}

/** `application/json`, with or without parameters (charset). */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && value.split(';')[0].trim().toLowerCase() === 'application/json';
}
