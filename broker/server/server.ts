// A Kafka listener of the node: the broker listener (clients, follower fetches) or the
// controller listener (the metadata quorum's Raft traffic, broker registrations and heartbeats,
// AlterPartition and forwarded admin requests; Kafka's CONTROLLER listener of
// controller.listener.names). Which APIs each serves comes from the schemas (dispatch.ts).
// Connection limits as Kafka's: beyond max.connections open connections, or
// max.connections.per.ip from one address, a new connection is closed at once (logged once a
// second at most). Every connection of the node's listeners reserves request bytes from one
// shared budget (queued.max.request.bytes, request-budget.ts).
// Deviations from Kafka: when max.connections is reached Kafka's acceptor waits for a slot (and
// may close an idle connection of another listener); here the new connection is closed. Each
// listener counts its own connections (Kafka's limit is broker-wide with the inter-broker
// listener exempt), so clients filling the broker listener never lock the quorum out.
// With metrics on, the broker listener's connections are counted (socket-server-metrics,
// labelled with the listener's security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL);
// requests are counted on both listeners.
// With SASL on (--sasl-inter-broker-password-file) the broker listener is SASL_PLAINTEXT: every
// connection gets its own SASL state (connection.ts). The controller listener stays on loopback
// without TLS; with SASL it is SASL_PLAINTEXT, PLAIN for the inter-broker user only
// (docs/decisions/0017).
// With TLS on (--tls-cert-file ...) the broker listener is SSL, or SASL_SSL with SASL: each
// accepted connection counts against the limits at once, then must finish its TLS handshake
// within request.read.timeout.ms before any Kafka frame is read; a failed handshake (a client
// that does not trust the CA, plaintext bytes) is logged, at most once a second, and closed
// (docs/decisions/0016). Deviation from Kafka: TLS 1.2 and 1.3 only, Node's default ciphers.

import net from 'node:net';
import { nodeTls } from '../lazy-builtins.ts';
import type { Broker } from '../broker.ts';
import type { NodeMeters } from '../metrics/meters.ts';
import { serveConnection, type ConnectionLimits } from './connection.ts';
import type { Listener } from './dispatch.ts';
import { RequestBudget } from './request-budget.ts';

export interface KafkaServer {
  server: net.Server;
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** Default: the broker listener on the node's host and port. */
  listener?: Listener;
  host?: string;
  port?: number;
  /** The node's request budget, shared by its listeners; default: one of its own. */
  budget?: RequestBudget;
}

export function startKafkaServer(
  broker: Broker,
  log: (msg: string) => void,
  meters?: NodeMeters,
  opts: ListenerOptions = {},
): Promise<KafkaServer> {
  const cfg = broker.config;
  const listener = opts.listener ?? 'broker';
  const ownBudget = opts.budget ? undefined : new RequestBudget(cfg.queuedMaxRequestBytes);
  const limits: ConnectionLimits = {
    budget: opts.budget ?? ownBudget!,
    socketRequestMaxBytes: cfg.socketRequestMaxBytes,
    connectionsMaxIdleMs: cfg.connectionsMaxIdleMs,
    requestReadTimeoutMs: cfg.requestReadTimeoutMs,
  };
  const countConnections = listener === 'broker' ? meters : undefined;
  const sockets = new Set<net.Socket>();
  const perIp = new Map<string, number>();
  const throttledLog = () => {
    let last = 0;
    return (msg: string) => {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      log(msg);
    };
  };
  const logRefusal = throttledLog();
  const logHandshake = throttledLog();
  const refuse = (socket: net.Socket, why: string) => {
    logRefusal(`refusing a connection from ${socket.remoteAddress} on the ${listener} listener: ${why}`);
    socket.on('error', () => {});
    socket.destroy();
  };
  const secureContext = listener === 'broker' && cfg.tls ? nodeTls().createSecureContext({ cert: cfg.tls.cert, key: cfg.tls.key, minVersion: 'TLSv1.2' }) : undefined;
  const serve = (socket: net.Socket) => {
    if (!secureContext) return serveConnection(socket, broker, listener, limits, log, meters);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const secured = new (nodeTls().TLSSocket)(socket, { isServer: true, secureContext });
    const fail = (why: string) => {
      logHandshake(`TLS handshake with ${peer} failed: ${why}`);
      secured.destroy();
    };
    const timer = setTimeout(() => fail(`not done within request.read.timeout.ms (${cfg.requestReadTimeoutMs} ms)`), cfg.requestReadTimeoutMs);
    timer.unref();
    const onError = (e: Error) => fail(e.message);
    secured.on('error', onError);
    secured.once('secure', () => {
      clearTimeout(timer);
      secured.off('error', onError);
      serveConnection(secured, broker, listener, limits, log, meters);
    });
    secured.once('close', () => clearTimeout(timer));
  };
  const server = net.createServer((socket) => {
    const ip = socket.remoteAddress ?? '';
    if (sockets.size >= cfg.maxConnections) return refuse(socket, `max.connections (${cfg.maxConnections}) reached`);
    const fromIp = perIp.get(ip) ?? 0;
    if (fromIp >= cfg.maxConnectionsPerIp)
      return refuse(socket, `max.connections.per.ip (${cfg.maxConnectionsPerIp}) reached`);
    sockets.add(socket);
    perIp.set(ip, fromIp + 1);
    if (countConnections) countConnections.connectionsCreated++;
    socket.on('close', () => {
      sockets.delete(socket);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      if (countConnections) countConnections.connectionsClosed++;
    });
    serve(socket);
  });
  const host = opts.host ?? cfg.host;
  const port = opts.port ?? cfg.port;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (e) => log(`${listener} listener: ${e.message}`)); // e.g. EMFILE on accept
      resolve({
        server,
        close: () =>
          new Promise<void>((res) => {
            for (const s of sockets) s.destroy();
            ownBudget?.close();
            server.close(() => res());
          }),
      });
    });
  });
}
