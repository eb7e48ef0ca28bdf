// Produce on the 3-node cluster with exact requests (our own client): an idempotent batch sent
// twice is stored once and the retry gets the original offset; sequence gaps and old epochs get
// Kafka's errors; a partition index that does not exist is UNKNOWN_TOPIC_OR_PARTITION on every
// node; after a clean stop every replica holds a producer-state snapshot at its log end.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import { createTopic, leaderOf, produceTo, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { idempotentBatch } from '../testing/records.ts';
import { until } from '../testing/wait.ts';

let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
  assert.equal(await createTopic(tc, 'idem', { configs: { 'min.insync.replicas': '2' } }), ErrorCode.NONE);
});
after(async () => {
  await tc?.stop();
});

async function produce(topic: string, partition: number, records: Buffer, acks = -1) {
  const leader = await until(`a leader of ${topic}`, async () => {
    const l = await leaderOf(tc, topic);
    return l > 0 && l;
  });
  const res = await produceTo(tc, leader, topic, partition, records, { acks });
  assert.ok(res, 'the leader answered');
  return res;
}

test('an idempotent retry is stored once and answered with its original offset', async () => {
  const first = await until('the first append', async () => {
    const r = await produce('idem', 0, idempotentBatch(7001, 0, 0, 3).buf);
    return r.errorCode === ErrorCode.NONE && r;
  });
  assert.equal(first.baseOffset, 0);
  const retry = await produce('idem', 0, idempotentBatch(7001, 0, 0, 3).buf);
  assert.deepEqual([retry.errorCode, retry.baseOffset], [ErrorCode.NONE, 0]);
  const next = await produce('idem', 0, idempotentBatch(7001, 0, 3, 3).buf);
  assert.deepEqual([next.errorCode, next.baseOffset], [ErrorCode.NONE, 3]);
  const gap = await produce('idem', 0, idempotentBatch(7001, 0, 9).buf);
  assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.match(gap.errorMessage ?? '', /out of order sequence number/);
  const bumped = await produce('idem', 0, idempotentBatch(7001, 1, 0).buf);
  assert.deepEqual([bumped.errorCode, bumped.baseOffset], [ErrorCode.NONE, 6]);
  const fenced = await produce('idem', 0, idempotentBatch(7001, 0, 6).buf);
  assert.equal(fenced.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
});

test('a partition index that does not exist is UNKNOWN_TOPIC_OR_PARTITION on every node', async () => {
  assert.equal(await createTopic(tc, 'three', { partitions: 3 }), ErrorCode.NONE);
  await until('every node knows the topic', async () => {
    for (const n of [1, 2, 3]) if ((await leaderOf(tc, 'three', 2, n)) <= 0) return false;
    return true;
  });
  for (const via of [1, 2, 3]) {
    for (const index of [3, 99, -1]) {
      const r = await produceTo(tc, via, 'three', index, buildBatch([{ value: 'x' }]));
      assert.equal(r?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `node ${via}, partition ${index}`);
    }
    const missing = await produceTo(tc, via, 'no-such-topic', 0, buildBatch([{ value: 'x' }]));
    assert.equal(missing?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `node ${via}, unknown topic`);
  }
});

test('after a clean stop every replica has a producer-state snapshot at its log end', async () => {
  await until('the ISR has everything', async () => {
    const r = await produce('idem', 0, idempotentBatch(7002, 0, 0).buf);
    return r.errorCode === ErrorCode.NONE;
  });
  await tc.cluster.stop();
  for (const n of [1, 2, 3]) {
    const dir = path.join(tc.dataDir, `node-${n}`, 'idem-0');
    const snaps = fs.readdirSync(dir).filter((f) => f.endsWith('.snapshot'));
    assert.ok(snaps.includes(`${String(8).padStart(20, '0')}.snapshot`), `node ${n}: ${snaps.join(', ')}`);
  }
});
