// The console server: plain node:http + ws on 127.0.0.1 and a free port. The same server backs
// the browser (`samsa serve`) and Electron. Order of checks: loopback Host on every request;
// the UI's static files need nothing more; API calls and the stream socket then need the
// console's own origin and the token (see auth.ts), and request bodies must be JSON. Errors
// always leave as `{ error: { code, message } }`; no request can end the process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { hasStreamToken, hasTokenHeader, isJsonContentType, isLoopbackHost, isOwnOrigin, newToken } from './auth.ts';
import { clusterRoutes } from './cluster.ts';
import { BundledCluster, type ControlCaller } from './cluster-control.ts';
import { clusterControlRoutes } from './cluster-control-routes.ts';
import type { ServerContext } from './context.ts';
import { bundledFailoverDemo, failoverDemoRoutes } from './failover-demo-routes.ts';
import { groupRoutes } from './groups.ts';
import { securityRoutes } from './security.ts';
import { transactionRoutes } from './transactions.ts';
import { errorReply } from './error-reply.ts';
import { readJson, sendError, sendJson } from './http-utils.ts';
import { messageRoutes } from './messages.ts';
import { metricsRoutes } from './metrics.ts';
import { MetricsHub, type MetricsHubOptions } from './metrics-hub.ts';
import { targetsFromNodes, type MetricsTargets } from './metrics-targets.ts';
import { Router } from './router.ts';
import { serveStatic } from './static-files.ts';
import { StreamServer } from './streams.ts';
import { topicRoutes } from './topics.ts';
import { ProducerLab } from './workloads/producer-lab.ts';
import { GroupMembers } from './workloads/group-members.ts';
import { WorkloadRunner } from './workloads/runner.ts';
import { workloadRoutes } from './workloads/routes.ts';

export const STREAM_PATH = '/api/stream';

export interface ConsoleServerOptions {
  registry: ClusterRegistry;
  /** Folder with the built renderer; null = API only (tests). */
  staticDir: string | null;
  token?: string;
  port?: number;
  version?: string;
  log?: (line: string) => void;
  /** The bundled cluster's supervisor (ControlClient.open(dataDir)): node actions, events, replica map,
   *  and where its nodes serve /metrics. */
  control?: ControlCaller | null;
  /** Where the bundled cluster's nodes serve /metrics when there is no `control` (a supervisor in
   *  this process, metrics-targets.ts); neither: its metrics are read over Kafka. */
  metricsTargets?: MetricsTargets | null;
  /** See MetricsHubOptions.seed (benchmarks only). */
  metricsSeed?: MetricsHubOptions['seed'];
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
  clusterControlRoutes(router, ctx);
  failoverDemoRoutes(router, ctx);
  workloadRoutes(router, ctx);
  transactionRoutes(router, ctx);
  securityRoutes(router, ctx);
  metricsRoutes(router, ctx);
  return router;
}

/** null for a request target that is not a URL at all (`GET http://[ HTTP/1.1`). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = opts.token ?? newToken();
  const log = opts.log ?? (() => {});
  const bundled = opts.control && opts.registry.bundledId ? new BundledCluster(opts.control, log) : null;
  bundled?.start();
  // One reader of the supervisor: the collector scrapes the nodes the Cluster screen lists.
  const bundledTargets = bundled ? targetsFromNodes(() => bundled.nodes) : (opts.metricsTargets ?? null);
  const metrics = new MetricsHub(opts.registry, { bundledTargets, log, seed: opts.metricsSeed });
  if (bundled && opts.registry.bundledId) bundled.followMetrics(metrics.collector(opts.registry.bundledId));
  const failoverDemo = bundled ? bundledFailoverDemo(opts.registry, bundled, log) : null;
  const workloads = new WorkloadRunner({ connection: (id) => opts.registry.connection(id), metrics: (id) => metrics.collector(id), log });
  const producerLab = new ProducerLab({ connection: (id) => opts.registry.connection(id), log });
  const groupMembers = new GroupMembers({ connection: (id) => opts.registry.connection(id), log });
  const ctx: ServerContext = { registry: opts.registry, metrics, version: opts.version ?? '0.1.0', bundled, failoverDemo, workloads, producerLab, groupMembers };
  const router = buildRouter(ctx);
  const streams = new StreamServer(ctx, log);
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    if (!isLoopbackHost(host)) return sendError(res, 403, 'FORBIDDEN_HOST', 'The console only answers requests addressed to 127.0.0.1 or localhost');
    const url = requestUrl(req);
    if (!url) return sendError(res, 400, 'BAD_REQUEST', 'Malformed request URL');
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      if (!opts.staticDir) return sendError(res, 404, 'NOT_FOUND', 'No UI is served by this instance');
      return serveStatic(opts.staticDir, url.pathname, req, res, host!);
    }
    if (!isOwnOrigin(req, port)) return sendError(res, 403, 'FORBIDDEN_ORIGIN', 'The console API only answers its own pages');
    if (!hasTokenHeader(req, token)) return sendError(res, 401, 'UNAUTHORIZED', 'Missing or wrong console token');
    const found = router.match(req.method ?? 'GET', url.pathname);
    if (found === null) return sendError(res, 404, 'NOT_FOUND', `No route ${url.pathname}`);
    if (found === 'method') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
    let body: unknown;
    if (BODY_METHODS.has(req.method ?? '')) {
      if (!isJsonContentType(req.headers['content-type'])) {
        return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be sent as application/json');
      }
      body = await readJson(req);
    }
    const result = await router.run(found.route, found.params, body, url.searchParams);
    sendJson(res, 200, result);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const { status, body } = errorReply(err, log, `${req.method} ${req.url?.split('?')[0]}`);
      if (!res.headersSent && !res.destroyed) sendJson(res, status, body);
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // From here the socket is ours: without a listener a reset during the handshake would throw.
    socket.on('error', () => socket.destroy());
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    try {
      const url = requestUrl(req);
      if (!isLoopbackHost(req.headers.host)) return reject(403, 'Forbidden');
      if (url?.pathname !== STREAM_PATH) return reject(404, 'Not Found');
      if (!isOwnOrigin(req, port)) return reject(403, 'Forbidden');
      if (!hasStreamToken(req, url, token)) return reject(401, 'Unauthorized');
      streams.accept(req, socket, head);
    } catch (err) {
      errorReply(err, log, 'stream upgrade');
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((err: unknown) => {
    bundled?.close();
    metrics.close();
    throw err;
  });
  server.on('error', (err) => log(`console server: ${err.message}`));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    pageUrl: `${url}/?token=${encodeURIComponent(token)}`,
    close: async () => {
      await Promise.all([failoverDemo?.stop(), workloads.stopAll(), producerLab.stopAll(), groupMembers.stopAll()]);
      bundled?.close();
      streams.close();
      metrics.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
