// The same C client against Samsa and against librdkafka's in-memory mock cluster, part of
// `npm run bench` (`npm run bench -- rdkafka` runs only this). bench/rdkafka-perf.c is compiled
// with the machine's C compiler against Debian's librdkafka-dev (skipped, saying so, when the
// header or the compiler is missing) into a temp dir. Each figure runs the client twice per
// repetition, alternating, in this process tree: once against Samsa, once against a mock cluster
// of 3 brokers the client process makes for itself (a second, independent Kafka; it keeps
// messages in memory and does not replicate, so it is the ceiling of what the client can push).
//  1. acks=1: a 1-node Samsa cluster, topic of 1 partition, RF 1.
//  2. acks=all: the 3-node cluster, 1 partition, RF 3, min.insync.replicas 2; mock RF 3.
// COUNT messages of 1 KiB (BENCH_RDKAFKA_MSGS, default 200 000), librdkafka's default batching.
// Printed: MB/s of each, the ratio Samsa / mock (min, median, max over BENCH_RDKAFKA_RUNS,
// default 5), and the delivery-latency p99 of each.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createTopic, median, note, stoppingOnSignal, tempCluster, waitFullIsr, type TempCluster } from './cluster.ts';

const MSGS = Number(process.env.BENCH_RDKAFKA_MSGS ?? 200_000);
const RUNS = Number(process.env.BENCH_RDKAFKA_RUNS ?? 5);
const SIZE = 1024;
const HEADER = '/usr/include/librdkafka/rdkafka_mock.h';

const PerfResult = z.object({
  msgs: z.number(),
  bytes: z.number(),
  secs: z.number(),
  failed: z.number(),
  outstanding: z.number(),
  firstError: z.string(),
  p50ms: z.number(),
  p99ms: z.number(),
});
type PerfResult = z.infer<typeof PerfResult>;

/** Compiles the C client; null (and why, on stderr) when this machine cannot. */
function compile(dir: string): string | null {
  if (!fs.existsSync(HEADER)) {
    note(`rdkafka: skipped, ${HEADER} missing (apt-get install librdkafka-dev)`);
    return null;
  }
  const src = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rdkafka-perf.c');
  const bin = path.join(dir, 'rdkafka-perf');
  const cc = spawnSync('cc', ['-O2', '-o', bin, src, '-lrdkafka'], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) {
    note(`rdkafka: skipped, cc failed: ${cc.error?.message ?? cc.stderr}`);
    return null;
  }
  return bin;
}

function run(bin: string, bootstrap: string, topic: string, acks: string, rf: number): PerfResult {
  const r = spawnSync(bin, [bootstrap, topic, acks, String(MSGS), String(SIZE), String(rf)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`rdkafka-perf ${bootstrap} ${topic} acks=${acks} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return PerfResult.parse(JSON.parse(r.stdout));
}

const mbps = (x: PerfResult) => x.bytes / x.secs / (1024 * 1024);
const f1 = (n: number) => n.toFixed(1);

async function figure(bin: string, label: string, nodes: number, acks: string): Promise<void> {
  note(`rdkafka: ${label}: starting ${nodes} node(s) ...`);
  const tc: TempCluster = await tempCluster([], 29500, nodes);
  try {
    const ours: PerfResult[] = [];
    const mock: PerfResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A fresh topic each run, so that both sides start from an empty partition.
      const topic = `rdperf-${acks === 'all' ? 'all' : 'one'}-${i}`;
      await createTopic(tc.cluster, topic);
      await waitFullIsr(tc.cluster, topic);
      ours.push(run(bin, tc.cluster.bootstrap, topic, acks, nodes));
      mock.push(run(bin, 'mock', topic, acks, 3));
      note(`rdkafka: ${label}: run ${i + 1}/${RUNS}: Samsa ${f1(mbps(ours[i]))} MB/s, mock ${f1(mbps(mock[i]))} MB/s`);
    }
    const ratios = ours.map((o, i) => mbps(o) / mbps(mock[i])).sort((a, b) => a - b);
    const med = (xs: PerfResult[], f: (x: PerfResult) => number) => median(xs.map(f));
    console.log(
      `rdkafka ${label}: Samsa ${f1(med(ours, mbps))} MB/s, mock ${f1(med(mock, mbps))} MB/s, ratio median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x (min ${ratios[0].toFixed(2)}, max ${ratios[ratios.length - 1].toFixed(2)}); delivery p99 Samsa ${med(ours, (x) => x.p99ms).toFixed(1)} ms, mock ${med(mock, (x) => x.p99ms).toFixed(1)} ms`,
    );
  } finally {
    await tc.stop();
  }
}

export async function runRdkafkaBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-rdkafka-'));
  try {
    const bin = compile(dir);
    if (!bin) return;
    console.log(`rdkafka: the same C client (librdkafka, ${MSGS} x ${SIZE} B, default batching), Samsa vs librdkafka's mock cluster, ${RUNS} runs`);
    await stoppingOnSignal(async () => {
      await figure(bin, '1 node, acks=1      ', 1, '1');
      await figure(bin, '3 nodes RF 3 acks=all', 3, 'all');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
