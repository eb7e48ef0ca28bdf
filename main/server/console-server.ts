// The console server: plain node:http + ws on 127.0.0.1 and a free port. The same server backs
// the browser (`samsa serve`) and Electron. Order of checks on every request: loopback Host,
// then token, then route. Errors always leave as `{ error: { code, message } }`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { toErrorBody } from '../kafka/errors.ts';
import { isAllowedOrigin, isLoopbackHost, newToken, tokenCookie, tokenSource } from './auth.ts';
import { clusterRoutes } from './cluster.ts';
import type { ServerContext } from './context.ts';
import { groupRoutes } from './groups.ts';
import { readJson, sendError, sendJson } from './http-utils.ts';
import { messageRoutes } from './messages.ts';
import { Router } from './router.ts';
import { serveStatic } from './static-files.ts';
import { handleStreamSocket } from './streams.ts';
import { topicRoutes } from './topics.ts';

export const STREAM_PATH = '/api/stream';

export interface ConsoleServerOptions {
  registry: ClusterRegistry;
  /** Folder with the built renderer; null = API only (tests). */
  staticDir: string | null;
  token?: string;
  port?: number;
  version?: string;
  log?: (line: string) => void;
}

export interface ConsoleServer {
  url: string;
  port: number;
  token: string;
  /** URL that opens the UI and hands it the token. */
  pageUrl: string;
  close(): Promise<void>;
}

export function buildRouter(ctx: ServerContext): Router {
  const router = new Router();
  clusterRoutes(router, ctx);
  topicRoutes(router, ctx);
  messageRoutes(router, ctx);
  groupRoutes(router, ctx);
  return router;
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>Samsa</title>
<body style="font-family:system-ui;margin:4rem;color:#333"><h1>Samsa console</h1>
<p>This page needs the link printed by <code>samsa serve</code> (it carries a per-launch token).</p></body>`;

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = opts.token ?? newToken();
  const ctx: ServerContext = { registry: opts.registry, version: opts.version ?? '0.1.0' };
  const router = buildRouter(ctx);
  const log = opts.log ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    if (!isLoopbackHost(host)) return sendError(res, 403, 'FORBIDDEN_HOST', 'The console only answers requests addressed to 127.0.0.1 or localhost');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const source = tokenSource(req, url, token);
    const isApi = url.pathname.startsWith('/api/');
    if (!source || !isAllowedOrigin(req.headers.origin)) {
      if (isApi) return sendError(res, 401, 'UNAUTHORIZED', 'Missing or wrong console token');
      res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(UNAUTHORIZED_PAGE);
    }
    if (!isApi) {
      if (!opts.staticDir) return sendError(res, 404, 'NOT_FOUND', 'No UI is served by this instance');
      // First load with ?token=: keep it in an HttpOnly cookie so the page's own assets load.
      const extra: Record<string, string> = source === 'query' ? { 'set-cookie': tokenCookie(token) } : {};
      return serveStatic(opts.staticDir, url.pathname, res, host!, extra);
    }
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (found === null) return sendError(res, 404, 'NOT_FOUND', `No route ${url.pathname}`);
    if (found === 'method') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readJson(req);
    const result = await router.run(found.route, found.params, body);
    sendJson(res, 200, result);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const { status, body } = toErrorBody(err);
      if (status >= 500) log(`${req.method} ${req.url?.split('?')[0]}: ${body.error.code} ${body.error.message}`);
      if (!res.headersSent) sendJson(res, status, body);
      else res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!isLoopbackHost(req.headers.host)) return reject(403, 'Forbidden');
    if (!isAllowedOrigin(req.headers.origin)) return reject(403, 'Forbidden');
    if (url.pathname !== STREAM_PATH) return reject(404, 'Not Found');
    if (!tokenSource(req, url, token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => handleStreamSocket(ws, ctx));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    pageUrl: `${url}/?token=${encodeURIComponent(token)}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
