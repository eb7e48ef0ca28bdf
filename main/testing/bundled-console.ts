// A supervised cluster as `samsa serve` runs it (control endpoint in a temp data dir, nodes on
// free ports) and a console server in this process wired to it through ControlClient, as
// console-child.ts wires it: for tests of the Cluster screen, its routes and its streams, which
// also need the supervisor's handle (`cluster`) to act behind the console's back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomPortBase } from '../../broker/testing/ports.ts';
import { ControlClient } from '../../broker/supervisor/control-client.ts';
import { runCluster } from '../../broker/supervisor/run-cluster.ts';
import type { Cluster } from '../../broker/supervisor/supervisor.ts';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from '../server/console-server.ts';

export interface BundledConsole {
  cluster: Cluster;
  control: ControlClient;
  bootstrap: string;
  dataDir: string;
  server: ConsoleServer;
  registry: ClusterRegistry;
  stop(): Promise<void>;
}

export async function startBundledConsole(opts: { nodes?: number; staticDir?: string | null; nodeArgs?: string[]; spare?: number } = {}): Promise<BundledConsole> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bundled-'));
  const basePort = randomPortBase((opts.nodes ?? 3) + (opts.spare ?? 0)); // runCluster moves on from a taken one
  const running = await runCluster({ nodes: opts.nodes ?? 3, basePort, dataDir, host: '127.0.0.1', nodeArgs: opts.nodeArgs }, () => {});
  let server: ConsoleServer | undefined;
  let registry: ClusterRegistry | undefined;
  const stop = async () => {
    await server?.close();
    await registry?.close();
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const control = ControlClient.open(dataDir);
    registry = new ClusterRegistry({ appDataDir: path.join(dataDir, 'console'), bundledBootstrap: running.cluster.bootstrap.split(',') });
    server = await startConsoleServer({ registry, staticDir: opts.staticDir ?? null, control });
    return { cluster: running.cluster, control, bootstrap: running.cluster.bootstrap, dataDir, server, registry, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
