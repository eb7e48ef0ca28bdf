// Cluster figures, part of `npm run bench` (`npm run bench -- cluster` runs only these). Every
// cluster is 3 node processes from startCluster() on free ports with a temp data dir, always
// stopped and removed afterwards. Topics have 1 partition, RF 3, min.insync.replicas 2.
//  1. produce throughput: pipelined Produce (acks=all, batches of 100 records of 1 KiB, 8 in
//     flight) to the partition leader, as a ratio to the loopback TCP copy of bench/run.ts
//     measured in this process with the same bytes in the same request-sized chunks; plain and
//     idempotent (bench/produce-pump.ts), the second also as a ratio to the first.
//  2. latency: Produce of 1 record of 1 KiB (acks=all) at a fixed rate (open loop: requests are
//     sent on schedule, not after the previous answer), each timed from send to response; the
//     first 0.5 s is warm-up and not counted.
//  3. failover: a steady acks=all writer runs while the partition leader is killed with kill -9;
//     the figure is the time from the kill to the first acknowledged write sent after it. Our
//     client (KafkaConnection, one request in flight, re-reads Metadata from the bootstrap nodes
//     on NOT_LEADER_OR_FOLLOWER or any other error or a broken connection, retrying after 10 ms)
//     and, when Debian's python3 with confluent_kafka is there, librdkafka with the producer
//     settings of the acceptance check (acks=all, linger.ms 2, a message every ~2 ms). Median of
//     3 kills each; the killed node is restarted and waited for in the ISR between kills.
//  4. cold start: startCluster() of 3 nodes on a fresh temp dir until every node answers
//     Metadata with all brokers and a controller (`cluster ready`); median of 3.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { KafkaConnection } from '../broker/client/connection.ts';
import { ErrorCode } from '../broker/protocol/errors.ts';
import { CreateTopics } from '../broker/protocol/messages/create-topics.ts';
import { Metadata } from '../broker/protocol/messages/metadata.ts';
import { Produce } from '../broker/protocol/messages/produce.ts';
import { buildBatch } from '../broker/protocol/record-batch.ts';
import { batchSource, pipelinedProduce } from './produce-pump.ts';
import { findFreeBlock } from '../broker/supervisor/ports.ts';
import { startCluster, type Cluster } from '../broker/supervisor/supervisor.ts';

const NODES = 3;
const MSG = 1024;
const PER_BATCH = 100;
const IN_FLIGHT = 8;
const TOTAL_MB = Number(process.env.BENCH_CLUSTER_MB ?? 128);
const LAT_RATE = Number(process.env.BENCH_CLUSTER_RATE ?? 500);
const LAT_SECS = 5;
const LAT_WARMUP_SECS = 0.5;
const KILLS = 3;
const COLD_RUNS = 3;

type Loopback = (totalBytes: number, chunk: number) => Promise<number>;

export const note = (line: string) => process.stderr.write(`${line}\n`);
export const progress = (label: string, done: number, total: number) =>
  process.stderr.write(`\r${label}: ${Math.round((100 * done) / total)}%   ${done === total ? '\n' : ''}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => bytes / (1024 * 1024);
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : String(Math.round(x)));

// ---- temp clusters, always stopped and removed (also on Ctrl-C) ----

export interface TempCluster {
  cluster: Cluster;
  dataDir: string;
  stop(): Promise<void>;
}
const live = new Set<TempCluster>();
let signalled = false;
const onSignal = (sig: NodeJS.Signals) => {
  if (signalled) return;
  signalled = true;
  note(`\n${sig}: stopping clusters`);
  void Promise.allSettled([...live].map((c) => c.stop())).then(() => process.exit(130));
};

/** Runs f with Ctrl-C / SIGTERM stopping (and removing) every temp cluster first. */
export async function stoppingOnSignal<T>(f: () => Promise<T>): Promise<T> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await f();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `from`: where to look for free ports (other benches on the machine start elsewhere). */
export async function tempCluster(nodeArgs: string[] = [], from = 29300, nodes = NODES): Promise<TempCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-cluster-'));
  let cluster: Cluster;
  try {
    const base = await findFreeBlock(from, nodes, '127.0.0.1');
    cluster = await startCluster({ nodes, basePort: base, dataDir, nodeArgs });
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const tc: TempCluster = {
    cluster,
    dataDir,
    async stop() {
      live.delete(tc);
      try {
        await cluster.stop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  live.add(tc);
  return tc;
}

// ---- our client: topic creation, partition leader lookup ----

export interface Endpoint {
  id: number;
  host: string;
  port: number;
}

export async function withConn<T>(host: string, port: number, f: (c: KafkaConnection) => Promise<T>): Promise<T> {
  const conn = await KafkaConnection.connect(host, port, 'samsa-bench-cluster', 1000);
  try {
    return await f(conn);
  } finally {
    conn.close();
  }
}

/** Creates `name` with `partitions` partitions, RF 3, min.insync.replicas 2, waiting up to timeoutMs. */
/** RF = every node of the cluster, min.insync.replicas 2 (1 on a single node). */
export async function createTopic(c: Cluster, name: string, partitions = 1, timeoutMs = 30000): Promise<void> {
  const n = c.nodes[0];
  const r = await withConn(n.host, n.port, (conn) =>
    conn.request(CreateTopics, 7, {
      topics: [
        { name, numPartitions: partitions, replicationFactor: c.nodes.length, assignments: [], configs: [{ name: 'min.insync.replicas', value: String(Math.min(2, c.nodes.length)) }] },
      ],
      timeoutMs,
      validateOnly: false,
    }, timeoutMs + 5000),
  );
  const t = r.topics[0];
  if (t.errorCode !== 0) throw new Error(`CreateTopics ${name}: error ${t.errorCode} ${t.errorMessage ?? ''}`);
}

interface PartitionView {
  leader: Endpoint | null;
  isr: number[];
}

/** Partition 0 of `topic` as one node sees it (throws if the node does not answer). */
async function partitionView(host: string, port: number, topic: string): Promise<PartitionView> {
  const md = await withConn(host, port, (conn) =>
    conn.request(Metadata, 12, { topics: [{ name: topic }], allowAutoTopicCreation: false }, 1000),
  );
  const p = md.topics[0]?.partitions.find((q) => q.partitionIndex === 0);
  if (!p || md.topics[0].errorCode !== 0 || p.errorCode !== 0) return { leader: null, isr: [] };
  const b = md.brokers.find((x) => x.nodeId === p.leaderId);
  return { leader: b ? { id: b.nodeId, host: b.host, port: b.port } : null, isr: p.isrNodes };
}

/** The partition leader per the first bootstrap node that answers and knows one (null if none). */
async function lookupLeader(bootstrap: Endpoint[], topic: string, start = 0): Promise<Endpoint | null> {
  for (let i = 0; i < bootstrap.length; i++) {
    const n = bootstrap[(start + i) % bootstrap.length];
    try {
      const v = await partitionView(n.host, n.port, topic);
      if (v.leader) return v.leader;
    } catch {
      /* down or not answering: ask the next one */
    }
  }
  return null;
}

/** Waits until every node reports a leader and every node in the ISR. */
export async function waitFullIsr(c: Cluster, topic: string, timeoutMs = 60000): Promise<Endpoint> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let leader: Endpoint | null = null;
    let ok = true;
    for (const n of c.nodes) {
      try {
        const v = await partitionView(n.host, n.port, topic);
        if (!v.leader || v.isr.length < c.nodes.length || (leader && leader.id !== v.leader.id)) ok = false;
        leader = v.leader;
      } catch {
        ok = false;
      }
    }
    if (ok && leader) return leader;
    if (Date.now() > deadline) throw new Error(`${topic}: no leader with a full ISR within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function produceBody(topic: string, records: Buffer) {
  return { acks: -1, timeoutMs: 10000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}
const codeOf = (r: { responses: { partitionResponses: { errorCode: number }[] }[] }) => r.responses[0].partitionResponses[0].errorCode;

// ---- 1. throughput ----

async function throughput(c: Cluster, loopback: Loopback): Promise<void> {
  const value = Buffer.alloc(MSG, 'x');
  const batches = Math.ceil((TOTAL_MB * 1024 * 1024) / (MSG * PER_BATCH));
  const half = Math.ceil(batches / 2);
  const variants = [
    { topic: 'bench-rf3', next: batchSource(value, PER_BATCH, null), secs: 0 },
    { topic: 'bench-rf3-idempotent', next: batchSource(value, PER_BATCH, 2048), secs: 0 },
  ];
  const conns: KafkaConnection[] = [];
  let leaderId = -1;
  try {
    for (const v of variants) {
      await createTopic(c, v.topic);
      const leader = await waitFullIsr(c, v.topic);
      leaderId = leader.id;
      conns.push(await KafkaConnection.connect(leader.host, leader.port, 'samsa-bench-cluster'));
    }
    // Alternating halves, so that warm-up and a filling page cache weigh on both alike.
    for (const [from, count] of [[0, half], [half, batches - half]]) {
      for (const [k, v] of variants.entries()) {
        v.secs += await pipelinedProduce(
          conns[k],
          { topic: v.topic, count, acks: -1, inFlight: IN_FLIGHT, next: (i) => v.next(from + i) },
          (acked) => (acked % 100 === 0 || acked === count) && progress(`cluster produce ${v.topic} (acks=all, RF 3)`, acked, count),
        );
      }
    }
  } finally {
    for (const conn of conns) conn.close();
  }
  const batchBytes = variants[0].next(0).length;
  const totalBytes = batches * batchBytes;
  note('loopback TCP copy ...');
  const ceiling = await loopback(totalBytes, batchBytes);
  const [plain, idem] = variants.map((v) => totalBytes / v.secs);
  const msgs = batches * PER_BATCH;
  console.log(`cluster: 3 nodes, ${msgs} messages of ${MSG} B (${mb(totalBytes).toFixed(1)} MB) per run, batches of ${PER_BATCH}, ${IN_FLIGHT} in flight to the leader (node ${leaderId} for the last topic)`);
  console.log(`cluster: loopback TCP copy  ${mb(ceiling).toFixed(1)} MB/s`);
  console.log(`cluster: RF=3 acks=all produce  ${mb(plain).toFixed(1)} MB/s  ${Math.round(msgs / variants[0].secs)} msgs/s  ratio ${(plain / ceiling).toFixed(3)} (aim >= 0.08)`);
  console.log(`cluster: RF=3 acks=all idempotent  ${mb(idem).toFixed(1)} MB/s  ${Math.round(msgs / variants[1].secs)} msgs/s  ratio ${(idem / ceiling).toFixed(3)}, ${(idem / plain).toFixed(3)} of plain (aim >= 0.95)`);
}

// ---- 2. latency at a fixed rate ----

async function latency(c: Cluster): Promise<void> {
  const topic = 'bench-latency';
  await createTopic(c, topic);
  const leader = await waitFullIsr(c, topic);
  const value = Buffer.alloc(MSG, 'y');
  const total = Math.round(LAT_RATE * LAT_SECS);
  const warm = Math.round(LAT_RATE * LAT_WARMUP_SECS);
  const interval = 1000 / LAT_RATE;
  const conn = await KafkaConnection.connect(leader.host, leader.port, 'samsa-bench-cluster');
  const lat: number[] = [];
  let failed = 0;
  let maxBehind = 0;
  try {
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; ) {
      const due = t0 + i * interval;
      const now = performance.now();
      if (now < due) {
        await sleep(due - now);
        continue;
      }
      maxBehind = Math.max(maxBehind, now - due);
      const records = buildBatch([{ value }]);
      const sentAt = performance.now();
      const idx = i;
      pending.push(
        conn.request(Produce, 9, produceBody(topic, records)).then(
          (r) => {
            if (codeOf(r) !== 0) failed++;
            else if (idx >= warm) lat.push(performance.now() - sentAt);
          },
          () => void failed++,
        ),
      );
      i++;
      if (i % LAT_RATE === 0) progress('cluster latency', i, total);
    }
    await Promise.all(pending);
  } finally {
    conn.close();
  }
  if (failed) note(`latency: ${failed} requests failed`);
  if (maxBehind > 20) note(`latency: the sender fell up to ${ms(maxBehind)} ms behind its schedule`);
  if (!lat.length) throw new Error('latency: no successful request');
  console.log(
    `cluster: acks=all latency p50 ${ms(percentile(lat, 50))} ms p99 ${ms(percentile(lat, 99))} ms max ${ms(Math.max(...lat))} ms at ${LAT_RATE} req/s (1 record of ${MSG} B each, ${lat.length} requests timed${failed ? `, ${failed} failed` : ''})`,
  );
}

// ---- 3. kill -9 of the leader ----

/** Our client: one acks=all request in flight; on any error re-reads Metadata and retries. */
class OurWriter {
  acks: { sentAt: number; ackAt: number }[] = [];
  errors = new Map<string, number>();
  private running = true;
  private done: Promise<void>;
  private readonly bootstrap: Endpoint[];

  constructor(
    c: Cluster,
    private readonly topic: string,
  ) {
    this.bootstrap = c.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port }));
    this.done = this.loop();
  }

  private count(what: string) {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }

  private async loop(): Promise<void> {
    const value = Buffer.alloc(MSG, 'z');
    let leader: Endpoint | null = null;
    let conn: KafkaConnection | null = null;
    let rr = 0;
    const reset = () => {
      conn?.close();
      conn = null;
      leader = null;
    };
    while (this.running) {
      try {
        if (!leader) leader = await lookupLeader(this.bootstrap, this.topic, rr++);
        if (!leader) {
          this.count('no leader in metadata');
          await sleep(10);
          continue;
        }
        if (!conn || conn.closed) conn = await KafkaConnection.connect(leader.host, leader.port, 'samsa-bench-writer', 1000);
        const sentAt = performance.now();
        const code = codeOf(await conn.request(Produce, 9, produceBody(this.topic, buildBatch([{ value }])), 12000));
        if (code === 0) {
          this.acks.push({ sentAt, ackAt: performance.now() });
        } else {
          this.count(`error ${code}${code === ErrorCode.NOT_LEADER_OR_FOLLOWER ? ' NOT_LEADER_OR_FOLLOWER' : ''}`);
          reset();
          await sleep(10);
        }
      } catch (e) {
        this.count((e as Error).message.replace(/\d+(\.\d+)*(:\d+)?/g, '#'));
        reset();
        await sleep(10);
      }
    }
    reset();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

/** Kills the current leader of `topic`; returns its id and the kill time (performance.now()). */
async function killLeader(c: Cluster, topic: string): Promise<{ id: number; at: number }> {
  const bootstrap = c.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port }));
  const leader = await lookupLeader(bootstrap, topic);
  if (!leader) throw new Error('no leader to kill');
  const at = performance.now();
  c.kill(leader.id);
  return { id: leader.id, at };
}

async function rejoin(c: Cluster, topic: string, id: number): Promise<void> {
  const t = performance.now();
  await c.startNode(id);
  await waitFullIsr(c, topic);
  note(`  node ${id} restarted and back in the ISR after ${Math.round(performance.now() - t)} ms`);
}

async function failoverOurs(c: Cluster): Promise<number[]> {
  const topic = 'bench-failover';
  await createTopic(c, topic);
  await waitFullIsr(c, topic);
  const gaps: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const w = new OurWriter(c, topic);
    try {
      if (!(await waitFor(() => w.acks.length >= 200, 15000))) throw new Error('our writer: no steady acks before the kill');
      await sleep(500);
      const kill = await killLeader(c, topic);
      const ok = await waitFor(() => w.acks.some((a) => a.sentAt >= kill.at), 20000);
      await sleep(300);
      await w.stop();
      if (!ok) throw new Error(`our writer: no ack within 20 s after kill -9 of node ${kill.id}`);
      const next = w.acks.find((a) => a.sentAt >= kill.at)!;
      const gap = next.ackAt - kill.at;
      gaps.push(gap);
      const errs = [...w.errors].map(([e, n]) => `${e} x${n}`).join(', ');
      note(`kill ${k + 1}/${KILLS} (our client): killed leader node ${kill.id}, next ack after ${Math.round(gap)} ms${errs ? `; retried on: ${errs}` : ''}`);
      await rejoin(c, topic, kill.id);
    } finally {
      await w.stop();
    }
  }
  return gaps;
}

// librdkafka: the producer of the acceptance check, printing `sent_ts ack_ts` (epoch seconds) per
// acknowledged message; it stops when its stdin closes.
const PY_PRODUCER = `
import sys, time, threading
from confluent_kafka import Producer
boot, topic = sys.argv[1], sys.argv[2]
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
def cb(err, msg, sent):
    if err is None:
        sys.stdout.write(f"{sent:.6f} {time.time():.6f}\\n"); sys.stdout.flush()
p = Producer({"bootstrap.servers": boot, "acks": "all", "linger.ms": 2, "message.timeout.ms": 20000})
i = 0
while not stop.is_set():
    sent = time.time()
    try:
        p.produce(topic, value=str(i), on_delivery=lambda err, msg, sent=sent: cb(err, msg, sent))
        i += 1
    except BufferError:
        pass
    p.poll(0)
    time.sleep(0.002)
p.flush(30)
`;

async function failoverLibrdkafka(c: Cluster, py: string): Promise<number[]> {
  const topic = 'bench-failover-rdkafka';
  await createTopic(c, topic);
  await waitFullIsr(c, topic);
  const gaps: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const child = spawn(py, ['-c', PY_PRODUCER, c.bootstrap, topic], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const acks: { sent: number; ack: number }[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      const [s, a] = l.split(' ').map(Number);
      acks.push({ sent: s * 1000, ack: a * 1000 });
    });
    try {
      if (!(await waitFor(() => acks.length >= 200, 20000))) throw new Error(`librdkafka producer: no steady acks before the kill\n${stderr}`);
      await sleep(500);
      const kill = await killLeader(c, topic);
      const killEpoch = performance.timeOrigin + kill.at;
      const ok = await waitFor(() => acks.some((a) => a.sent >= killEpoch), 25000);
      await sleep(300);
      child.stdin.end();
      await exited;
      if (!ok) throw new Error(`librdkafka producer: no ack within 25 s after kill -9 of node ${kill.id}\n${stderr}`);
      const next = Math.min(...acks.filter((a) => a.sent >= killEpoch).map((a) => a.ack));
      const gap = next - killEpoch;
      const around = acks.map((a) => a.ack).filter((t) => t >= killEpoch - 1000).sort((x, y) => x - y);
      const maxGap = Math.max(...around.slice(1).map((t, i) => t - around[i]));
      gaps.push(gap);
      note(`kill ${k + 1}/${KILLS} (librdkafka): killed leader node ${kill.id}, next ack after ${Math.round(gap)} ms (longest pause between acks ${Math.round(maxGap)} ms)`);
      await rejoin(c, topic, kill.id);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }
  return gaps;
}

/** Debian's python3 (or the first python3) that imports confluent_kafka, or null. */
function confluentPython(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    try {
      if (spawnSync(p, ['-c', 'import confluent_kafka'], { stdio: 'ignore' }).status === 0) return p;
    } catch {
      /* try the next one */
    }
  }
  return null;
}

// ---- 4. cold start ----

async function coldStart(): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < COLD_RUNS; k++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-cold-'));
    let cluster: Cluster | undefined;
    try {
      const base = await findFreeBlock(29400, NODES, '127.0.0.1');
      const t0 = performance.now();
      cluster = await startCluster({ nodes: NODES, basePort: base, dataDir });
      const t = performance.now() - t0;
      times.push(t);
      note(`cold start ${k + 1}/${COLD_RUNS}: ${Math.round(t)} ms`);
    } finally {
      await cluster?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return times;
}

export async function runClusterBench(loopback: Loopback): Promise<void> {
  await stoppingOnSignal(async () => {
    note('cluster: starting 3 nodes ...');
    let tc = await tempCluster();
    try {
      await throughput(tc.cluster, loopback);
      await latency(tc.cluster);
    } finally {
      await tc.stop();
    }

    note('cluster: fresh 3 nodes for kill -9 ...');
    tc = await tempCluster();
    try {
      const ours = await failoverOurs(tc.cluster);
      const py = confluentPython();
      let rd: number[] | null = null;
      if (py) rd = await failoverLibrdkafka(tc.cluster, py);
      else note('no python3 with confluent_kafka: librdkafka figure skipped');
      const list = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
      console.log(
        `cluster: kill -9 leader -> next ack  ${Math.round(median(ours))} ms (our client), ${rd ? `${Math.round(median(rd))} ms (librdkafka)` : 'librdkafka n/a'} (aim < 1500); median of ${KILLS}: ours [${list(ours)}]${rd ? `, librdkafka [${list(rd)}]` : ''}`,
      );
    } finally {
      await tc.stop();
    }

    const cold = await coldStart();
    console.log(`cluster: cold start of 3 nodes  ${Math.round(median(cold))} ms (aim < 2000); median of ${COLD_RUNS}: [${cold.map((x) => Math.round(x)).join(', ')}]`);
  });
}
