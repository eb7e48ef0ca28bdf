// The node's metrics endpoint: Prometheus text on GET /metrics, on loopback only. Anything else
// gets a short plain-text error (404 for another path, 405 for another method on /metrics, 403
// for a Host header that is not a loopback name, so a web page cannot read it through DNS
// rebinding). A failing scrape answers 500 and is logged; nothing here can take the node down.
// Keep-alive connections are kept, so a collector sampling every second reuses one socket.
// The same port serves the committed metadata log as JSON on GET /metadata/records
// (metadata-route.ts), for the console's timeline; it is Samsa's own, not a Kafka endpoint.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MetadataLogView } from '../metadata/metadata-feed.ts';
import type { Exposition } from './exposition.ts';
import { METADATA_RECORDS_PATH, serveMetadataRecords } from './metadata-route.ts';

export const METRICS_HOST = '127.0.0.1';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function hostAllowed(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients send none
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return LOOPBACK_NAMES.has(name.toLowerCase());
}

function reply(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

export function startMetricsServer(
  exposition: Exposition,
  port: number,
  log: (msg: string) => void,
  metadataLog?: MetadataLogView,
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (!hostAllowed(req.headers.host))
      return reply(res, 403, `forbidden: Host ${req.headers.host} is not a loopback name\n`);
    if (path === METADATA_RECORDS_PATH)
      return serveMetadataRecords(metadataLog, new URL(req.url ?? '/', 'http://localhost'), req, (...a) => reply(res, ...a));
    if (path !== '/metrics') return reply(res, 404, 'not found: the metrics are at GET /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reply(res, 405, `method ${req.method} not allowed: use GET /metrics\n`, { allow: 'GET, HEAD' });
    exposition.scrape().then(
      (text) => {
        res.writeHead(200, { 'content-type': exposition.contentType, 'content-length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (e: Error) => {
        log(`metrics: scrape failed: ${e.stack ?? e}`);
        if (!res.headersSent) reply(res, 500, `scrape failed: ${e.message}\n`);
        else res.destroy();
      },
    );
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, METRICS_HOST, () => {
      server.off('error', reject);
      server.on('error', (e) => log(`metrics: server error: ${e.message}`));
      const actual = (server.address() as AddressInfo).port;
      resolve({
        port: actual,
        url: `http://${METRICS_HOST}:${actual}/metrics`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
