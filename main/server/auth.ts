// Local-only access: the console binds to loopback, rejects requests whose Host is not a loopback
// name (DNS-rebinding defence) and requires the per-launch token on every request. The token
// arrives as the `x-samsa-token` header (API calls), as `?token=` on the first page load (which
// then sets an HttpOnly SameSite=Strict cookie so the page's own assets load), or as that cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-samsa-token';
export const TOKEN_COOKIE = 'samsa_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Host header without port; IPv6 literals keep their brackets. */
export function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return m ? m[1] : null;
}

export function isLoopbackHost(host: string | undefined): boolean {
  const name = hostName(host);
  return name !== null && LOOPBACK.has(name);
}

/** An Origin header, when present (browsers send it on WebSocket and cross-site requests), must be loopback too. */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (!origin) return true;
  if (origin === 'null') return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.host);
  } catch {
    return false;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

export type TokenSource = 'header' | 'query' | 'cookie';

/** Which credential carried a valid token, or null when none did. */
export function tokenSource(req: IncomingMessage, url: URL, token: string): TokenSource | null {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && same(header, token)) return 'header';
  const query = url.searchParams.get('token');
  if (query && same(query, token)) return 'query';
  const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (cookie && same(cookie, token)) return 'cookie';
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
