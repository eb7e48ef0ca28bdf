// Transactions on the 3-node cluster through librdkafka (confluent-kafka-python), as a user
// writes them (testing/clients/txn_basic.py): an aborted then a committed transaction over two
// partitions, seen whole by read_uncommitted and only committed by read_committed consumers,
// with ListOffsets answering the last stable offset to read_committed while the transaction is
// open; a second producer with the same transactional.id fencing the first; a transaction left
// open past its timeout aborted by the coordinator on its own clock; and librdkafka's misuse
// case: a transaction.timeout.ms above transaction.max.timeout.ms fails init_transactions() at
// once with the fatal INVALID_TRANSACTION_TIMEOUT instead of timing out.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { createTopic, kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';

const py = kafkaPython();
const SCRIPT = path.join(import.meta.dirname, '../testing/clients/txn_basic.py');
const skip = !py && 'python3-confluent-kafka not installed';

let tc: TestCluster;
before(async () => {
  if (skip) return;
  tc = await startTestCluster({
    nodes: 3,
    nodeArgs: ['--transaction-abort-timed-out-transaction-cleanup-interval-ms', '500', '--transaction-max-timeout-ms', '900000'],
  });
});
after(async () => {
  await tc?.stop();
});

async function scenario(mode: string, topic: string, partitions = 2) {
  assert.equal(await createTopic(tc, topic, { partitions, replicationFactor: 3 }), ErrorCode.NONE);
  const r = await run(py!, [SCRIPT, tc.bootstrap, mode, topic], { timeoutMs: 120000 });
  assert.equal(r.code, 0, `txn_basic.py ${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('abort then commit over two partitions: read_committed sees the commit only, read_uncommitted both', { skip }, async () => {
  const out = await scenario('basic', 'txn-basic');
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.committed, values('c', 10));
  assert.deepEqual(out.uncommitted, [...values('a', 10), ...values('c', 10)].sort());
  // Partition 0: a0,a2,..,a8 (offsets 0-4), abort marker (5), c0,c2,..,c8 (6-10), then the commit marker.
  assert.deepEqual(out.open_committed, [0, 6], 'read_committed latest = the last stable offset while the transaction is open');
  assert.deepEqual(out.open_uncommitted, [0, 11], 'read_uncommitted latest = the high watermark');
  assert.deepEqual(out.closed_committed, [0, 12], 'after the commit marker the LSO is the high watermark');
});

test('zombie fencing: a second producer with the same transactional.id fences the first', { skip }, async () => {
  const out = await scenario('fencing', 'txn-fence', 1);
  assert.deepEqual(out.zombie, { name: '_FENCED', fatal: true, abortable: false }, 'the first producer is fenced for good');
  assert.deepEqual(out.committed, values('b', 5), "the zombie's open transaction was aborted");
  assert.deepEqual(out.uncommitted, [...values('b', 5), ...values('z', 5)].sort());
});

test('a transaction left open past transaction.timeout.ms is aborted by the coordinator', { skip }, async () => {
  const out = await scenario('timeout', 'txn-timeout', 1);
  // The coordinator aborted it with a bumped epoch (as Kafka): the late producer is fenced.
  assert.deepEqual(out.late_commit, { name: '_FENCED', fatal: true, abortable: false }, 'committing after the timeout fails');
  assert.deepEqual(out.committed, [], 'nothing of it is committed');
  assert.deepEqual(out.uncommitted, values('x', 5));
});

test("librdkafka's misuse case: transaction.timeout.ms above transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT at init", { skip }, async () => {
  const out = await scenario('misuse', 'txn-misuse', 1);
  assert.deepEqual(out.init, { name: 'INVALID_TRANSACTION_TIMEOUT', fatal: true, abortable: false });
  assert.ok(out.seconds < 5, `answered at once, not after a time-out (${out.seconds} s)`);
});
