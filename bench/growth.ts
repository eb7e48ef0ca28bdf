// How cost grows, part of `npm run bench` (`npm run bench -- growth` runs only this). Every
// cluster is 3 node processes from tempCluster() (bench/cluster.ts: free ports, temp data dir,
// always stopped and removed). Three series, each printed as a small table with the growth
// factor per 10x of work between neighbouring rows:
//  1. partitions: a fresh cluster per count (10, 100, 1 000, 5 000; BENCH_GROWTH_MAX_PARTITIONS
//     caps it) with one topic of that many partitions, RF 3. Produce: batches of 10 records of
//     1 KiB, acks=1, round robin over the partitions, one connection per leader node with 8 in
//     flight (bench/produce-pump.ts), max(2 000, 2 x partitions) requests, so every partition gets
//     data; fetch: those bytes read back from offset 0, one Fetch (4 MiB, 1 MiB per partition)
//     per leader listing every partition not yet read to its end; Metadata: 20 requests for all
//     topics to node 1, p50 and p99; RSS: VmRSS of each node process (/proc/<pid>/status of the
//     supervisor's pids, Linux only), after produce and fetch; create+led: CreateTopics until
//     every node names the same leader for every partition; idle CPU %: the busiest node's CPU
//     time (utime + stime of /proc/<pid>/stat, Linux only) over 10 s with no client traffic,
//     after the leaders are there and 5 s of settling, in % of one core (what replication costs
//     when nothing is written). BENCH_GROWTH_PARTITIONS=2000,5000 replaces the counts.
//  2. clients: 1, 10, 100, 1 000 connections (BENCH_GROWTH_MAX_CLIENTS caps it) to the leader of
//     a 1-partition topic over loopback, each sending Produce requests of 1 record of 1 KiB
//     (acks=1) one at a time, max(3, 3 000 / clients) requests each: request throughput from the
//     first send to the last answer, and p99 of the request latency. The nodes get
//     --max-connections(-per-ip) 2 000 (the default 1 000 would refuse the last ones).
//  3. recovery: one partition, RF 3, filled with 1 GB and then 5 GB per node (BENCH_RECOVERY_GB,
//     comma-separated; default 1,5) by pipelined Produce of 100 x 1 KiB batches (acks=1), waited
//     for until the followers hold it too; then every node is killed with kill -9 through the
//     supervisor and started again: the time from the restart until startCluster's readiness
//     (every node answers Metadata listing all brokers and a controller: `cluster ready`) and
//     until the partition has a leader and a full ISR again. The log grows in place between the
//     sizes (same cluster). What an unclean open scans is printed: FileLog.open CRC-scans only
//     the last (active) segment of each partition; sealed segments only get their indexes loaded
//     and checked against the file's tail; the producer-state replay reads the active segment
//     again (its snapshot is taken at each roll). segment.bytes is Kafka's default 1 GiB, so the active
//     segment holds up to 1 GiB of it; the bytes in it are printed with each row.
// Defaults: the issue's sizes. Measured on a 2-core machine under load ~15 (not a quiet one):
// partitions ~6 min (5 000 partitions: ~85 s to create, the rest slow too), clients ~25 s,
// recovery ~8 min and 15 GB of temp disk (3 nodes x 5 GB); a quiet machine should take less.
// BENCH_GROWTH_PARTS=partitions,clients,recovery picks series (default all).

import fs from 'node:fs';
import path from 'node:path';
import { KafkaConnection } from '../broker/client/connection.ts';
import { Fetch } from '../broker/protocol/messages/fetch.ts';
import { Metadata } from '../broker/protocol/messages/metadata.ts';
import { Produce } from '../broker/protocol/messages/produce.ts';
import type { Cluster } from '../broker/supervisor/supervisor.ts';
import {
  createTopic,
  median,
  ms,
  note,
  percentile,
  progress,
  stoppingOnSignal,
  tempCluster,
  waitFullIsr,
  withConn,
} from './cluster.ts';
import { batchSource, pipelinedProduce } from './produce-pump.ts';

const MSG = 1024;
const PARTITION_COUNTS = (process.env.BENCH_GROWTH_PARTITIONS?.split(',').map(Number) ?? [10, 100, 1000, 5000]).filter(
  (n) => n > 0 && n <= Number(process.env.BENCH_GROWTH_MAX_PARTITIONS ?? 5000),
);
const IDLE_SETTLE_MS = 5000;
const IDLE_MS = 10000;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;
const CLIENT_COUNTS = [1, 10, 100, 1000].filter((n) => n <= Number(process.env.BENCH_GROWTH_MAX_CLIENTS ?? 1000));
const RECOVERY_GB = (process.env.BENCH_RECOVERY_GB ?? '1,5').split(',').map(Number).filter((x) => x > 0).sort((a, b) => a - b);
const PARTS = (process.env.BENCH_GROWTH_PARTS ?? 'partitions,clients,recovery').split(',');
const METADATA_RUNS = 50;
/** Ports searched from here, away from bench/cluster.ts's 29300.. */
const PORTS = 31500;

const mb = (bytes: number) => bytes / (1024 * 1024);
const GB = 1e9;

/** VmRSS of a process in bytes (NaN where /proc is missing). */
function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process used so far (NaN where /proc is missing). */
function cpuSecs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / USER_HZ; // utime, stime: fields 14 and 15
  } catch {
    return NaN;
  }
}

/** Per node, % of one core used over `ms` with no client traffic. */
async function idleCpu(c: Cluster, ms: number): Promise<number[]> {
  const pids = c.nodes.map((n) => n.pid);
  const before = pids.map(cpuSecs);
  const t = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const secs = (performance.now() - t) / 1000;
  return pids.map((pid, i) => (100 * (cpuSecs(pid) - before[i])) / secs);
}

// ---- growth factors ----

interface Row {
  work: number;
  values: number[];
}
interface Column {
  label: string;
  /** 'cost': linear when it grows no more than the work; 'rate': per unit of work, linear when flat. */
  kind: 'cost' | 'rate';
  fmt: (x: number) => string;
}

/**
 * Why a column can grow worse than linear, from the broker code (printed under a flagged row).
 * Keyed by column label; a flagged column without an entry says so.
 */
const WHY: Record<string, string> = {
  'create+led':
    'Broker.reconcile() acts only on the partitions a metadata change touched (decision 0024), so what is left is linear: each node opens 3 files per replica, ~4-5 ms of syscalls each (fsync of the new directory and of the epoch checkpoint, segment files), in 50 ms slices; on a shared machine the disk and CPU of the other processes stretch that',
  p99: 'closed loop: N connections each waiting for its answer queue N requests at the leader, so latency = N / throughput (Little\'s law) and grows 10x per 10x of clients once throughput is flat; a p99 beyond that is the tail of one event loop serving them in turn on a shared 2-core machine',
  p50: "closed loop: latency = connections / throughput (Little's law), linear in connections once throughput is flat",
  'requests/s':
    'one client process and three nodes share 2 cores: with 10+ connections the client and the leader are CPU-bound, so more connections only add per-connection work (one Produce request, one log append and one follower wake-up per record)',
  'cluster ready':
    'a node opens its logs before it listens (LogManager, then Partition): an unclean open reads the active segment twice, a CRC scan with index rebuild (Segment.rebuild) and the producer-state replay from the last snapshot, which is taken at segment roll, i.e. at the active segment base (ProducerStateManager.reload); so the time follows the active segment bytes (3 nodes at once on a shared machine), plus a fixed start of a few seconds',
  'full ISR': 'follows cluster ready (see there)',
  'active seg GB': 'the active segment holds everything up to segment.bytes (1 GiB), so it grows with the log until the first roll',
  'produce MB/s':
    'replication costs CPU even when idle, linear in partitions: at 5 000 partitions idle nodes used 17-21 % of a core each, against 3 % at 1 000 (measured apart from this bench), since follower Fetch requests listed every partition they follow on each poll (fetch sessions since decision 0025: see the idle CPU % column); a shared 2-core machine leaves produce little CPU. Not profiled further',
  'fetch MB/s':
    'up to 1 000 partitions the fetch phase reads a fixed ~20 MB, so a constant cost per partition (each Fetch lists every partition of its node not yet read: an entry for the client to encode and decode, and for the node an index lookup, two preads and an answer entry, ~20-30 µs of node CPU and as much of client CPU each, measured in decision 0031) lowers MB/s as the bytes per partition fall (2 MB each at 10 partitions, 20 KB at 1 000): linear, not worse. On top, the phase runs right after produce while the followers still catch up; at 1 000 partitions that first pass took a median 1.6x (0.7-6x over 10 runs) the time of the same reads repeated after 3 s of quiet, at 10 partitions about 1x',
  'Metadata p50':
    'the handler (broker/api/03-metadata.ts) touches each partition once, so its own cost is linear; it is measured right after produce and fetch while followers catch up, under the load of produce MB/s. A lone cold Metadata took 595 ms at 5 000 partitions against 18 ms at 1 000 while reconcile was still quadratic; on idle nodes it is not slower than the next ones (decision 0024: encoding 5 000 partitions takes 30 ms cold, 7 ms warm)',
  'Metadata p99': 'p99 of 50 requests is nearly the slowest one: scheduling noise on a shared machine; p50 is the figure to read',
};

/** Factor per 10x of work between two rows: (b/a)^(1/log10(workB/workA)). */
const per10x = (a: Row, b: Row, i: number) => Math.pow(b.values[i] / a.values[i], 1 / Math.log10(b.work / a.work));

/**
 * Prints the table and, per column, the factor per 10x between neighbouring rows. Worse than
 * linear: a cost growing more than 10x per 10x of work, or a rate falling below 1/2 per 10x (on
 * a shared machine smaller drops are within the noise). Returns the lines judged worse.
 */
interface Worse {
  line: string;
  column: string;
}

function printTable(title: string, workLabel: string, columns: Column[], rows: Row[]): Worse[] {
  const w = 14;
  const series = title.split(' (')[0];
  console.log(`\n${title}`);
  console.log([workLabel.padStart(10), ...columns.map((c) => c.label.padStart(w))].join(' '));
  for (const r of rows) console.log([String(r.work).padStart(10), ...r.values.map((v, i) => columns[i].fmt(v).padStart(w))].join(' '));
  const worse: Worse[] = [];
  for (let k = 1; k < rows.length; k++) {
    const cells = columns.map((c, i) => {
      const f = per10x(rows[k - 1], rows[k], i);
      const bad = c.kind === 'cost' ? f > 10 * 1.5 : f < 0.5;
      if (bad) worse.push({ column: c.label, line: `${series}: ${c.label} from ${rows[k - 1].work} to ${rows[k].work} ${workLabel}: x${f.toFixed(2)} per 10x` });
      return `x${Number.isFinite(f) ? f.toFixed(2) : '?'}${bad ? '!' : ''}`;
    });
    console.log([`${rows[k - 1].work}->${rows[k].work}`.padStart(10), ...cells.map((s) => s.padStart(w))].join(' '));
  }
  console.log(
    `  (rows ${rows.length > 1 ? 'a->b' : ''}: factor per 10x of ${workLabel}; costs are linear up to x10, rates flat at x1; ! = worse than linear)`,
  );
  return worse;
}

// ---- 1. partitions ----

/** Leader of every partition of `topic`, once all nodes agree on one for each. */
async function waitLeaders(c: Cluster, topic: string, partitions: number, timeoutMs = 300000): Promise<Map<number, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let agreed: Map<number, number> | null = new Map();
    for (const n of c.nodes) {
      try {
        const md = await withConn(n.host, n.port, (conn) =>
          conn.request(Metadata, 12, { topics: [{ name: topic }], allowAutoTopicCreation: false }, 10000),
        );
        const ps = md.topics[0]?.partitions ?? [];
        if (md.topics[0]?.errorCode !== 0 || ps.length !== partitions) agreed = null;
        for (const p of ps) {
          if (p.errorCode !== 0 || p.leaderId < 0 || (agreed?.has(p.partitionIndex) && agreed.get(p.partitionIndex) !== p.leaderId)) agreed = null;
          agreed?.set(p.partitionIndex, p.leaderId);
        }
      } catch {
        agreed = null;
      }
      if (!agreed) break;
    }
    if (agreed) return agreed;
    if (Date.now() > deadline) throw new Error(`${topic}: not every partition has a leader within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface PartitionsRow {
  partitions: number;
  createMs: number;
  produceMBs: number;
  fetchMBs: number;
  metadataP50: number;
  metadataP99: number;
  rssMax: number;
  rssAll: number[];
  idleCpuMax: number;
  idleCpuAll: number[];
}

async function partitionsRow(partitions: number): Promise<PartitionsRow> {
  const perBatch = 10;
  const tc = await tempCluster([], PORTS);
  try {
    const c = tc.cluster;
    const topic = 'growth';
    const t0 = performance.now();
    await createTopic(c, topic, partitions, 600000);
    const leaders = await waitLeaders(c, topic, partitions);
    const createMs = performance.now() - t0;
    note(`partitions ${partitions}: topic created, every partition led after ${Math.round(createMs)} ms`);
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const idleCpuAll = await idleCpu(c, IDLE_MS);
    note(`partitions ${partitions}: idle CPU per node ${idleCpuAll.map((x) => `${x.toFixed(1)} %`).join(', ')}`);

    // Produce: each leader node gets its own partitions round robin, one connection each.
    const byNode = new Map<number, number[]>();
    for (const [p, l] of [...leaders].sort((a, b) => a[0] - b[0])) byNode.set(l, [...(byNode.get(l) ?? []), p]);
    const requests = Math.max(2000, 2 * partitions);
    const src = batchSource(Buffer.alloc(MSG, 'g'), perBatch, null);
    const batchBytes = src(0).length;
    const nodes = [...byNode.keys()];
    const conns = new Map<number, KafkaConnection>();
    for (const id of nodes) {
      const n = c.node(id);
      conns.set(id, await KafkaConnection.connect(n.host, n.port, 'samsa-bench-growth'));
    }
    try {
      // requests spread over the nodes in proportion to the partitions they lead
      const share = (id: number) => Math.round((requests * byNode.get(id)!.length) / partitions);
      let acked = 0;
      const total = nodes.reduce((s, id) => s + share(id), 0);
      const tp = performance.now();
      await Promise.all(
        nodes.map((id) => {
          const ps = byNode.get(id)!;
          return pipelinedProduce(
            conns.get(id)!,
            { topic, count: share(id), acks: 1, inFlight: 8, next: src, partition: (i) => ps[i % ps.length] },
            () => ((++acked % 200 === 0 && acked < total) || acked === total) && progress(`partitions ${partitions}: produce`, acked, total),
          );
        }),
      );
      const produceSecs = (performance.now() - tp) / 1000;
      const produced = total * batchBytes;

      // Fetch: from offset 0 to each partition's end, all remaining partitions in every request.
      const end = new Map<number, number>();
      for (const id of nodes) {
        const ps = byNode.get(id)!;
        for (let i = 0; i < share(id); i++) end.set(ps[i % ps.length], (end.get(ps[i % ps.length]) ?? 0) + perBatch);
      }
      let fetched = 0;
      const tf = performance.now();
      await Promise.all(
        nodes.map(async (id) => {
          const offsets = new Map(byNode.get(id)!.filter((p) => end.has(p)).map((p) => [p, 0]));
          while (offsets.size) {
            const r = await conns.get(id)!.request(Fetch, 12, {
              maxWaitMs: 0,
              minBytes: 1,
              maxBytes: 4 << 20,
              topics: [{ topic, partitions: [...offsets].map(([partition, fetchOffset]) => ({ partition, fetchOffset, partitionMaxBytes: 1 << 20 })) }],
            });
            for (const p of r.responses[0]?.partitions ?? []) {
              if (p.errorCode !== 0) throw new Error(`fetch ${topic}-${p.partitionIndex}: error ${p.errorCode}`);
              const len = p.records?.length ?? 0;
              fetched += len;
              // whole batches of perBatch records each
              const next = offsets.get(p.partitionIndex)! + (len / batchBytes) * perBatch;
              if (next >= end.get(p.partitionIndex)!) offsets.delete(p.partitionIndex);
              else offsets.set(p.partitionIndex, next);
            }
          }
        }),
      );
      const fetchSecs = (performance.now() - tf) / 1000;
      if (fetched !== produced) throw new Error(`fetched ${fetched} bytes of ${produced}`);

      // Metadata for all topics, to node 1.
      const n1 = c.nodes[0];
      const lat: number[] = [];
      await withConn(n1.host, n1.port, async (conn) => {
        for (let i = 0; i < METADATA_RUNS; i++) {
          const t = performance.now();
          const md = await conn.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
          lat.push(performance.now() - t);
          if (md.topics.find((x) => x.name === topic)?.partitions.length !== partitions) throw new Error('metadata: partitions missing');
        }
      });
      const rssAll = c.nodes.map((n) => rss(n.pid));
      return {
        partitions,
        createMs,
        produceMBs: mb(produced) / produceSecs,
        fetchMBs: mb(fetched) / fetchSecs,
        metadataP50: median(lat),
        metadataP99: percentile(lat, 99),
        rssMax: Math.max(...rssAll),
        rssAll,
        idleCpuMax: Math.max(...idleCpuAll),
        idleCpuAll,
      };
    } finally {
      for (const conn of conns.values()) conn.close();
    }
  } finally {
    await tc.stop();
  }
}

async function partitionsSeries(): Promise<Worse[]> {
  const rows: PartitionsRow[] = [];
  for (const p of PARTITION_COUNTS) rows.push(await partitionsRow(p));
  const mbFmt = (x: number) => x.toFixed(1);
  const worse = printTable(
    'growth: partitions (3 nodes, RF 3, acks=1, batches of 10 x 1 KiB)',
    'partitions',
    [
      { label: 'create+led', kind: 'cost', fmt: (x) => `${Math.round(x)} ms` },
      { label: 'produce MB/s', kind: 'rate', fmt: mbFmt },
      { label: 'fetch MB/s', kind: 'rate', fmt: mbFmt },
      { label: 'Metadata p50', kind: 'cost', fmt: (x) => `${ms(x)} ms` },
      { label: 'Metadata p99', kind: 'cost', fmt: (x) => `${ms(x)} ms` },
      { label: 'RSS/node max', kind: 'cost', fmt: (x) => `${mbFmt(mb(x))} MB` },
      { label: 'idle CPU %', kind: 'cost', fmt: (x) => x.toFixed(1) },
    ],
    rows.map((r) => ({
      work: r.partitions,
      values: [r.createMs, r.produceMBs, r.fetchMBs, r.metadataP50, r.metadataP99, r.rssMax, r.idleCpuMax],
    })),
  );
  for (const r of rows)
    console.log(
      `  ${r.partitions} partitions: RSS per node ${r.rssAll.map((x) => `${mbFmt(mb(x))} MB`).join(', ')}; idle CPU per node ${r.idleCpuAll.map((x) => `${x.toFixed(1)} %`).join(', ')}`,
    );
  return worse;
}

// ---- 2. clients ----

interface ClientsRow {
  clients: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

async function clientsRow(leader: { host: string; port: number }, topic: string, clients: number): Promise<ClientsRow> {
  const each = Math.max(3, Math.ceil(3000 / clients));
  const conns: KafkaConnection[] = [];
  try {
    for (let i = 0; i < clients; i += 50)
      conns.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, clients - i) }, () => KafkaConnection.connect(leader.host, leader.port, 'samsa-bench-growth', 10000)),
        )),
      );
    const src = batchSource(Buffer.alloc(MSG, 'c'), 1, null);
    const lat: number[] = [];
    let done = 0;
    const total = clients * each;
    const t0 = performance.now();
    await Promise.all(
      conns.map(async (conn) => {
        for (let i = 0; i < each; i++) {
          const t = performance.now();
          const r = await conn.request(Produce, 9, { acks: 1, timeoutMs: 30000, topicData: [{ name: topic, partitionData: [{ index: 0, records: src(i) }] }] });
          lat.push(performance.now() - t);
          const code = r.responses[0].partitionResponses[0].errorCode;
          if (code !== 0) throw new Error(`produce: error ${code}`);
          if (++done % 250 === 0 || done === total) progress(`clients ${clients}`, done, total);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    return { clients, requests: total, reqPerSec: total / secs, p50: median(lat), p99: percentile(lat, 99) };
  } finally {
    for (const conn of conns) conn.close();
  }
}

async function clientsSeries(): Promise<Worse[]> {
  const limit = String(2 * Math.max(...CLIENT_COUNTS, 1000));
  const tc = await tempCluster(['--max-connections', limit, '--max-connections-per-ip', limit], PORTS);
  const rows: ClientsRow[] = [];
  try {
    const topic = 'growth-clients';
    await createTopic(tc.cluster, topic);
    const leader = await waitFullIsr(tc.cluster, topic);
    for (const n of CLIENT_COUNTS) rows.push(await clientsRow(leader, topic, n));
  } finally {
    await tc.stop();
  }
  const worse = printTable(
    'growth: concurrent producer connections (1 partition, RF 3, acks=1, 1 record of 1 KiB per request, 1 in flight per connection)',
    'clients',
    [
      { label: 'requests/s', kind: 'rate', fmt: (x) => String(Math.round(x)) },
      { label: 'p50', kind: 'cost', fmt: (x) => `${ms(x)} ms` },
      { label: 'p99', kind: 'cost', fmt: (x) => `${ms(x)} ms` },
    ],
    rows.map((r) => ({ work: r.clients, values: [r.reqPerSec, r.p50, r.p99] })),
  );
  console.log(`  requests per row: ${rows.map((r) => `${r.clients}: ${r.requests}`).join(', ')}`);
  return worse;
}

// ---- 3. recovery ----

/** Bytes of all .log segments of a partition directory and of its last (active) one. */
function logBytes(dir: string): { total: number; active: number; segments: number } {
  const logs = fs
    .readdirSync(dir)
    .filter((f) => /^\d{20}\.log$/.test(f))
    .sort();
  const sizes = logs.map((f) => fs.statSync(path.join(dir, f)).size);
  return { total: sizes.reduce((a, b) => a + b, 0), active: sizes.at(-1) ?? 0, segments: sizes.length };
}

/** The node's directory of partition 0 of `topic` (data dirs: <dataDir>/node-N/<topic>-0). */
const partitionDir = (dataDir: string, id: number, topic: string) => path.join(dataDir, `node-${id}`, `${topic}-0`);

interface RecoveryRow {
  gb: number;
  readyMs: number;
  isrMs: number;
  totalBytes: number;
  activeBytes: number;
  segments: number;
}

async function recoverySeries(): Promise<Worse[]> {
  const tc = await tempCluster([], PORTS);
  const topic = 'growth-recovery';
  const rows: RecoveryRow[] = [];
  try {
    const c = tc.cluster;
    await createTopic(c, topic);
    let leader = await waitFullIsr(c, topic);
    const perBatch = 100;
    const src = batchSource(Buffer.alloc(MSG, 'r'), perBatch, null);
    const batchBytes = src(0).length;
    let batches = 0;
    const onDisk = () => c.nodes.map((n) => logBytes(partitionDir(tc.dataDir, n.id, topic)));
    for (const gb of RECOVERY_GB) {
      const target = Math.ceil((gb * GB) / batchBytes);
      const count = target - batches;
      const conn = await KafkaConnection.connect(leader.host, leader.port, 'samsa-bench-growth');
      try {
        await pipelinedProduce(conn, { topic, count, acks: 1, inFlight: 8, next: (i) => src(batches + i) }, (a) =>
          ((a % 500 === 0 && a < count) || a === count) && progress(`recovery: fill to ${gb} GB per node`, a, count),
        );
      } finally {
        conn.close();
      }
      batches = target;
      const want = batches * batchBytes;
      const tw = performance.now();
      while (onDisk().some((d) => d.total < want)) {
        if (performance.now() - tw > 600000) throw new Error('recovery: followers did not catch up within 10 min');
        await new Promise((r) => setTimeout(r, 250));
      }
      const disk = onDisk();
      note(`recovery: ${gb} GB per node on disk (${disk.map((d) => `${(d.total / GB).toFixed(2)} GB in ${d.segments} segments`).join(', ')}); kill -9 of all nodes`);
      await Promise.all(c.nodes.map((n) => c.kill(n.id)));
      const t0 = performance.now();
      await c.startAll();
      await c.waitReady(600000);
      const readyMs = performance.now() - t0;
      leader = await waitFullIsr(c, topic, 600000);
      const isrMs = performance.now() - t0;
      note(`recovery: ${gb} GB: cluster ready after ${Math.round(readyMs)} ms, full ISR after ${Math.round(isrMs)} ms`);
      rows.push({
        gb,
        readyMs,
        isrMs,
        totalBytes: Math.max(...disk.map((d) => d.total)),
        activeBytes: Math.max(...disk.map((d) => d.active)),
        segments: Math.max(...disk.map((d) => d.segments)),
      });
    }
  } finally {
    await tc.stop();
  }
  const worse = printTable(
    'growth: recovery after kill -9 of all 3 nodes (1 partition, RF 3, segment.bytes 1 GiB)',
    'GB/node',
    [
      { label: 'cluster ready', kind: 'cost', fmt: (x) => `${Math.round(x)} ms` },
      { label: 'full ISR', kind: 'cost', fmt: (x) => `${Math.round(x)} ms` },
      { label: 'active seg GB', kind: 'cost', fmt: (x) => (x / GB).toFixed(2) },
    ],
    rows.map((r) => ({ work: r.gb, values: [r.readyMs, r.isrMs, r.activeBytes] })),
  );
  console.log(
    '  an unclean open CRC-scans only the active (last) segment of each partition (broker/log/file-log.ts FileLog.open);' +
      ' sealed segments have their indexes loaded and checked against the end of the file, not scanned;' +
      ' the producer-state replay (partition/producer-state.ts reload) reads the active segment once more, from the snapshot taken at its base',
  );
  for (const r of rows)
    console.log(`  ${r.gb} GB: ${(r.totalBytes / GB).toFixed(2)} GB in ${r.segments} segments per node, ${(r.activeBytes / GB).toFixed(2)} GB of it in the active segment (the part scanned)`);
  return worse;
}

export async function runGrowthBench(): Promise<void> {
  await stoppingOnSignal(async () => {
    console.log(
      `growth: partitions ${PARTITION_COUNTS.join(', ')}; clients ${CLIENT_COUNTS.join(', ')}; recovery ${RECOVERY_GB.join(', ')} GB per node (BENCH_GROWTH_MAX_PARTITIONS, BENCH_GROWTH_MAX_CLIENTS, BENCH_RECOVERY_GB, BENCH_GROWTH_PARTS)`,
    );
    const worse: Worse[] = [];
    if (PARTS.includes('partitions') && PARTITION_COUNTS.length) worse.push(...(await partitionsSeries()));
    if (PARTS.includes('clients') && CLIENT_COUNTS.length) worse.push(...(await clientsSeries()));
    if (PARTS.includes('recovery') && RECOVERY_GB.length) worse.push(...(await recoverySeries()));
    if (!worse.length) console.log('\ngrowth: nothing grows worse than linear');
    else {
      console.log('\ngrowth: worse than linear:');
      for (const w of worse) console.log(`  ${w.line}\n    why: ${WHY[w.column] ?? 'not explained yet'}`);
    }
  });
}
