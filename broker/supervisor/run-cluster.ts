// A supervised local cluster as `samsa cluster`, `samsa serve` and the app run it: the control
// endpoint claims the data dir first (so a second supervisor on it fails before touching any
// node), nodes a dead supervisor left behind are killed (orphans.ts), then the nodes start on the requested port block or the next free one, then the
// endpoint starts answering. stop() stops the nodes, then closes the endpoint.
// The lines printed for a started cluster are made here once, for every entry point.

import { chooseMetricsBase, metricsLines } from '../metrics/metrics-ports.ts';
import { SCRAM_MECHANISMS } from '../security/scram.ts';
import { openControlEndpoint, type ControlEndpoint } from './control-endpoint.ts';
import { reapOrphans } from './orphans.ts';
import { findFreeBlock } from './ports.ts';
import { startCluster, type Cluster, type ClusterOptions, type NodeInfo } from './supervisor.ts';
import type { SupervisorEvent } from '../../main/contract/control.ts';

export interface RunningCluster {
  cluster: Cluster;
  control: ControlEndpoint;
  stop(): Promise<void>;
}

/** `metricsPort`: the raw --metrics-port value, if given (metrics-ports.ts chooses the block). */
export async function runCluster(
  opts: ClusterOptions & { host: string; metricsPort?: string },
  log: (line: string) => void,
): Promise<RunningCluster> {
  const control = await openControlEndpoint(opts.dataDir, log);
  try {
    for (const o of reapOrphans(opts.dataDir)) log(`killed node ${o.id} (pid ${o.pid}), left running by a supervisor that died`);
    const base = await findFreeBlock(opts.basePort, opts.nodes, opts.host);
    const { nodes } = opts;
    if (base !== opts.basePort) log(`port ${opts.basePort} is taken; using ${base}${nodes > 1 ? `-${base + nodes - 1}` : ''} instead`);
    const metricsBasePort = await chooseMetricsBase(opts.metricsPort, base, nodes, log);
    const cluster = await startCluster({ ...opts, basePort: base, metricsBasePort });
    control.attach(cluster);
    return {
      cluster,
      control,
      async stop() {
        await cluster.stop();
        await control.close();
      },
    };
  } catch (e) {
    await control.close();
    throw e;
  }
}

/** `node <id> pid <pid> listening <host:port>`: the line scripts read a node's pid and port from. */
export const listeningLine = (n: Pick<NodeInfo, 'id' | 'pid' | 'host' | 'port'>) => `node ${n.id} pid ${n.pid} listening ${n.host}:${n.port}`;

/** The lines printed once the cluster is up: one per node, its metrics URL, then bootstrap.servers. */
export function startedLines(c: Cluster): string[] {
  return [...c.nodes.map(listeningLine), ...metricsLines(c.nodes), `bootstrap.servers=${c.bootstrap}`];
}

/**
 * How a client connects to a secured cluster: its security.protocol and SASL mechanisms, the
 * admin password's file, and the CA to trust. Nothing for a PLAINTEXT cluster.
 */
export function securityLines(c: Cluster): string[] {
  const { sasl, ca } = c;
  if (!sasl && !ca) return [];
  const protocol = sasl ? (ca ? 'SASL_SSL' : 'SASL_PLAINTEXT') : 'SSL';
  const mechanisms = ['PLAIN', ...SCRAM_MECHANISMS.map((m) => m.name)].join(',');
  return [
    `security.protocol=${protocol}${sasl ? ` sasl.mechanisms=${mechanisms}` : ''}`,
    ...(sasl ? [`sasl user admin password ${sasl.adminPassword} (in ${sasl.adminFile}, mode 0600)`] : []),
    ...(ca ? [`ca ${ca.certFile} (clients: ssl.ca.location=${ca.certFile})`] : []),
  ];
}

/** One line per supervisor event after the start: a restarted node prints its new pid. */
export function eventLogLine(c: Cluster, e: SupervisorEvent): string {
  if (e.type === 'started') return listeningLine({ ...c.node(e.nodeId), pid: e.pid });
  const exit = e.signal ? ` (${e.signal})` : e.code !== null ? ` (exit code ${e.code})` : '';
  return `node ${e.nodeId} ${e.type}${exit}`;
}
