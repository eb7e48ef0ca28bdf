// The hot-path counters under concurrent requests: one in-process node (local metadata) served by
// the real Kafka server and dispatch, many connections each pipelining Produce and Fetch requests
// at once, interleaved on one event loop. Every counter must come out exact: bytes and messages
// in equal what the logs stored, requests and TotalTimeMs counts equal what was sent, errors land
// under their code, and a partition that does not exist gets no series.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Broker } from '../broker.ts';
import { KafkaConnection } from '../client/connection.ts';
import { DEFAULTS } from '../config.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import { startKafkaServer } from '../server/server.ts';
import { until } from '../testing/wait.ts';
import { brokerMetricsSource } from './broker-source.ts';
import { ErrorCounts, NodeMeters } from './meters.ts';

const CONNECTIONS = 12;
const PER_CONNECTION = 30;
const PARTITIONS = 4;

test('counters stay exact under concurrent pipelined produce and fetch requests', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-meters-'));
  const broker = Broker.open({ ...DEFAULTS, nodeId: 1, port: 0, dataDir });
  const meters = new NodeMeters(brokerMetricsSource(broker).partitionExists);
  const server = await startKafkaServer(broker, () => {}, meters);
  t.after(async () => {
    await server.close();
    broker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  assert.equal(
    (await broker.createTopic({ name: 'c', numPartitions: PARTITIONS, replicationFactor: 1, configs: {} })).errorCode,
    0,
  );
  const port = (server.server.address() as AddressInfo).port;

  const sent = Array.from({ length: PARTITIONS }, () => ({ bytes: 0, records: 0, requests: 0, fetched: 0 }));
  const conns = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => KafkaConnection.connect('127.0.0.1', port, 'meters-test')),
  );
  const work = conns.flatMap((c, ci) =>
    Array.from({ length: PER_CONNECTION }, (_, i) => {
      const p = (ci + i) % PARTITIONS;
      if (i % 5 === 4) {
        // a fetch and a produce to a partition that does not exist, in the same pipeline
        const fetch = c.request(Fetch, 12, {
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1 << 20,
          topics: [{ topic: 'c', partitions: [{ partition: p, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
        });
        const bad = c.request(Produce, 9, {
          acks: 1,
          timeoutMs: 5000,
          topicData: [{ name: 'c', partitionData: [{ index: 99, records: buildBatch([{ value: 'x' }]) }] }],
        });
        return Promise.all([fetch, bad]).then(([f, r]) => {
          sent[p].fetched += f.responses[0].partitions[0].records?.length ?? 0;
          assert.equal(r.responses[0].partitionResponses[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        });
      }
      const records = 1 + ((ci * 7 + i) % 9);
      const batch = buildBatch(
        Array.from({ length: records }, (_, k) => ({ value: `c${ci}-r${i}-${k}`.repeat(1 + (k % 3)) })),
      );
      sent[p].bytes += batch.length;
      sent[p].records += records;
      sent[p].requests++;
      return c
        .request(Produce, 9, {
          acks: 1,
          timeoutMs: 5000,
          topicData: [{ name: 'c', partitionData: [{ index: p, records: batch }] }],
        })
        .then((r) => assert.equal(r.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE));
    }),
  );
  await Promise.all(work);

  const produces = sent.reduce((n, s) => n + s.requests, 0);
  const failing = CONNECTIONS * (PER_CONNECTION / 5);
  for (let p = 0; p < PARTITIONS; p++) {
    const m = meters.partition('c', p)!;
    assert.equal(m.bytesIn, sent[p].bytes, `bytes in of c-${p}`);
    assert.equal(m.bytesIn, broker.partitions.get({ topic: 'c', partition: p })!.log.size, `bytes in of c-${p} equal the bytes stored`);
    assert.equal(m.messagesIn, sent[p].records, `messages in of c-${p}`);
    assert.equal(m.produceRequests, sent[p].requests, `produce requests of c-${p}`);
    assert.deepEqual([...m.failedProduce.entries()], []);
    assert.equal(m.bytesOut, sent[p].fetched, `bytes out of c-${p} equal the record bytes consumers received`);
  }
  assert.ok(
    sent.some((s) => s.fetched > 0),
    'some fetches returned records',
  );
  assert.equal(meters.partition('c', 99), undefined, 'no meters for a partition that does not exist');
  const produce = meters.request('Produce', 'Produce', 11);
  assert.equal(produce.requests[9], produces + failing);
  assert.equal(produce.errors.get(ErrorCode.NONE), produces);
  assert.equal(produce.errors.get(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION), failing);
  const fetch = meters.request('FetchConsumer', 'Fetch', 17);
  assert.equal(fetch.requests[12], failing);
  const fetched = [...Array(PARTITIONS).keys()].reduce((n, p) => n + meters.partition('c', p)!.fetchRequests, 0);
  assert.equal(fetched, failing);
  // TotalTimeMs is recorded when each response has been written: by now, or very soon.
  await until('every produce timed', async () => produce.totalTimeMs.count === produces + failing, 10000);
  await until('every fetch timed', async () => fetch.totalTimeMs.count === failing, 10000);
  assert.ok(produce.totalTimeMs.quantile(0.99) > 0 && produce.totalTimeMs.quantile(0.99) < 60000);
  assert.equal(meters.connectionsCreated - meters.connectionsClosed, CONNECTIONS);
  for (const c of conns) c.close();
  await until('connections closed', async () => meters.connectionsClosed === CONNECTIONS, 10000);
});

test('error counts keep every code, known or not', () => {
  const e = new ErrorCounts();
  for (const code of [0, 0, -1, ErrorCode.UNKNOWN_CONTROLLER_ID, 999, -5, 999]) e.add(code);
  e.add(6, 3);
  assert.deepEqual(
    [...e.entries()].sort((a, b) => a[0] - b[0]),
    [[-5, 1], [-1, 1], [0, 2], [6, 3], [ErrorCode.UNKNOWN_CONTROLLER_ID, 1], [999, 2]],
  );
  assert.equal(e.get(999), 2);
  assert.equal(e.get(7), 0);
});
