// What metrics cost, part of `npm run bench` (`npm run bench -- metrics` runs only this): produce
// throughput of a node with metrics on, scraped once a second as the console's collector will,
// against a node started with --no-metrics (nothing counted, no endpoint). Both one-node
// clusters run side by side with temp data dirs and take turns in rounds ordered on/off, off/on,
// ... so the drift of a shared machine hits both alike; a first round of each is warm-up. Two
// workloads: large requests (100 records of 1 KiB, 8 in flight, as the broker figures) and small
// ones (10 records of 100 B, 16 in flight), where per-request work such as the metrics'
// dominates. Printed: the median throughput of each side, the median (and min, max) of the
// per-round ratios on/off (each round runs both back to back) with the cost it means (aim: <= 3 %), and the node
// process's CPU time per request on each side (from /proc, Linux only), which a busy machine
// disturbs less than throughput. BENCH_METRICS_CONTROL=1 starts both sides with --no-metrics:
// the ratios it prints are the noise of this machine, to read the real ones against.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KafkaConnection } from '../broker/client/connection.ts';
import { Metadata } from '../broker/protocol/messages/metadata.ts';
import { buildBatch } from '../broker/protocol/record-batch.ts';
import { findFreeBlock } from '../broker/supervisor/ports.ts';
import { startCluster, type Cluster } from '../broker/supervisor/supervisor.ts';
import { pipelinedProduce } from './produce-pump.ts';

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 11);
const CONTROL = process.env.BENCH_METRICS_CONTROL === '1';
const LARGE_MB = Number(process.env.BENCH_METRICS_MB ?? 32);
const SMALL_REQUESTS = Number(process.env.BENCH_METRICS_REQUESTS ?? 15000);

interface Side {
  name: 'on' | 'off';
  cluster: Cluster;
  conn: KafkaConnection;
  dataDir: string;
}

interface Workload {
  label: string;
  unit: string;
  batch: Buffer;
  requests: number;
  inFlight: number;
  /** Throughput in `unit` from the bytes and requests of one round and its seconds. */
  rate: (bytes: number, requests: number, secs: number) => number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function startSide(name: Side['name'], port: number): Promise<Side> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `samsa-bench-metrics-${name}-`));
  const cluster = await startCluster({
    nodes: 1,
    basePort: port,
    dataDir,
    nodeArgs: name === 'off' || CONTROL ? ['--no-metrics'] : [],
  });
  const n = cluster.nodes[0];
  const conn = await KafkaConnection.connect(n.host, n.port, 'samsa-bench-metrics');
  await conn.request(Metadata, 12, { topics: [{ name: 'bench' }], allowAutoTopicCreation: true });
  return { name, cluster, conn, dataDir };
}

async function stopSide(s: Side): Promise<void> {
  s.conn.close();
  await s.cluster.stop();
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

/** CPU seconds (user + system) the node process has used, or NaN where /proc is missing. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** One timed round; the metrics side is scraped every second meanwhile. */
async function round(side: Side, w: Workload): Promise<{ rate: number; cpu: number }> {
  const url = side.cluster.nodes[0].metricsUrl;
  const scraper = url
    ? setInterval(
        () =>
          void fetch(url)
            .then((r) => r.text())
            .catch(() => {}),
        1000,
      )
    : undefined;
  try {
    const pid = side.cluster.nodes[0].pid;
    const cpu0 = cpuSeconds(pid);
    const batch = w.batch;
    const secs = await pipelinedProduce(side.conn, { topic: 'bench', count: w.requests, acks: 1, inFlight: w.inFlight, next: () => batch });
    return { rate: w.rate(w.requests * w.batch.length, w.requests, secs), cpu: cpuSeconds(pid) - cpu0 };
  } finally {
    clearInterval(scraper);
  }
}

export async function runMetricsBench(): Promise<void> {
  const large = buildBatch(Array.from({ length: 100 }, () => ({ value: Buffer.alloc(1024, 'x') })));
  const small = buildBatch(Array.from({ length: 10 }, () => ({ value: Buffer.alloc(100, 'y') })));
  const workloads: Workload[] = [
    {
      label: 'large requests (100 x 1 KiB, 8 in flight)',
      unit: 'MB/s',
      batch: large,
      requests: Math.ceil((LARGE_MB * 1048576) / large.length),
      inFlight: 8,
      rate: (b, _r, s) => b / 1048576 / s,
    },
    {
      label: 'small requests (10 x 100 B, 16 in flight)',
      unit: 'req/s',
      batch: small,
      requests: SMALL_REQUESTS,
      inFlight: 16,
      rate: (_b, r, s) => r / s,
    },
  ];
  const base = await findFreeBlock(29500, 2, '127.0.0.1');
  const on = await startSide('on', base);
  const off = await startSide('off', base + 1).catch(async (e) => {
    await stopSide(on);
    throw e;
  });
  try {
    for (const w of workloads) {
      const rates = { on: [] as number[], off: [] as number[] };
      const cpu = { on: 0, off: 0 };
      const ratios: number[] = [];
      for (let r = 0; r <= ROUNDS; r++) {
        const got = { on: 0, off: 0 };
        for (const side of r % 2 ? [off, on] : [on, off]) {
          const res = await round(side, w);
          got[side.name] = res.rate;
          if (r === 0) continue; // round 0 warms both up
          rates[side.name].push(res.rate);
          cpu[side.name] += res.cpu;
        }
        if (r > 0) ratios.push(got.on / got.off);
        process.stderr.write(`\rmetrics bench, ${w.label}: round ${r}/${ROUNDS}   `);
      }
      process.stderr.write('\n');
      const fmt = (x: number) => (w.unit === 'MB/s' ? x.toFixed(1) : String(Math.round(x)));
      const ratio = median(ratios);
      const cpuPerReq = (side: Side['name']) => (cpu[side] * 1e6) / (ROUNDS * w.requests);
      if (CONTROL) console.log(`metrics ${w.label}: CONTROL run, both sides --no-metrics`);
      console.log(
        `metrics ${w.label}: on ${fmt(median(rates.on))} ${w.unit}, off ${fmt(median(rates.off))} ${w.unit} (medians of ${ROUNDS} rounds each)`,
      );
      console.log(
        `metrics ${w.label}: throughput ratio on/off ${ratio.toFixed(3)} (median of rounds; min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}), cost ${((1 - ratio) * 100).toFixed(1)} % (aim <= 3 %)`,
      );
      console.log(
        `metrics ${w.label}: node CPU per request on ${cpuPerReq('on').toFixed(1)} µs, off ${cpuPerReq('off').toFixed(1)} µs, ratio ${(cpu.on / cpu.off).toFixed(3)}`,
      );
      process.stderr.write(
        `metrics ${w.label}: rounds on [${rates.on.map(fmt).join(', ')}] off [${rates.off.map(fmt).join(', ')}]\n`,
      );
    }
  } finally {
    await Promise.all([stopSide(on), stopSide(off)]);
  }
}
