// Fetch long polling against a real node: an empty partition holds the request for maxWaitMs,
// an append answers a waiting fetch at once, and a fetch at an offset inside a batch returns
// the whole batch (clients skip the records before their offset).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { batchInfo, buildBatch, decodeRecords } from '../protocol/record-batch.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';

let tc: TestCluster;
let conn: KafkaConnection;
let producer: KafkaConnection;

before(async () => {
  tc = await startTestCluster();
  const { host, port } = tc.cluster.nodes[0];
  conn = await KafkaConnection.connect(host, port);
  producer = await KafkaConnection.connect(host, port);
  await conn.request(Metadata, 12, { topics: [{ name: 'poll' }], allowAutoTopicCreation: true });
});
after(async () => {
  conn?.close();
  producer?.close();
  await tc?.stop();
});

const fetchAt = (offset: number, maxWaitMs: number) =>
  conn.request(Fetch, 12, {
    maxWaitMs,
    minBytes: 1,
    topics: [{ topic: 'poll', partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
  });
const produce = (values: string[]) =>
  producer.request(Produce, 9, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: 'poll', partitionData: [{ index: 0, records: buildBatch(values.map((value) => ({ value }))) }] }],
  });

test('an empty partition holds the fetch for maxWaitMs, then answers with no records', async () => {
  const t0 = Date.now();
  const r = await fetchAt(0, 400);
  assert.ok(Date.now() - t0 >= 380, `answered after ${Date.now() - t0} ms`);
  const p = r.responses[0].partitions[0];
  assert.equal(p.errorCode, ErrorCode.NONE);
  assert.equal(p.records?.length ?? 0, 0);
});

test('an append answers a waiting fetch before maxWaitMs', async () => {
  const t0 = Date.now();
  const waiting = fetchAt(0, 10000);
  setTimeout(() => void produce(['a', 'b', 'c']), 200);
  const r = await waiting;
  assert.ok(Date.now() - t0 < 5000, 'woken by the append');
  const recs = decodeRecords(r.responses[0].partitions[0].records!);
  assert.deepEqual(recs.map((x) => x.value?.toString()), ['a', 'b', 'c']);
  assert.equal(r.responses[0].partitions[0].highWatermark, 3);
});

test('a fetch inside a batch returns the whole batch', async () => {
  const r = await fetchAt(1, 0);
  const records = r.responses[0].partitions[0].records!;
  const info = batchInfo(records, 0);
  assert.equal(info.baseOffset, 0);
  assert.equal(info.recordsCount, 3);
});

test('an offset past the end is OFFSET_OUT_OF_RANGE', async () => {
  const r = await fetchAt(99, 0);
  assert.equal(r.responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
});
