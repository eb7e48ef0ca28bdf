// `samsa demo <name> [--rate N] [--bootstrap host:port,... [--allow-remote]] [--data-dir DIR]`:
// runs one demo workload (main/server/workloads/) in the foreground with the same runner the
// console uses, against the local cluster running on the data dir (`samsa`, `samsa cluster`,
// `samsa serve`), or the cluster at --bootstrap. A bootstrap that is not on this machine needs
// --allow-remote, and gets a warning on stderr before anything is written. Prints one line a
// second (`clickstream sent 50.0/s consumed 50.0/s errors 0 total 250 · 48 active users ...`);
// Ctrl-C (or SIGTERM) stops the workload (its group reads to the end and leaves) and exits 0.
// `samsa demo metrics` runs a metrics collector of its own, as the console does: the local
// nodes' /metrics endpoints, or over Kafka requests for a --bootstrap cluster.
import { parseArgs } from 'node:util';
import { isLoopback } from '../broker/server/loopback.ts';
import { ControlClient } from '../broker/supervisor/control-client.ts';
import { defaultDataDir } from '../broker/supervisor/data-dir.ts';
import { WORKLOAD_NAMES, WorkloadNameSchema, WorkloadStartSchema, type WorkloadStats } from './contract/workloads.ts';
import { KafkaConnection } from './kafka/connection.ts';
import { toErrorBody } from './kafka/errors.ts';
import { MetricsCollector } from './server/metrics-collector.ts';
import { KafkaApiSampler } from './server/metrics-kafka-source.ts';
import { NodeMetricsSampler, type MetricsSampler } from './server/metrics-node-source.ts';
import { targetsFromNodes } from './server/metrics-targets.ts';
import { formatZodError } from './server/validation.ts';
import { WORKLOADS } from './server/workloads/index.ts';
import { WorkloadRunner } from './server/workloads/runner.ts';

const PRINT_EVERY_MS = 1000;

export function demoLine(s: WorkloadStats): string {
  const line = `${s.name} sent ${s.sentPerSec.toFixed(1)}/s consumed ${s.consumedPerSec.toFixed(1)}/s errors ${s.errors} total ${s.sent}`;
  return [line, s.summary, s.lastError && `last error: ${s.lastError}`].filter(Boolean).join(' · ');
}

async function localCluster(dataDir: string) {
  const { nodes } = await ControlClient.open(dataDir).call('list', {});
  const running = nodes.filter((n) => n.state === 'running');
  if (running.length === 0) throw new Error(`the cluster on ${dataDir} has no running node`);
  return { bootstrap: running.map((n) => `${n.host}:${n.port}`), nodes: running };
}

export async function runDemo(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      bootstrap: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  const name = WorkloadNameSchema.safeParse(positionals[0]);
  if (!name.success) throw new Error(`demo needs a workload name: ${WORKLOAD_NAMES.join(', ')}`);
  const req = WorkloadStartSchema.safeParse({
    name: name.data,
    rate: values.rate === undefined ? undefined : Number(values.rate),
    confirmRemote: true,
  });
  if (!req.success) throw new Error(`--rate: ${formatZodError(req.error)}`);
  const given = values.bootstrap
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const local = given ? null : await localCluster(values['data-dir'] ?? defaultDataDir('cluster'));
  const bootstrap = given ?? local?.bootstrap ?? [];
  const remote = bootstrap.some((b) => !isLoopback(b.replace(/:\d+$/, '')));
  if (remote && !values['allow-remote'])
    throw new Error(`${bootstrap.join(',')} is not on this machine: add --allow-remote to write demo data there`);
  if (remote)
    console.error(
      `samsa: WARNING: writing demo data to topic ${WORKLOADS[name.data].topic} on ${bootstrap.join(',')}, a cluster that is not on this machine`,
    );

  const conn = new KafkaConnection({ id: 'demo', name: bootstrap.join(','), bootstrap, bundled: !remote });
  let collector: MetricsCollector | null = null;
  if (WORKLOADS[name.data].usesMetrics) {
    const sampler: MetricsSampler = local ? new NodeMetricsSampler(targetsFromNodes(() => local.nodes)) : new KafkaApiSampler(() => conn);
    collector = new MetricsCollector(sampler).start();
  }
  const runner = new WorkloadRunner({ connection: () => conn, metrics: () => ({ latest: () => collector?.latest() ?? null }) });
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      const s = await runner.stop('demo', name.data);
      console.log(`stopped: ${demoLine(s)}`);
      collector?.close();
      await conn.close();
      process.exit(0);
    })());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const timer = setInterval(() => console.log(demoLine(runner.stats('demo', name.data))), PRINT_EVERY_MS);
  try {
    const s = await runner.start('demo', req.data);
    console.log(
      `${s.name}: writing ${s.rate} msg/s to ${s.topic} on ${bootstrap.join(',')}${s.group ? `, group ${s.group} reading it` : ''}; Ctrl-C stops it`,
    );
  } catch (e) {
    clearInterval(timer);
    collector?.close();
    await conn.close();
    throw new Error(`cannot start ${name.data}: ${toErrorBody(e).body.error.message}`);
  }
}
