// A commit survives kill -9 of the transaction coordinator and of a partition leader, on the
// 3-node cluster, driven with our own wire client so the failure lands exactly between the
// steps of the commit; checked with an independent read_committed client (kcat) and on disk.
// 1. Coordinator failover during EndTxn: the commit is acknowledged (PrepareCommit replicated),
//    one partition has its marker, the other's leader is frozen so its marker cannot be
//    written: the transaction is half done. The coordinator is killed with kill -9; the new
//    coordinator loads PrepareCommit and writes the missing marker: committed everywhere.
//    The client's retried EndTxn gets NONE from it, an abort INVALID_TXN_STATE.
// 2. The leader of a partition of the transaction is killed with kill -9 just before EndTxn:
//    the marker goes to the new leader, elected from the ISR that has the transaction's data;
//    the restarted node catches up, and every replica's log holds the commit marker.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { FileLog } from '../log/file-log.ts';
import { DEFAULT_LOG_CONFIG } from '../log/types.ts';
import { readMarker } from '../protocol/control-record.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AddPartitionsToTxn } from '../protocol/messages/add-partitions-to-txn.ts';
import { DescribeTransactions } from '../protocol/messages/describe-transactions.ts';
import { EndTxn } from '../protocol/messages/end-txn.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { FindCoordinator } from '../protocol/messages/find-coordinator.ts';
import { InitProducerId } from '../protocol/messages/init-producer-id.ts';
import { ATTR, buildBatch, scanValidPrefix } from '../protocol/record-batch.ts';
import { createTopic, metadataOf, partitionView, produceTo, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';

const RETRIABLE = new Set<number>([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.CONCURRENT_TRANSACTIONS,
]);

/** The transactional id's coordinator as node `via` answers FindCoordinator; -1 while unknown. */
async function coordinatorOf(tc: TestCluster, txnId: string, via: number): Promise<number> {
  const r = await withConn(tc, via, (c) => c.request(FindCoordinator, 3, { key: txnId, keyType: 1 }, 15000));
  return r && r.errorCode === ErrorCode.NONE ? r.nodeId : -1;
}

/** Calls fn on a connection to the current coordinator until it answers something not retriable. */
async function onCoordinator<T>(tc: TestCluster, txnId: string, via: number, fn: (c: KafkaConnection) => Promise<T>, code: (r: T) => number): Promise<T> {
  return until(`an answer from the coordinator of ${txnId}`, async () => {
    const node = await coordinatorOf(tc, txnId, via);
    if (node < 0) return null;
    const r = await withConn(tc, node, fn);
    return r !== null && !RETRIABLE.has(code(r)) ? r : null;
  }, 60000);
}

async function beginTxn(tc: TestCluster, txnId: string, via: number, partitions: { topic: string; partitions: number[] }[]) {
  const init = await onCoordinator(
    tc,
    txnId,
    via,
    (c) => c.request(InitProducerId, 4, { transactionalId: txnId, transactionTimeoutMs: 120000, producerId: -1, producerEpoch: -1 }),
    (r) => r.errorCode,
  );
  assert.equal(init.errorCode, ErrorCode.NONE);
  const add = await onCoordinator(
    tc,
    txnId,
    via,
    (c) =>
      c.request(AddPartitionsToTxn, 3, {
        v3AndBelowTransactionalId: txnId,
        v3AndBelowProducerId: init.producerId,
        v3AndBelowProducerEpoch: init.producerEpoch,
        v3AndBelowTopics: partitions.map((p) => ({ name: p.topic, partitions: p.partitions })),
      }),
    (r) => r.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode,
  );
  for (const t of add.resultsByTopicV3AndBelow) for (const p of t.resultsByPartition) assert.equal(p.partitionErrorCode, ErrorCode.NONE);
  return { producerId: init.producerId, producerEpoch: init.producerEpoch };
}

const txnBatch = (pid: { producerId: number; producerEpoch: number }, values: string[], baseSequence = 0) =>
  buildBatch(values.map((value) => ({ value })), { ...pid, baseSequence, transactional: true });

async function endTxn(tc: TestCluster, txnId: string, via: number, pid: { producerId: number; producerEpoch: number }, committed: boolean) {
  const r = await onCoordinator(tc, txnId, via, (c) => c.request(EndTxn, 3, { transactionalId: txnId, ...pid, committed }, 30000), (x) => x.errorCode);
  return r.errorCode;
}

async function txnState(tc: TestCluster, txnId: string, via: number): Promise<string> {
  const r = await onCoordinator(tc, txnId, via, (c) => c.request(DescribeTransactions, 0, { transactionalIds: [txnId] }), (x) => x.transactionStates[0].errorCode);
  return r.transactionStates[0].transactionState;
}

/** The last stable offset of a partition as its leader answers a read_committed Fetch; -1 if unreachable. */
async function lastStableOffset(tc: TestCluster, leader: number, topic: string, partition: number): Promise<number> {
  const r = await withConn(tc, leader, (c) =>
    c.request(Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    }, 3000),
  );
  return r?.responses[0].partitions[0].lastStableOffset ?? -1;
}

/** Every record of a topic as a read_committed consumer (kcat, librdkafka) sees it: `partition value`. */
async function readCommitted(tc: TestCluster, topic: string): Promise<string[]> {
  const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%p %s\n'], {
    timeoutMs: 60000,
  });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

const skip = !hasCommand('kcat') && 'kcat not installed';

test('coordinator failover during EndTxn: the half-written commit is completed by the new coordinator', { skip, timeout: 180000 }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  try {
    const txnId = 'failover-endtxn';
    const coordinator = await until('a coordinator', async () => {
      const c = await coordinatorOf(tc, txnId, 1);
      return c > 0 && c;
    });
    const [x, y] = [1, 2, 3].filter((n) => n !== coordinator);
    // One replica each, so a frozen leader cannot be replaced and its marker must wait.
    assert.equal(await createTopic(tc, 'fo-a', { assignment: [[x], [y]] }), ErrorCode.NONE);
    await until('leaders of fo-a', async () => (await metadataOf(tc, coordinator))?.topics.find((t) => t.name === 'fo-a')?.partitions.every((p) => p.leaderId > 0));
    const pid = await beginTxn(tc, txnId, coordinator, [{ topic: 'fo-a', partitions: [0, 1] }]);
    assert.equal((await produceTo(tc, x, 'fo-a', 0, txnBatch(pid, ['p0-a', 'p0-b'])))?.errorCode, ErrorCode.NONE);
    assert.equal((await produceTo(tc, y, 'fo-a', 1, txnBatch(pid, ['p1-a', 'p1-b'])))?.errorCode, ErrorCode.NONE);
    assert.equal(await lastStableOffset(tc, y, 'fo-a', 1), 0, 'open on partition 1');

    tc.cluster.pause(x);
    assert.equal(await endTxn(tc, txnId, coordinator, pid, true), ErrorCode.NONE, 'the commit is acknowledged');
    await until('the marker on partition 1', async () => (await lastStableOffset(tc, y, 'fo-a', 1)) === 3);
    await sleep(300);
    assert.deepEqual(await txnState(tc, txnId, coordinator), 'PrepareCommit', 'half done: partition 0 has no marker yet');

    await tc.cluster.kill(coordinator);
    tc.cluster.resume(x);
    const next = await until('a new coordinator', async () => {
      const c = await coordinatorOf(tc, txnId, y);
      return c > 0 && c !== coordinator && c;
    });
    await until('CompleteCommit on the new coordinator', async () => (await txnState(tc, txnId, y)) === 'CompleteCommit');
    assert.deepEqual(await readCommitted(tc, 'fo-a'), ['0 p0-a', '0 p0-b', '1 p1-a', '1 p1-b'], 'committed on both partitions');
    // The client retrying its EndTxn against the new coordinator learns the outcome.
    assert.equal(await endTxn(tc, txnId, y, pid, true), ErrorCode.NONE);
    assert.equal(await endTxn(tc, txnId, y, pid, false), ErrorCode.INVALID_TXN_STATE);
    console.log(`coordinator ${coordinator} killed mid-commit; node ${next} completed it`);
  } finally {
    await tc.stop();
  }
});

test('kill -9 of a partition leader at EndTxn: the marker reaches the new leader and every replica', { skip, timeout: 180000 }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  try {
    const txnId = 'failover-leader';
    const coordinator = await until('a coordinator', async () => {
      const c = await coordinatorOf(tc, txnId, 1);
      return c > 0 && c;
    });
    const [x, y] = [1, 2, 3].filter((n) => n !== coordinator);
    assert.equal(
      await createTopic(tc, 'fo-b', { assignment: [[x, y, coordinator], [y, x, coordinator]], configs: { 'min.insync.replicas': '2' } }),
      ErrorCode.NONE,
    );
    await until('fo-b fully in sync', async () => {
      const v = await partitionView(tc, coordinator, 'fo-b');
      return v && v.leader === x && v.isr.length === 3;
    });
    const pid = await beginTxn(tc, txnId, coordinator, [{ topic: 'fo-b', partitions: [0, 1] }]);
    assert.equal((await produceTo(tc, x, 'fo-b', 0, txnBatch(pid, ['p0-a', 'p0-b'])))?.errorCode, ErrorCode.NONE, 'acks=all: on the ISR');
    assert.equal((await produceTo(tc, y, 'fo-b', 1, txnBatch(pid, ['p1-a'])))?.errorCode, ErrorCode.NONE);

    await tc.cluster.kill(x);
    assert.equal(await endTxn(tc, txnId, coordinator, pid, true), ErrorCode.NONE);
    await until('CompleteCommit', async () => (await txnState(tc, txnId, coordinator)) === 'CompleteCommit', 60000);
    assert.deepEqual(await readCommitted(tc, 'fo-b'), ['0 p0-a', '0 p0-b', '1 p1-a']);

    await tc.cluster.startNode(x);
    await until('node x back in the ISR of fo-b 0', async () => (await partitionView(tc, coordinator, 'fo-b'))?.isr.length === 3, 60000);
    await tc.cluster.stop();
    for (const node of [x, y, coordinator]) {
      const dir = path.join(tc.dataDir, `node-${node}`, 'fo-b-0');
      const log = FileLog.open(dir, 'fo-b', 0, DEFAULT_LOG_CONFIG);
      try {
        const { chunks } = log.read(log.logStartOffset, 1 << 20);
        const buf = Buffer.concat(chunks);
        const markers: boolean[] = [];
        scanValidPrefix(buf, (info) => {
          if (info.attributes & ATTR.control) markers.push(readMarker(buf, info)!.commit);
        });
        assert.deepEqual(markers, [true], `node ${node} has the commit marker of fo-b 0`);
      } finally {
        log.close();
      }
    }
    assert.ok(fs.existsSync(tc.dataDir));
  } finally {
    await tc.stop();
  }
});
