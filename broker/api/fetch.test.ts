// Fetch long polling against a real node: an empty partition holds the request for maxWaitMs,
// an append answers a waiting fetch at once, and a fetch at an offset inside a batch returns
// the whole batch (clients skip the records before their offset). An error partition is
// answered byte for byte as Kafka does, with empty (never null) records, in v4 and v17.
// Pipelined fetches to a client that does not read: each answer keeps its own bytes while it
// waits in the socket (the node reads into pooled memory it lends until the answer is written).

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { requestFrame } from '../client/request-frame.ts';
import { skipHeaderTags } from '../protocol/header.ts';
import { Reader } from '../protocol/reader.ts';
import { decode } from '../protocol/schema.ts';
import { FrameReader } from '../server/frame-reader.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { batchInfo, buildBatch, decodeRecords, scanValidPrefix } from '../protocol/record-batch.ts';
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

/** The response body, byte for byte, as the node sends it (correlation id and header tags cut). */
async function rawFetch(version: number, topic: { topic?: string; topicId?: string }, offset: number): Promise<string> {
  const req = conn.encodeRequest(Fetch, version, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [{ ...topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
  });
  const frame = await conn.send(req);
  return frame.subarray(version >= 12 ? 5 : 4).toString('hex');
}

const hex = (s: string) => s.replace(/#.*$/gm, '').replace(/\s+/g, '');

test('an error partition gets empty records, never null: Fetch v4 and v17 bytes', async () => {
  // 'poll' holds 3 records (offsets 0-2), so offset 99 is out of range.
  const v4 = hex(`
    00000000                         # throttleTimeMs
    00000001 0004 706f6c6c           # responses: 1, topic 'poll'
    00000001 00000000 0001           # partitions: 1, index 0, OFFSET_OUT_OF_RANGE
    0000000000000003 0000000000000003  # highWatermark 3, lastStableOffset 3
    ffffffff                         # abortedTransactions null
    00000000                         # records: length 0, not -1
  `);
  assert.equal(await rawFetch(4, { topic: 'poll' }, 99), v4);
  const md = await conn.request(Metadata, 12, { topics: [{ name: 'poll' }], allowAutoTopicCreation: false });
  const id = md.topics[0].topicId;
  const v17 = hex(`
    00000000 0000 00000000           # throttleTimeMs, errorCode, sessionId
    02 ${id}                         # responses: 1, topicId
    02 00000000 0001                 # partitions: 1, index 0, OFFSET_OUT_OF_RANGE
    0000000000000003 0000000000000003 0000000000000000  # highWatermark, lastStableOffset, logStartOffset
    00 ffffffff                      # abortedTransactions null, preferredReadReplica -1
    01                               # records: compact length 0 (+1), not 0 (null)
    00 00 00                         # tagged fields: partition, topic, response
  `);
  assert.equal(await rawFetch(17, { topicId: id }, 99), v17);
});

test('pipelined fetches to a client that does not read each get their own records', async () => {
  // ~6.5 MB of answers of ~8 KiB fill the socket's kernel buffers; the answer cut there waits in
  // the node's write buffer while the next fetch reads: that read must not land in its memory.
  const topic = 'pipelined';
  const perBatch = 8;
  const batches = 800;
  await conn.request(Metadata, 12, { topics: [{ name: topic }], allowAutoTopicCreation: true });
  const value = (o: number) => `${o}:`.padEnd(1000, String.fromCharCode(97 + (o % 26)));
  const batch = (b: number) => buildBatch(Array.from({ length: perBatch }, (_, i) => ({ value: value(b * perBatch + i) })));
  for (let b = 0; b < batches; b += 100) {
    const records = Buffer.concat(Array.from({ length: 100 }, (_, i) => batch(b + i)));
    const r = await producer.request(Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    assert.equal(r.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
  }
  const { host, port } = tc.cluster.nodes[0];
  const sock = net.connect({ host, port });
  await new Promise((r) => sock.once('connect', r));
  sock.pause(); // nothing is read until every request is sent: the node's writes back up
  // Each fetch asks for 1 byte: the answer is exactly the batch holding the offset.
  for (let b = 0; b < batches; b++) {
    sock.write(
      requestFrame(Fetch, 12, {
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 1,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: b * perBatch, partitionMaxBytes: 1 }] }],
      }, b + 1),
    );
  }
  await new Promise((r) => setTimeout(r, 500));
  const frames = new FrameReader(1 << 30);
  const answers: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    sock.on('data', (d: Buffer) => {
      answers.push(...frames.push(d));
      if (answers.length === batches) resolve();
    });
    sock.on('error', reject);
    sock.resume();
  });
  sock.destroy();
  for (const [b, frame] of answers.entries()) {
    assert.equal(frame.readInt32BE(0), b + 1, 'answers in request order');
    const r = new Reader(frame, 4);
    skipHeaderTags(r);
    const records = decode(Fetch.response, 12, r).responses[0].partitions[0].records!;
    assert.equal(scanValidPrefix(records, () => {}, true), records.length, `answer ${b + 1}: whole batches, CRCs intact`);
    const values = decodeRecords(records).map((x) => x.value?.toString());
    assert.deepEqual(values, Array.from({ length: perBatch }, (_, i) => value(b * perBatch + i)), `answer ${b + 1}`);
  }
});
