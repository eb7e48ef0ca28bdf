// Exactly-once stream processing with kafkajs on the 3-node cluster: a consume-transform-produce
// loop (testing/clients/eos-processor.ts: one transaction per fetched batch: send, sendOffsets,
// commit) copies 600 inputs, written as 100 batches per partition, so about 300 transactions.
// Run twice: once without faults (a processor bug shows here) and once with the leader of an
// output partition killed with kill -9 a third of the way in. A failed transaction is aborted and
// the processor restarted, fencing its zombie and resuming from the committed offsets (what a
// supervisor does). Read with read_committed by an independent client (kcat, librdkafka), the
// output holds every input exactly once (no duplicate, none missing), in input order per
// partition; it stays the same while the processor idles 2 s longer (no late copies), and the
// group's committed offsets are at the end of each input partition.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '../protocol/errors.ts';
import { createTopic, leaderOf, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';

const PROCESSOR = path.join(import.meta.dirname, '../testing/clients/eos-processor.ts');
const PARTITIONS = 3;
const BATCHES = 100; // input batches (one produce request each) per partition
const PER_BATCH = 2; // inputs per batch and partition
const N = PARTITIONS * BATCHES * PER_BATCH;
const IN = 'eos-in';
const OUT = 'eos-out';
const GROUP = 'eos-group';

interface Running {
  child: ChildProcess;
  processed: number;
  exited: boolean;
}

function startProcessor(bootstrap: string, log: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', PROCESSOR, bootstrap, IN, OUT, GROUP, 'eos-txn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Running = { child, processed: 0, exited: false };
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      const m = /^processed (\d+)$/.exec(line);
      if (m) r.processed = Number(m[1]);
      else log.push(line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString().trim()));
  child.on('exit', () => (r.exited = true));
  return r;
}

async function kcat(tc: TestCluster, isolation: string): Promise<string[][]> {
  const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', OUT, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%p %s\n'], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split(' '));
}

/** Input i (value v<i>) goes to partition i % PARTITIONS; the output must hold out-v<i> once, in the same partition. */
function assertExactlyOnce(out: string[][], when: string) {
  const seen = new Map<string, number>();
  for (const [p, v] of out) {
    assert.equal(Number(p), Number(v.slice(5)) % PARTITIONS, `${v} in partition ${p}`);
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  const expected = Array.from({ length: N }, (_, i) => `out-v${i}`);
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([v, n]) => `${v} x${n}`);
  const missing = expected.filter((v) => !seen.has(v));
  const unexpected = [...seen.keys()].filter((v) => !expected.includes(v));
  assert.deepEqual({ duplicated, missing, unexpected }, { duplicated: [], missing: [], unexpected: [] }, `each input exactly once in the committed output ${when}`);
  for (let p = 0; p < PARTITIONS; p++) {
    const seq = out.filter(([q]) => Number(q) === p).map(([, v]) => Number(v.slice(5)));
    assert.deepEqual(seq, [...seq].sort((a, b) => a - b), `partition ${p} in input order ${when}`);
  }
}

async function exactlyOnce(killLeader: boolean) {
  const tc = await startTestCluster({ nodes: 3, nodeArgs: ['--group-initial-rebalance-delay-ms', '0'] });
  const kafka = new Kafka({ brokers: tc.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const admin = kafka.admin();
  let proc: Running | null = null;
  const log: string[] = [];
  try {
    for (const t of [IN, OUT])
      assert.equal(await createTopic(tc, t, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }), ErrorCode.NONE);
    const input = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await input.connect();
    const perSend = PARTITIONS * PER_BATCH;
    for (let s = 0; s < N; s += perSend)
      await input.send({ topic: IN, acks: -1, messages: Array.from({ length: perSend }, (_, j) => ({ key: `k${s + j}`, value: `v${s + j}`, partition: (s + j) % PARTITIONS })) });
    await input.disconnect();
    await admin.connect();

    const committed = async () => {
      const o = await admin.fetchOffsets({ groupId: GROUP, topics: [IN] }).catch(() => null);
      return o ? o[0].partitions.map((p) => Math.max(0, Number(p.offset))) : [];
    };
    const done = async () => (await committed()).filter((o) => o === BATCHES * PER_BATCH).length === PARTITIONS;
    let copied = 0; // inputs the processor instances before `proc` reported committed
    const started = Date.now();
    proc = startProcessor(tc.bootstrap, log);
    let restarts = 0;
    if (killLeader) {
      await until('a third of the input processed', async () => proc!.processed >= N / 3 || (proc!.exited && 'exited'), 120000);
      assert.ok(!proc.exited && proc.processed < N, `still running when the leader dies:\n${log.join('\n')}`);
      const victim = await leaderOf(tc, OUT, 0);
      assert.ok(victim > 0);
      await tc.cluster.kill(victim);
      console.log(`killed node ${victim} (leader of ${OUT}-0) after ${proc.processed} of ${N} inputs`);
    }
    await until(
      'every input committed',
      async () => {
        // A correct processor never reports more inputs committed than there are: fail fast on over-copying.
        assert.ok(copied + proc!.processed <= N, `the processor copied ${copied + proc!.processed} of ${N} inputs:\n${log.join('\n')}`);
        if (await done()) return true;
        if (proc!.exited) {
          restarts++;
          assert.ok(killLeader && restarts <= 10, `the processor failed ${restarts} time(s):\n${log.join('\n')}`);
          copied += proc!.processed;
          proc = startProcessor(tc.bootstrap, log);
        }
        return false;
      },
      240000,
    );
    console.log(`all ${N} inputs committed in ${((Date.now() - started) / 1000).toFixed(1)} s; processor restarted ${restarts} time(s)`);

    const out = await kcat(tc, 'read_committed');
    assertExactlyOnce(out, 'once committed');
    await sleep(2000); // the processor still runs: with nothing new to read it must write nothing
    assert.equal(proc.exited, false, `the processor exited while idle:\n${log.join('\n')}`);
    assertExactlyOnce(await kcat(tc, 'read_committed'), 'after 2 s idle');
    assert.deepEqual(await committed(), Array(PARTITIONS).fill(BATCHES * PER_BATCH), 'committed offsets at the end of the input');
    console.log(`output: ${out.length} committed records, ${(await kcat(tc, 'read_uncommitted')).length} including aborted ones`);
  } finally {
    proc?.child.kill('SIGKILL');
    await admin.disconnect().catch(() => {});
    await tc.stop();
  }
}

const opts = { skip: !hasCommand('kcat') && 'kcat not installed', timeout: 300000 };

test('kafkajs consume-transform-produce with sendOffsets, no faults: each input exactly once', opts, () => exactlyOnce(false));

test('kafkajs consume-transform-produce with sendOffsets: kill -9 of a leader mid-run, each input exactly once', opts, () => exactlyOnce(true));
