// Bad input against a real node process: each malformed frame gets Kafka's error or a closed
// connection, and the node keeps serving every other connection.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { ApiVersions } from '../protocol/messages/api-versions.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { buildBatch, OFF } from '../protocol/record-batch.ts';
import { Reader } from '../protocol/reader.ts';
import { decode } from '../protocol/schema.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';

let tc: TestCluster;
let host: string;
let port: number;

before(async () => {
  tc = await startTestCluster({ nodeArgs: ['--socket-request-max-bytes', '1048576'] });
  ({ host, port } = tc.cluster.nodes[0]);
});
after(async () => {
  await tc?.stop();
});

/** Sends raw bytes; resolves with what came back before the node closed the connection. */
function rawExchange(bytes: Buffer, endAfter = false, waitMs = 3000): Promise<{ closed: boolean; data: Buffer }> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const got: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ closed: false, data: Buffer.concat(got) });
    }, waitMs);
    s.on('data', (d) => got.push(d));
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, data: Buffer.concat(got) });
    });
    s.on('error', () => {});
    s.write(bytes);
    if (endAfter) s.end();
  });
}

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function header(apiKey: number, version: number, correlationId = 7): Buffer {
  const b = Buffer.alloc(10);
  b.writeInt16BE(apiKey, 0);
  b.writeInt16BE(version, 2);
  b.writeInt32BE(correlationId, 4);
  b.writeInt16BE(-1, 8); // null client id
  return b;
}

async function stillServes(): Promise<void> {
  const c = await KafkaConnection.connect(host, port);
  try {
    const md = await c.request(Metadata, 12, { topics: null });
    assert.equal(md.brokers[0].port, port);
  } finally {
    c.close();
  }
}

test('a frame larger than socket.request.max.bytes closes the connection', async () => {
  const size = Buffer.alloc(4);
  size.writeInt32BE(200 * 1024 * 1024);
  const r = await rawExchange(size);
  assert.equal(r.closed, true);
  await stillServes();
});

test('a negative frame size closes the connection', async () => {
  const r = await rawExchange(Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2, 3]));
  assert.equal(r.closed, true);
  await stillServes();
});

test('garbage closes the connection', async () => {
  const r = await rawExchange(frame(Buffer.from('this is not a kafka request at all')));
  assert.equal(r.closed, true);
  assert.equal(r.data.length, 0);
  await stillServes();
});

test('a truncated frame followed by close leaves the node serving', async () => {
  const full = frame(Buffer.concat([header(3, 1), Buffer.alloc(4)]));
  const r = await rawExchange(full.subarray(0, full.length - 3), true);
  assert.equal(r.closed, true);
  await stillServes();
});

test('an unknown API key closes the connection', async () => {
  const r = await rawExchange(frame(header(999, 0)));
  assert.equal(r.closed, true);
  await stillServes();
});

test('an unsupported Metadata version closes the connection, as Kafka does', async () => {
  const r = await rawExchange(frame(header(3, 99)));
  assert.equal(r.closed, true);
  await stillServes();
});

test('an unsupported ApiVersions version gets a v0 body with UNSUPPORTED_VERSION and the key list', async () => {
  const r = await rawExchange(frame(header(18, 99, 42)), false, 1000);
  assert.ok(r.data.length > 8, 'got a response');
  const rd = new Reader(r.data, 4);
  assert.equal(rd.int32(), 42); // response header v0: correlation id only
  const body = decode(ApiVersions.response, 0, rd);
  assert.equal(body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
  assert.ok(body.apiKeys.some((k) => k.apiKey === 18 && k.maxVersion >= 3));
});

test('Produce v0-2 are advertised but refused per partition with UNSUPPORTED_VERSION', async () => {
  const c = await KafkaConnection.connect(host, port);
  try {
    const versions = await c.request(ApiVersions, 3, {});
    const produce = versions.apiKeys.find((k) => k.apiKey === 0)!;
    assert.equal(produce.minVersion, 0);
    const res = await c.request(Produce, 2, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'old-client', partitionData: [{ index: 0, records: buildBatch([{ value: 'x' }]) }] }],
    });
    assert.equal(res.responses[0].partitionResponses[0].errorCode, ErrorCode.UNSUPPORTED_VERSION);
  } finally {
    c.close();
  }
});

test('a corrupt batch gets CORRUPT_MESSAGE and the next good batch is stored', async () => {
  const c = await KafkaConnection.connect(host, port);
  try {
    await c.request(Metadata, 12, { topics: [{ name: 'crc-check' }], allowAutoTopicCreation: true });
    const bad = buildBatch([{ value: 'hello' }]);
    bad[bad.length - 1] ^= 0xff; // flip a payload byte: the CRC no longer matches
    const produce = (records: Buffer) =>
      c.request(Produce, 9, { acks: -1, timeoutMs: 1000, topicData: [{ name: 'crc-check', partitionData: [{ index: 0, records }] }] });
    const r1 = await produce(bad);
    assert.equal(r1.responses[0].partitionResponses[0].errorCode, ErrorCode.CORRUPT_MESSAGE);
    const badMagic = buildBatch([{ value: 'hello' }]);
    badMagic[OFF.magic] = 1;
    const r2 = await produce(badMagic);
    assert.equal(r2.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_RECORD);
    const r3 = await produce(buildBatch([{ value: 'good' }]));
    assert.equal(r3.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
    assert.equal(r3.responses[0].partitionResponses[0].baseOffset, 0);
  } finally {
    c.close();
  }
});

test('bad topic names get INVALID_TOPIC_EXCEPTION on auto-creation', async () => {
  const c = await KafkaConnection.connect(host, port);
  try {
    for (const name of ['bad name', 'a/b', '..', 'x'.repeat(250)]) {
      const md = await c.request(Metadata, 12, { topics: [{ name }], allowAutoTopicCreation: true });
      assert.equal(md.topics[0].errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, name);
    }
  } finally {
    c.close();
  }
});

test('many connections at once, each with pipelined requests answered in order', async () => {
  const pipelined = Buffer.concat(Array.from({ length: 30 }, (_, i) => frame(i % 2 ? header(18, 0, i + 1) : Buffer.concat([header(3, 0, i + 1), Buffer.alloc(4)]))));
  const results = await Promise.all(Array.from({ length: 20 }, () => rawExchange(pipelined, false, 1500)));
  for (const r of results) {
    const ids: number[] = [];
    for (let pos = 0; pos + 8 <= r.data.length; pos += 4 + r.data.readInt32BE(pos)) ids.push(r.data.readInt32BE(pos + 4));
    assert.deepEqual(ids, Array.from({ length: 30 }, (_, i) => i + 1));
  }
});
