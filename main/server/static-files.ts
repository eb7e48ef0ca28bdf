// Serves the built renderer (vite output): hashed assets cached forever, index.html never cached
// and returned for any client-side route so deep links work after a reload, topic names with
// dots included.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes (virtualized rows, charts), which CSP counts as inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function fileIfExists(path: string): string | null {
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * A path that is no file is a client-side route (index.html) unless it is under /assets/ (a
 * missing hashed chunk must fail, not turn into HTML) or looks like a file (has an extension)
 * and is not a page navigation: `/topics/web.clicks` opened or reloaded in the browser is a
 * route even though ".clicks" looks like an extension.
 */
function isClientRoute(rel: string, req: IncomingMessage): boolean {
  if (rel.startsWith('/assets/')) return false;
  if (!extname(rel)) return true;
  return req.headers['sec-fetch-dest'] === 'document' || /\btext\/html\b/.test(req.headers.accept ?? '');
}

export function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse, host: string): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    rel = pathname;
  }
  const target = normalize(join(root, rel));
  const inside = target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
  const asset = inside && rel !== '/' ? fileIfExists(target) : null;
  const isSpaRoute = !asset && isClientRoute(rel, req);
  const file = asset ?? (isSpaRoute ? fileIfExists(join(root, 'index.html')) : null);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(isSpaRoute ? 'The console UI is not built. Run `npm run build`.' : 'Not found');
    return;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const isHtml = type.startsWith('text/html');
  res.writeHead(200, {
    'content-type': type,
    'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    ...(isHtml ? { 'content-security-policy': contentSecurityPolicy(host), 'referrer-policy': 'no-referrer' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline, not pipe: a read error (file replaced by a rebuild) or a client gone mid-file
  // must end this response, not the process.
  pipeline(createReadStream(file), res, () => {});
}
