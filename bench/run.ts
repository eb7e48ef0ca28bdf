// `npm run bench`: throughput of one node for 1 KiB messages, as ratios to a plain Node loopback
// TCP copy measured in the same process tree (the ceiling for anything that moves these bytes
// over a socket on this machine). Produce: pipelined Produce requests (acks=1, batches of 100
// records, 8 in flight), once plain and once idempotent (a producer id, advancing sequences:
// the broker's producer-state bookkeeping), each request a fresh batch (bench/produce-pump.ts);
// consume: Fetch requests of up to 4 MiB from offset 0 to the end.
// Measurement: a fresh node takes seconds of sustained load to reach its steady speed (the
// first 64 MB phases run at a third to a half of the later ones), so BENCH_WARMUP_S seconds
// (default 3) of the same produce load, plain and idempotent, go to a topic of their own
// first and are not counted. The loopback copy swings by 2-3x between runs on a shared
// machine, so it is measured three times, before the warm-up and twice after the consume run
// (not between runs: the 256 MB of socket buffers it leaves to collect may weigh on the next),
// and the ratios use its median; the three samples are printed.
// Then the 3-node cluster figures (bench/cluster.ts), the Cluster screen's failover figure
// (bench/cluster-control.ts), the console figures (bench/console.ts),
// the cost of metrics (bench/metrics.ts), the live charts under an hour of points
// (bench/metrics-ui.ts), the log cleaner (bench/log-cleaner.ts), how cost grows with
// partitions, clients and log size (bench/growth.ts), the same C client against Samsa and
// librdkafka's mock cluster (bench/rdkafka.ts) and the cold start and idle memory of
// `samsa cluster` (bench/start.ts).
// `npm run bench -- broker`, `-- cluster`, `-- replication` (the cluster's acks=all throughput
// and latency only, BENCH_REPLICATION_RUNS times), `-- cluster-control`, `-- console`, `-- metrics`,
// `-- metrics-ui`, `-- cleaner`, `-- growth`, `-- rdkafka` or `-- start` runs one part.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KafkaConnection } from '../broker/client/connection.ts';
import { crc32c, crc32cImplementation, crc32cJs } from '../broker/protocol/crc32c.ts';
import { Fetch } from '../broker/protocol/messages/fetch.ts';
import { Metadata } from '../broker/protocol/messages/metadata.ts';
import { findFreeBlock } from '../broker/supervisor/ports.ts';
import { startCluster } from '../broker/supervisor/supervisor.ts';
import { runClusterBench, runReplicationBench } from './cluster.ts';
import { runClusterControlBench } from './cluster-control.ts';
import { runConsoleBench } from './console.ts';
import { runGrowthBench } from './growth.ts';
import { runStartBench } from './start.ts';
import { runCleanerBench } from './log-cleaner.ts';
import { batchSource, pipelinedProduce } from './produce-pump.ts';
import { runMetricsBench } from './metrics.ts';
import { runMetricsUiBench } from './metrics-ui.ts';
import { runRdkafkaBench } from './rdkafka.ts';

const MSG = 1024;
const PER_BATCH = 100;
const TOTAL_MB = Number(process.env.BENCH_MB ?? 256);
const BATCHES = Math.ceil((TOTAL_MB * 1024 * 1024) / (MSG * PER_BATCH));
const IN_FLIGHT = 8;
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);

const mb = (bytes: number) => bytes / (1024 * 1024);
const fmt = (n: number) => n.toFixed(1);
const progress = (label: string, done: number, total: number) =>
  process.stderr.write(`\r${label}: ${Math.round((100 * done) / total)}%   ${done === total ? '\n' : ''}`);

/** Plain Node TCP over loopback: the same bytes in the same request-sized chunks, discarded. */
export async function loopback(totalBytes: number, chunk: number): Promise<number> {
  const server = net.createServer();
  let received = 0;
  const done = new Promise<void>((resolve) =>
    server.on('connection', (s) =>
      s.on('data', (d) => {
        received += d.length;
        if (received >= totalBytes) resolve();
      }),
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const sock = net.connect({ port, host: '127.0.0.1' });
  await new Promise((r) => sock.once('connect', r));
  const payload = Buffer.alloc(chunk, 7);
  const start = performance.now();
  let sent = 0;
  while (sent < totalBytes) {
    sent += chunk;
    if (!sock.write(payload)) await new Promise((r) => sock.once('drain', r));
  }
  await done;
  const secs = (performance.now() - start) / 1000;
  sock.destroy();
  server.close();
  return totalBytes / secs;
}

/** GB/s of a CRC-32C over `bytes`-long inputs, repeated over 256 MiB. */
function crcSpeed(f: (b: Uint8Array) => number, bytes: number): number {
  const b = Buffer.alloc(bytes, 7);
  const n = Math.ceil((256 << 20) / bytes);
  const t = performance.now();
  for (let i = 0; i < n; i++) f(b);
  return (n * bytes) / ((performance.now() - t) / 1000) / 1e9;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-'));
  const base = await findFreeBlock(29092, 1, '127.0.0.1');
  const cluster = await startCluster({ nodes: 1, basePort: base, dataDir });
  const { host, port } = cluster.nodes[0];
  const conn = await KafkaConnection.connect(host, port, 'samsa-bench');
  try {
    const topics = [{ name: 'bench' }, { name: 'bench-idempotent' }, { name: 'bench-warmup' }];
    await conn.request(Metadata, 12, { topics, allowAutoTopicCreation: true });
    const value = Buffer.alloc(MSG, 'x');
    const batch = batchSource(value, PER_BATCH, null)(0);
    const totalBytes = BATCHES * batch.length;
    const ceilings = [await loopback(totalBytes, batch.length)];

    // Warm-up, not counted: plain and idempotent (its own producer id) to a topic of its own.
    const warmPlain = batchSource(value, PER_BATCH, null);
    const warmIdempotent = batchSource(value, PER_BATCH, 2048);
    const warmStart = performance.now();
    for (let round = 0; performance.now() - warmStart < WARMUP_S * 1000; round++) {
      for (const src of [warmPlain, warmIdempotent])
        await pipelinedProduce(conn, { topic: 'bench-warmup', count: 100, acks: 1, inFlight: IN_FLIGHT, next: (i) => src(round * 100 + i) });
      progress('warm-up', Math.min(performance.now() - warmStart, WARMUP_S * 1000), WARMUP_S * 1000);
    }

    // Produce, plain and idempotent, in alternating halves so that warm-up and a filling page
    // cache weigh on both alike.
    const plain = batchSource(value, PER_BATCH, null);
    const idempotent = batchSource(value, PER_BATCH, 1024);
    const half = Math.ceil(BATCHES / 2);
    const run = (topic: string, src: typeof plain, from: number, count: number) =>
      pipelinedProduce(
        conn,
        { topic, count, acks: 1, inFlight: IN_FLIGHT, next: (i) => src(from + i) },
        (acked) => (acked % 200 === 0 || acked === count) && progress(`produce ${topic}`, acked, count),
      );
    let produceSecs = await run('bench', plain, 0, half);
    let idempotentSecs = await run('bench-idempotent', idempotent, 0, half);
    produceSecs += await run('bench', plain, half, BATCHES - half);
    idempotentSecs += await run('bench-idempotent', idempotent, half, BATCHES - half);

    // Consume
    const t1 = performance.now();
    let offset = 0;
    let fetched = 0;
    const end = BATCHES * PER_BATCH;
    while (offset < end) {
      const r = await conn.request(Fetch, 12, {
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 4 << 20,
        topics: [{ topic: 'bench', partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 4 << 20 }] }],
      });
      const recs = r.responses[0].partitions[0].records!;
      fetched += recs.length;
      // Whole batches of PER_BATCH records each: the next offset follows the last batch.
      offset += (recs.length / batch.length) * PER_BATCH;
      progress('consume', Math.min(offset, end), end);
    }
    const consumeSecs = (performance.now() - t1) / 1000;

    for (let i = 0; i < 2; i++) ceilings.push(await loopback(totalBytes, batch.length));
    const ceiling = [...ceilings].sort((a, b) => a - b)[1];
    const produceBps = totalBytes / produceSecs;
    const idempotentBps = totalBytes / idempotentSecs;
    const consumeBps = fetched / consumeSecs;
    const msgs = BATCHES * PER_BATCH;
    const batchBytes = batch.length;
    console.log(
      `crc32c over a ${batchBytes} B batch: ${crcSpeed(crc32c, batchBytes).toFixed(2)} GB/s in use (${crc32cImplementation}${process.env.SAMSA_CRC32C === 'js' ? ', SAMSA_CRC32C=js' : ''}), JavaScript ${crcSpeed(crc32cJs, batchBytes).toFixed(2)} GB/s`,
    );
    console.log(`one node, ${msgs} messages of ${MSG} B (${fmt(mb(totalBytes))} MB), batches of ${PER_BATCH}`);
    console.log(`loopback TCP copy     ${fmt(mb(ceiling))} MB/s (median of ${ceilings.map((c) => fmt(mb(c))).join(', ')}: before the warm-up, twice after the runs)`);
    console.log(`warm-up               ${WARMUP_S} s of produce to bench-warmup, not counted (BENCH_WARMUP_S)`);
    console.log(`produce (acks=1)      ${fmt(mb(produceBps))} MB/s  ${Math.round(msgs / produceSecs)} msgs/s  ratio ${(produceBps / ceiling).toFixed(3)} (aim >= 0.25)`);
    console.log(`produce idempotent    ${fmt(mb(idempotentBps))} MB/s  ${Math.round(msgs / idempotentSecs)} msgs/s  ratio ${(idempotentBps / ceiling).toFixed(3)}, ${(idempotentBps / produceBps).toFixed(3)} of plain (aim >= 0.95)`);
    console.log(`consume               ${fmt(mb(consumeBps))} MB/s  ${Math.round(msgs / consumeSecs)} msgs/s  ratio ${(consumeBps / ceiling).toFixed(3)} (aim >= 0.40)`);
  } finally {
    conn.close();
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const part = process.argv[2];
if (part !== undefined && !['broker', 'cluster', 'replication', 'cluster-control', 'console', 'metrics', 'metrics-ui', 'cleaner', 'growth', 'rdkafka', 'start'].includes(part))
  throw new Error(`usage: npm run bench [-- broker|cluster|replication|cluster-control|console|metrics|metrics-ui|cleaner|growth|rdkafka|start], got ${part}`);
if (part === undefined || part === 'broker') await main();
if (part === undefined || part === 'cluster') await runClusterBench(loopback);
if (part === 'replication') await runReplicationBench(loopback);
if (part === undefined || part === 'cluster-control') await runClusterControlBench();
if (part === undefined || part === 'console') await runConsoleBench();
if (part === undefined || part === 'metrics') await runMetricsBench();
if (part === undefined || part === 'metrics-ui') await runMetricsUiBench();
if (part === undefined || part === 'cleaner') await runCleanerBench();
if (part === undefined || part === 'growth') await runGrowthBench();
if (part === undefined || part === 'rdkafka') await runRdkafkaBench();
if (part === undefined || part === 'start') await runStartBench();
