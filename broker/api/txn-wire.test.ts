// Transaction APIs on the wire with our own client, for versions and paths the real clients in
// the other tests do not reach: the advertised ranges, PRODUCER_FENCED answered as
// INVALID_PRODUCER_EPOCH to client versions that predate it, InitProducerId's KIP-360 field
// checks, AddPartitionsToTxn's unknown-partition answer and its v4 batched verification form,
// TxnOffsetCommit offsets invisible until the commit (UNSTABLE_OFFSET_COMMIT for requireStable)
// and dropped on abort, kept pending across a restart (loaded from the log), WriteTxnMarkers
// from a stale coordinator epoch, DescribeProducers / DescribeTransactions / ListTransactions,
// and Fetch v4 (kafka-python's) with its aborted-transactions list.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AddOffsetsToTxn } from '../protocol/messages/add-offsets-to-txn.ts';
import { AddPartitionsToTxn } from '../protocol/messages/add-partitions-to-txn.ts';
import { ApiVersions } from '../protocol/messages/api-versions.ts';
import { DescribeProducers } from '../protocol/messages/describe-producers.ts';
import { DescribeTransactions } from '../protocol/messages/describe-transactions.ts';
import { EndTxn } from '../protocol/messages/end-txn.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { FindCoordinator } from '../protocol/messages/find-coordinator.ts';
import { InitProducerId } from '../protocol/messages/init-producer-id.ts';
import { ListTransactions } from '../protocol/messages/list-transactions.ts';
import { OffsetFetch } from '../protocol/messages/offset-fetch.ts';
import { TxnOffsetCommit } from '../protocol/messages/txn-offset-commit.ts';
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import { createTopic, produceTo, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { until } from '../testing/wait.ts';

let tc: TestCluster;
let conn: KafkaConnection;
const connect = () => {
  const n = tc.cluster.nodes[0];
  return KafkaConnection.connect(n.host, n.port, 'txn-wire');
};
before(async () => {
  tc = await startTestCluster({ nodeArgs: ['--transaction-state-log-num-partitions', '5'] });
  conn = await connect();
  assert.equal(await createTopic(tc, 'w', { partitions: 2, replicationFactor: 1 }), ErrorCode.NONE);
  // FindCoordinator key type 1 creates __transaction_state; one node coordinates everything.
  await until('the transaction coordinator', async () => {
    const r = await conn.request(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['x'] });
    return r.coordinators[0].errorCode === ErrorCode.NONE && r.coordinators[0].nodeId === 1;
  });
});
after(async () => {
  conn?.close();
  await tc?.stop();
});

const retriable = new Set<number>([ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);

async function init(id: string, version = 4, timeout = 60000) {
  return until(`InitProducerId ${id}`, async () => {
    const r = await conn.request(InitProducerId, version, { transactionalId: id, transactionTimeoutMs: timeout, producerId: -1, producerEpoch: -1 });
    return !retriable.has(r.errorCode) && r;
  });
}

const add = (id: string, pid: { producerId: number; producerEpoch: number }, topics: { name: string; partitions: number[] }[], version = 3) =>
  conn.request(AddPartitionsToTxn, version, {
    v3AndBelowTransactionalId: id,
    v3AndBelowProducerId: pid.producerId,
    v3AndBelowProducerEpoch: pid.producerEpoch,
    v3AndBelowTopics: topics,
  });

/** EndTxn's answer; a retry while the previous transaction's markers are written is what clients do. */
async function end(id: string, pid: { producerId: number; producerEpoch: number }, committed: boolean, version = 3) {
  const r = await until(`EndTxn ${id}`, async () => {
    const x = await conn.request(EndTxn, version, { transactionalId: id, ...pid, committed });
    return x.errorCode !== ErrorCode.CONCURRENT_TRANSACTIONS && x;
  });
  return r.errorCode;
}

const codes = (r: { resultsByTopicV3AndBelow: { name: string; resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[] }[] }) =>
  r.resultsByTopicV3AndBelow.flatMap((t) => t.resultsByPartition.map((p) => `${t.name}-${p.partitionIndex}:${p.partitionErrorCode}`));

test('ApiVersions advertises the transaction APIs', async () => {
  const r = await conn.request(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
  const range = (k: number) => {
    const e = r.apiKeys.find((x) => x.apiKey === k);
    return e && `${e.minVersion}-${e.maxVersion}`;
  };
  assert.deepEqual(
    [22, 24, 25, 26, 27, 28, 61, 65, 66].map(range),
    ['0-5', '0-5', '0-4', '0-4', '0-1', '0-4', '0-0', '0-0', '0-1'],
  );
});

test('PRODUCER_FENCED for current clients, INVALID_PRODUCER_EPOCH for versions that predate it', async () => {
  const a = await init('fence-v');
  assert.deepEqual(codes(await add('fence-v', a, [{ name: 'w', partitions: [0] }])), ['w-0:0']);
  const b = await init('fence-v'); // aborts a's transaction and bumps twice
  assert.equal(b.producerEpoch, a.producerEpoch + 2);
  assert.deepEqual(codes(await add('fence-v', a, [{ name: 'w', partitions: [0] }], 1)), [`w-0:${ErrorCode.INVALID_PRODUCER_EPOCH}`]);
  assert.deepEqual(codes(await add('fence-v', a, [{ name: 'w', partitions: [0] }], 2)), [`w-0:${ErrorCode.PRODUCER_FENCED}`]);
  assert.equal(await end('fence-v', a, true, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(await end('fence-v', a, true, 2), ErrorCode.PRODUCER_FENCED);
  const addOffsets = (version: number) =>
    conn.request(AddOffsetsToTxn, version, { transactionalId: 'fence-v', ...a, groupId: 'g' });
  assert.equal((await addOffsets(1)).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal((await addOffsets(3)).errorCode, ErrorCode.PRODUCER_FENCED);
  // KIP-360: the old instance's id and epoch no longer resume; v3 is answered INVALID_PRODUCER_EPOCH.
  const resume = (version: number) => conn.request(InitProducerId, version, { transactionalId: 'fence-v', transactionTimeoutMs: 60000, ...{ producerId: 999999, producerEpoch: 0 } });
  assert.equal((await resume(3)).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal((await resume(4)).errorCode, ErrorCode.PRODUCER_FENCED);
  const half = await conn.request(InitProducerId, 4, { transactionalId: 'fence-v', transactionTimeoutMs: 60000, producerId: 5, producerEpoch: -1 });
  assert.equal(half.errorCode, ErrorCode.INVALID_REQUEST);
});

test('AddPartitionsToTxn: an unknown partition fails the request; v4 batches and verifies', async () => {
  const a = await init('add-v');
  assert.deepEqual(codes(await add('add-v', a, [{ name: 'w', partitions: [0, 7] }, { name: 'nope', partitions: [0] }])), [
    `w-0:${ErrorCode.OPERATION_NOT_ATTEMPTED}`,
    `w-7:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`,
    `nope-0:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`,
  ]);
  const b = await init('add-v4');
  const v4 = await conn.request(AddPartitionsToTxn, 4, {
    transactions: [
      { transactionalId: 'add-v', ...a, verifyOnly: false, topics: [{ name: 'w', partitions: [1] }] },
      { transactionalId: 'add-v4', ...b, verifyOnly: true, topics: [{ name: 'w', partitions: [0] }] },
      { transactionalId: 'missing', producerId: 1, producerEpoch: 0, verifyOnly: true, topics: [{ name: 'w', partitions: [0] }] },
    ],
  });
  assert.equal(v4.errorCode, ErrorCode.NONE);
  const flat = v4.resultsByTransaction.map((t) => `${t.transactionalId}:${t.topicResults[0].resultsByPartition[0].partitionErrorCode}`);
  assert.deepEqual(flat, ['add-v:0', `add-v4:${ErrorCode.TRANSACTION_ABORTABLE}`, `missing:${ErrorCode.INVALID_PRODUCER_ID_MAPPING}`]);
  const verify = await conn.request(AddPartitionsToTxn, 5, {
    transactions: [{ transactionalId: 'add-v', ...a, verifyOnly: true, topics: [{ name: 'w', partitions: [0, 1] }] }],
  });
  assert.deepEqual(
    verify.resultsByTransaction[0].topicResults[0].resultsByPartition.map((p) => p.partitionErrorCode),
    [ErrorCode.TRANSACTION_ABORTABLE, ErrorCode.NONE],
    'partition 1 was added by the v4 request above, partition 0 never',
  );
  assert.equal(await end('add-v', a, false), ErrorCode.NONE);
});

async function committedOffset(group: string, requireStable: boolean) {
  const r = await conn.request(OffsetFetch, 7, { groupId: group, topics: [{ name: 'w', partitionIndexes: [0] }], requireStable });
  const p = r.topics[0].partitions[0];
  return { offset: p.committedOffset, errorCode: p.errorCode };
}

async function txnCommit(id: string, pid: { producerId: number; producerEpoch: number }, group: string, offset: number) {
  const r = await conn.request(TxnOffsetCommit, 3, {
    transactionalId: id,
    groupId: group,
    ...pid,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [{ name: 'w', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: 'txn' }] }],
  });
  return r.topics[0].partitions[0].errorCode;
}

test('TxnOffsetCommit: pending until the commit, dropped on abort, kept pending across a restart', async () => {
  const a = await init('offsets');
  const group = 'txn-group';
  assert.equal((await conn.request(AddOffsetsToTxn, 3, { transactionalId: 'offsets', ...a, groupId: group })).errorCode, ErrorCode.NONE);
  assert.equal(await txnCommit('offsets', a, group, 42), ErrorCode.NONE);
  assert.deepEqual(await committedOffset(group, false), { offset: -1, errorCode: 0 }, 'not visible before the commit');
  assert.deepEqual(await committedOffset(group, true), { offset: -1, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
  assert.equal(await end('offsets', a, false), ErrorCode.NONE);
  await until('the abort applied', async () => (await committedOffset(group, true)).errorCode === 0);
  assert.deepEqual(await committedOffset(group, true), { offset: -1, errorCode: 0 }, 'dropped by the abort');

  assert.equal((await conn.request(AddOffsetsToTxn, 3, { transactionalId: 'offsets', ...a, groupId: group })).errorCode, ErrorCode.NONE);
  assert.equal(await txnCommit('offsets', a, group, 43), ErrorCode.NONE);
  conn.close();
  await tc.cluster.restartNode(1);
  conn = await until('node 1 back', async () => connect().catch(() => null));
  await until('the group coordinator back', async () => (await committedOffset(group, false).catch(() => null))?.errorCode === 0);
  assert.deepEqual(await committedOffset(group, true), { offset: -1, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }, 'still pending, loaded from the log');
  assert.equal(await end('offsets', a, true), ErrorCode.NONE);
  await until('the commit applied', async () => (await committedOffset(group, true)).offset === 43);
  conn.close();
  await tc.cluster.restartNode(1);
  conn = await until('node 1 back', async () => connect().catch(() => null));
  await until('the committed offset after a restart', async () => (await committedOffset(group, true).catch(() => null))?.offset === 43);
});

test('DescribeProducers, DescribeTransactions, ListTransactions; WriteTxnMarkers from a stale coordinator epoch', async () => {
  const a = await init('described', 4, 45000);
  assert.deepEqual(codes(await add('described', a, [{ name: 'w', partitions: [1] }])), ['w-1:0']);
  const batch = buildBatch([{ value: 'x' }, { value: 'y' }], { ...a, baseSequence: 0, transactional: true });
  const produced = await produceTo(tc, 1, 'w', 1, batch);
  assert.equal(produced?.errorCode, ErrorCode.NONE);
  const describeProducers = () => conn.request(DescribeProducers, 0, { topics: [{ name: 'w', partitionIndexes: [1, 9] }] });
  const dp = await describeProducers();
  const [p1, p9] = dp.topics[0].partitions;
  assert.equal(p9.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const mine = p1.activeProducers.find((x) => x.producerId === a.producerId)!;
  assert.deepEqual([mine.producerEpoch, mine.lastSequence, mine.currentTxnStartOffset], [a.producerEpoch, 1, produced!.baseOffset]);

  const dt = await conn.request(DescribeTransactions, 0, { transactionalIds: ['described', 'never'] });
  assert.deepEqual(
    { ...dt.transactionStates[0], transactionStartTimeMs: 0 },
    {
      errorCode: 0,
      transactionalId: 'described',
      transactionState: 'Ongoing',
      transactionTimeoutMs: 45000,
      transactionStartTimeMs: 0,
      producerId: a.producerId,
      producerEpoch: a.producerEpoch,
      topics: [{ topic: 'w', partitions: [1] }],
    },
  );
  assert.ok(dt.transactionStates[0].transactionStartTimeMs > Date.now() - 60000);
  assert.equal(dt.transactionStates[1].errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  const lt = await conn.request(ListTransactions, 1, { stateFilters: ['Ongoing'], producerIdFilters: [], durationFilter: -1 });
  assert.ok(lt.transactionStates.some((s) => s.transactionalId === 'described' && s.producerId === a.producerId));

  // A zombie coordinator's marker (an older coordinator epoch than the partition has seen) is refused.
  assert.equal(await end('described', a, true), ErrorCode.NONE);
  await until('the marker written', async () => {
    const r = await describeProducers();
    return r.topics[0].partitions[0].activeProducers.find((x) => x.producerId === a.producerId)?.currentTxnStartOffset === -1;
  });
  const seen = (await describeProducers()).topics[0].partitions[0].activeProducers.find((x) => x.producerId === a.producerId)!;
  const stale = await conn.request(WriteTxnMarkers, 1, {
    markers: [{ ...a, transactionResult: false, topics: [{ name: 'w', partitionIndexes: [1] }], coordinatorEpoch: seen.coordinatorEpoch - 1 }],
  });
  assert.equal(stale.markers[0].topics[0].partitions[0].errorCode, ErrorCode.TRANSACTION_COORDINATOR_FENCED);
});

test('Fetch v4 read_committed (kafka-python) lists the aborted transactions it returns data of', async () => {
  const a = await init('fetch-v4');
  assert.deepEqual(codes(await add('fetch-v4', a, [{ name: 'w', partitions: [0] }])), ['w-0:0']);
  const produced = await produceTo(tc, 1, 'w', 0, buildBatch([{ value: 'gone' }], { ...a, baseSequence: 0, transactional: true }));
  assert.equal(await end('fetch-v4', a, false), ErrorCode.NONE);
  const fetch = (isolationLevel: number) =>
    conn.request(Fetch, 4, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel,
      topics: [{ topic: 'w', partitions: [{ partition: 0, fetchOffset: produced!.baseOffset, partitionMaxBytes: 1 << 20 }] }],
    });
  const r = await until('the abort marker', async () => {
    const x = (await fetch(1)).responses[0].partitions[0];
    return x.lastStableOffset > produced!.baseOffset && x;
  });
  assert.deepEqual(r.abortedTransactions, [{ producerId: a.producerId, firstOffset: produced!.baseOffset }]);
  assert.equal((await fetch(0)).responses[0].partitions[0].abortedTransactions, null);
});
