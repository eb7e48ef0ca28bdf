// `samsa serve`: the bundled cluster (or an existing one with --bootstrap) plus the console
// server for a browser. Prints `bootstrap.servers=...` then `console: <url with token>`; scripts
// and tests wait for that line. SIGINT/SIGTERM stop the nodes cleanly.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { chooseMetricsBase, metricsLines } from '../broker/metrics/metrics-ports.ts';
import { defaultDataDir } from '../broker/supervisor/data-dir.ts';
import { findFreeBlock } from '../broker/supervisor/ports.ts';
import { startCluster } from '../broker/supervisor/supervisor.ts';
import { BootstrapSchema } from './contract/index.ts';
import { ClusterRegistry } from './kafka/cluster-registry.ts';
import { startConsoleServer } from './server/console-server.ts';
import { ensureRendererBuilt } from './server/renderer-build.ts';

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got ${raw}`);
  return n;
}

export async function runServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string', default: '3' },
      'kafka-port': { type: 'string', default: '9092' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      bootstrap: { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  const nodes = intOption('nodes', values.nodes, 1, 9)!;
  const kafkaPort = intOption('kafka-port', values['kafka-port'], 1, 65535)!;
  const consolePort = intOption('port', values.port, 0, 65535) ?? 0;
  const dataDir = values['data-dir'] ?? defaultDataDir('cluster');
  const appDataDir = values['data-dir'] ? join(values['data-dir'], 'console') : defaultDataDir('console');
  const log = (line: string) => console.log(line);

  // The UI build (first run only) overlaps with the cluster start.
  const ui = ensureRendererBuilt(log);
  ui.catch(() => {});

  let bootstrap: string[];
  let stopCluster: () => Promise<void> = async () => {};
  if (values.bootstrap) {
    const parsed = BootstrapSchema.safeParse(values.bootstrap);
    if (!parsed.success) throw new Error(`--bootstrap: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    bootstrap = parsed.data;
  } else {
    const base = await findFreeBlock(kafkaPort, nodes, '127.0.0.1');
    if (base !== kafkaPort) log(`port ${kafkaPort} is taken; using ${base}${nodes > 1 ? `-${base + nodes - 1}` : ''} instead`);
    const metricsBasePort = await chooseMetricsBase(values['metrics-port'], base, nodes, log);
    const cluster = await startCluster({ nodes, basePort: base, dataDir, host: '127.0.0.1', metricsBasePort });
    for (const n of cluster.nodes) log(`node ${n.id} pid ${n.pid} listening ${n.host}:${n.port}`);
    for (const line of metricsLines(cluster.nodes)) log(line);
    bootstrap = cluster.bootstrap.split(',');
    stopCluster = () => cluster.stop();
  }
  log(`bootstrap.servers=${bootstrap.join(',')}`);

  let staticDir: string;
  try {
    staticDir = await ui;
  } catch (err) {
    await stopCluster();
    throw new Error(`could not build the console UI: ${(err as Error).message}`);
  }

  const registry = new ClusterRegistry({ appDataDir, bundledBootstrap: bootstrap, bundledName: values.bootstrap ? 'Bootstrap cluster' : 'Local cluster' });
  const server = await startConsoleServer({ registry, staticDir, port: consolePort, log });
  log(`console: ${server.pageUrl}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await server.close().catch(() => {});
    await registry.close().catch(() => {});
    await stopCluster().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
