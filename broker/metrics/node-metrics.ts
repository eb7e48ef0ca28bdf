// A node's metrics, started by node.ts unless --no-metrics: the hot-path meters handed to the
// Kafka server, the exposition over the broker adapter, and the HTTP endpoint on
// 127.0.0.1:--metrics-port (0 = any free port). A taken port falls back to a free one, and an
// endpoint that cannot start at all leaves the node serving Kafka without it: metrics never stop
// a node.

import type { Broker } from '../broker.ts';
import { securityProtocol } from '../config.ts';
import { brokerMetricsSource } from './broker-source.ts';
import { createExposition } from './exposition.ts';
import { startMetricsServer, type MetricsServer } from './http-server.ts';
import { NodeMeters } from './meters.ts';

export interface NodeMetrics {
  meters: NodeMeters;
  /** http://127.0.0.1:<port>/metrics, or null when the endpoint could not start. */
  url: string | null;
  close(): Promise<void>;
}

export async function startNodeMetrics(broker: Broker, port: number, log: (msg: string) => void): Promise<NodeMetrics> {
  const source = brokerMetricsSource(broker);
  const meters = new NodeMeters(source.partitionExists);
  const exposition = createExposition(meters, source, securityProtocol(broker.config));
  let server: MetricsServer | undefined;
  try {
    server = await startMetricsServer(exposition, port, log, broker.quorum?.raft);
  } catch (e) {
    if (port !== 0) {
      log(`metrics: cannot listen on port ${port} (${(e as Error).message}); trying a free port`);
      server = await startMetricsServer(exposition, 0, log, broker.quorum?.raft).catch(() => undefined);
    }
    if (!server) log(`metrics: no metrics endpoint: ${(e as Error).message}`);
  }
  if (server && server.port !== port && port !== 0) log(`metrics on port ${server.port} instead of ${port}`);
  return {
    meters,
    url: server?.url ?? null,
    async close() {
      await server?.close();
      exposition.close();
    },
  };
}
