// Serves the built renderer (vite output): hashed assets cached forever, index.html never cached
// and returned for any client-side route so deep links work after a reload.
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
  const isSpaRoute = !asset && !extname(rel);
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
