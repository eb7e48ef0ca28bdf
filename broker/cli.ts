// The `samsa` command line: `samsa cluster` runs a local cluster in the foreground,
// `samsa serve` runs it with the web console. Output contract of `cluster` (scripts rely on it):
//   node <id> pid <pid> listening <host:port>     (one line per node)
//   bootstrap.servers=<host:port,...>
//   cluster ready                                  (once every node answers Metadata)

import { parseArgs } from 'node:util';
import { defaultDataDir } from './supervisor/data-dir.ts';
import { findFreeBlock } from './supervisor/ports.ts';
import { startCluster } from './supervisor/supervisor.ts';

const USAGE = `usage:
  samsa cluster [--nodes 3] [--port 9092] [--data-dir DIR] [--fsync] [--default-replication-factor N]
  samsa serve   [--nodes 3] [--kafka-port 9092] [--port P] [--data-dir DIR] [--bootstrap host:port]`;

const MAX_NODES = 9; // every node is a metadata quorum voter; more would only slow elections

async function cluster(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '9092' },
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      fsync: { type: 'boolean', default: false },
      // default.replication.factor; min(3, nodes) when not given (Kafka's default is 1).
      'default-replication-factor': { type: 'string' },
    },
  });
  const nodes = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`--nodes must be a positive integer, got ${values.nodes}`);
  if (nodes > MAX_NODES)
    throw new Error(`--nodes ${nodes}: at most ${MAX_NODES} nodes`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a TCP port, got ${values.port}`);
  const host = values.host!;
  const base = await findFreeBlock(port, nodes, host);
  if (base !== port) console.log(`port ${port} is taken; using ${base}${nodes > 1 ? `-${base + nodes - 1}` : ''} instead`);
  const dataDir = values['data-dir'] ?? defaultDataDir('cluster');
  const rfArg = values['default-replication-factor'];
  const rf = rfArg === undefined ? undefined : Number(rfArg);
  if (rf !== undefined && (!Number.isInteger(rf) || rf < 1 || rf > nodes))
    throw new Error(`--default-replication-factor must be an integer from 1 to --nodes (${nodes}), got ${rfArg}`);
  const nodeArgs = values.fsync ? ['--fsync'] : [];
  const c = await startClusterOrExit({ nodes, basePort: base, dataDir, host, nodeArgs, defaultReplicationFactor: rf });
  for (const n of c.nodes) console.log(`node ${n.id} pid ${n.pid} listening ${n.host}:${n.port}`);
  console.log(`bootstrap.servers=${c.bootstrap}`);
  console.log('cluster ready');
  console.log(`data in ${dataDir}; node logs in ${dataDir}/logs; Ctrl-C stops the cluster`);
  c.on('node', (n) => console.log(`node ${n.id} ${n.state}`));
  const stop = async () => {
    await c.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startClusterOrExit(opts: Parameters<typeof startCluster>[0]) {
  try {
    return await startCluster(opts);
  } catch (e) {
    console.error(`samsa: cluster failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  try {
    if (cmd === 'cluster') await cluster(rest);
    else if (cmd === 'serve') {
      const { runServe } = await import('../main/serve.ts');
      await runServe(rest);
    } else {
      console.log(USAGE);
      process.exit(cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2);
    }
  } catch (e) {
    console.error(`samsa: ${(e as Error).message}`);
    console.error(USAGE);
    process.exit(2);
  }
}

await main();
