// The exactly-once copier (exactly-once.ts) on a real 3-node cluster through a kill -9 of its
// transaction coordinator: the failure @platformatic/kafka 1.35.0 cannot get over by itself
// (it keeps its cached coordinator: "addPartitionsToTransaction failed 6 times", every attempt
// a connection error to the dead node; decision 0029). 300 inputs are written first, copied
// at most 5 per transaction; the
// coordinator is killed a third of the way in; the copier's next session (a new producer under
// the same transactional.id) finds the new coordinator and finishes. Read by an independent
// client (kcat, librdkafka) as read_committed, the output holds each input exactly once (by the
// partition:offset each copy names) in input order per partition, and the group's offsets are
// at the input's end. The transactional id is picked so that its coordinator is not the group's
// (the client cannot survive losing that one; decision 0029).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { createTopic, startTestCluster, withConn, type TestCluster } from '../../../broker/testing/cluster.ts';
import { hasCommand, run } from '../../../broker/testing/run.ts';
import { until } from '../../../broker/testing/wait.ts';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator.ts';
import { ErrorCode } from '../../../broker/protocol/errors.ts';
import type { ClusterConfig } from '../../kafka/cluster-config.ts';
import { ExactlyOnceLoop } from './exactly-once.ts';

const IN = 'eos-copier-in';
const OUT = 'eos-copier-out';
const GROUP = 'eos-copier-group';
const PARTITIONS = 3;
const N = 300;

/** The coordinator node of a group (keyType 0) or transactional id (1), as node 1 answers it. */
async function coordinatorOf(tc: TestCluster, key: string, keyType: 0 | 1): Promise<number> {
  return until(`the coordinator of ${key}`, async () => {
    const r = await withConn(tc, 1, (c) => c.request(FindCoordinator, 3, { key, keyType }, 15000));
    return r && r.errorCode === ErrorCode.NONE ? r.nodeId : null;
  }, 30000);
}

async function kcat(tc: TestCluster, isolation: string): Promise<{ partition: number; offset: number; from: string }[]> {
  const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', OUT, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%p %o %s\n'], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [p, o, ...rest] = l.split(' ');
      const v: unknown = JSON.parse(rest.join(' '));
      const from = typeof v === 'object' && v !== null && 'from' in v && typeof v.from === 'string' ? v.from : '';
      return { partition: Number(p), offset: Number(o), from };
    });
}

test('exactly-once copier: kill -9 of the transaction coordinator mid-run, each input once in the read_committed output', { skip: !hasCommand('kcat') && 'kcat not installed', timeout: 300_000 }, async () => {
  const tc = await startTestCluster({ nodes: 3, nodeArgs: ['--group-initial-rebalance-delay-ms', '0'] });
  const errors: string[] = [];
  let loop: ExactlyOnceLoop | null = null;
  try {
    for (const t of [IN, OUT]) assert.equal(await createTopic(tc, t, { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }), ErrorCode.NONE);
    const groupCoordinator = await coordinatorOf(tc, GROUP, 0);
    let transactionalId = '';
    let txnCoordinator = -1;
    for (let i = 0; txnCoordinator < 0 || txnCoordinator === groupCoordinator; i++) {
      assert.ok(i < 20, 'every transactional id tried is coordinated by the group coordinator');
      transactionalId = `eos-copier-txn-${i}`;
      txnCoordinator = await coordinatorOf(tc, transactionalId, 1);
    }
    const input = new Producer({ clientId: 'eos-input', bootstrapBrokers: tc.bootstrap.split(','), serializers: stringSerializers, acks: -1 });
    for (let s = 0; s < N; s += 30)
      await input.send({ messages: Array.from({ length: 30 }, (_, j) => ({ topic: IN, key: `k${s + j}`, value: JSON.stringify({ n: s + j }), partition: (s + j) % PARTITIONS })) });
    await input.close();

    const config: ClusterConfig = { id: 'test', name: 'test', bootstrap: tc.bootstrap.split(','), bundled: true };
    const positions = new Map<number, bigint>();
    loop = new ExactlyOnceLoop({ input: IN, output: OUT, group: GROUP, transactionalId, maxBatch: 5 });
    loop.start(config, { committed: (_, pos) => pos.forEach((o, p) => positions.set(p, o)), failed: (e) => errors.push(e instanceof Error ? e.message : String(e)) });
    const started = Date.now();
    await until('a third of the inputs copied', async () => loop!.progress.copied >= N / 3 || null, 120000);
    assert.ok(loop.progress.copied < N, 'still copying when the coordinator dies');
    await tc.cluster.kill(txnCoordinator);
    console.log(`killed node ${txnCoordinator} (transaction coordinator of ${transactionalId}; group coordinator ${groupCoordinator}) after ${loop.progress.copied} of ${N}`);
    await until('every input copied', async () => loop!.progress.copied >= N || null, 180000);
    console.log(`all ${N} copied in ${((Date.now() - started) / 1000).toFixed(1)} s: ${loop.summary()}; errors: ${errors.slice(0, 3).join(' / ')}`);
    assert.ok(loop.progress.sessions >= 2 && loop.progress.aborted >= 1, `the kill ended a session: ${loop.summary()}`);
    assert.equal(loop.progress.copied, N, 'no input counted twice in committed transactions');
    await loop.stop();
    loop = null;

    const out = await kcat(tc, 'read_committed');
    const copies = new Map<string, number>();
    for (const r of out) copies.set(r.from, (copies.get(r.from) ?? 0) + 1);
    const expected = Array.from({ length: N }, (_, i) => `${i % PARTITIONS}:${Math.floor(i / PARTITIONS)}`);
    assert.deepEqual(
      { missing: expected.filter((f) => !copies.has(f)), twice: [...copies].filter(([, n]) => n > 1).map(([f]) => f), records: out.length },
      { missing: [], twice: [], records: N },
      'each input exactly once in the committed output',
    );
    for (let p = 0; p < PARTITIONS; p++) {
      const seq = out.filter((r) => r.partition === p).map((r) => Number(r.from.split(':')[1]));
      assert.ok(out.filter((r) => r.partition === p).every((r) => r.from.startsWith(`${p}:`)), `partition ${p} holds copies of its own input partition`);
      assert.deepEqual(seq, [...seq].sort((a, b) => a - b), `partition ${p} in input order`);
    }
    assert.deepEqual([...positions].sort(([a], [b]) => a - b), Array.from({ length: PARTITIONS }, (_, p) => [p, BigInt(N / PARTITIONS)]), 'committed offsets at the input end');
    console.log(`output: ${out.length} committed records, ${(await kcat(tc, 'read_uncommitted')).length} with the aborted ones`);
  } finally {
    await loop?.stop();
    await tc.stop();
  }
});
