// Unmodified third-party clients against a real node process: each creates a 3-partition topic,
// produces 10 000 keyed messages with headers, reads them back in per-partition order and looks
// up offsets by time; then the node restarts and everything is read again.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { Admin, Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import { startTestCluster, kafkaPython, type TestCluster } from './testing/cluster.ts';
import { expectedOffsetsForT1, message, verify, type Consumed } from './testing/records.ts';
import { hasCommand, run } from './testing/run.ts';

const N = 10_000;
const here = path.dirname(fileURLToPath(import.meta.url));
let tc: TestCluster;
const produced = new Map<string, number>(); // topic -> messages acknowledged

before(async () => {
  tc = await startTestCluster();
});
after(async () => {
  await tc?.stop();
});

async function kcatConsume(topic: string, expected: number): Promise<Consumed[]> {
  const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-c', String(expected),
    '-f', '%p\t%o\t%k\t%s\t%h\t%T\n'], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [p, o, k, v, h, ts] = line.split('\t');
      const headers = Object.fromEntries(h.split(',').filter(Boolean).map((kv) => kv.split('=')));
      return { partition: +p, offset: +o, key: k, value: v, headers, timestamp: +ts };
    });
}

async function kafkajsAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: [tc.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

test('kcat: produce 10 000 keyed messages with headers, consume in order, offsets by time', { skip: !hasCommand('kcat') && 'kcat not installed' }, async () => {
  const topic = 'rt-kcat';
  await kafkajsAdmin((a) => a.createTopics({ topics: [{ topic, numPartitions: 3 }] }));
  // kcat sets one header for all lines; per-message partition via one run per partition.
  for (let p = 0; p < 3; p++) {
    const lines: string[] = [];
    for (let i = p; i < N; i += 3) lines.push(`${message(i, N).key}:${message(i, N).value}`);
    const r = await run('kcat', ['-b', tc.bootstrap, '-P', '-t', topic, '-p', String(p), '-K:', '-H', 'src=kcat',
      '-X', 'topic.request.required.acks=-1'], { input: lines.join('\n') + '\n' });
    assert.equal(r.code, 0, r.stderr);
  }
  produced.set(topic, N);
  const recs = await kcatConsume(topic, N);
  const v = verify(recs.map((r) => ({ ...r, headers: { h: r.value.slice(1) } })), N, { checkTimestamp: false });
  assert.deepEqual(v, { consumed: N, distinct: N, orderOk: true, fieldsOk: true });
  assert.ok(recs.every((r) => r.headers.src === 'kcat'), 'header src=kcat on every message');
  // Offsets by time: the first offset at or after the timestamp of record 5000 in partition 0.
  const p0 = recs.filter((r) => r.partition === 0);
  const mid = p0[1000];
  const q = await run('kcat', ['-b', tc.bootstrap, '-Q', '-t', `${topic}:0:${mid.timestamp}`]);
  assert.equal(q.code, 0, q.stderr);
  const off = Number(/offset (\d+)/.exec(q.stdout)?.[1]);
  assert.equal(off, p0.find((r) => r.timestamp >= mid.timestamp)!.offset);
});

for (const lib of ['confluent', 'kafka-python'] as const) {
  test(`${lib} (Python): create, produce 10 000, consume in order, offsets by time`, { skip: !kafkaPython() && 'Debian python3 Kafka clients not installed' }, async () => {
    const topic = `rt-${lib}`;
    const r = await run(kafkaPython()!, [path.join(here, 'testing/clients/roundtrip.py'), lib, tc.bootstrap, topic, String(N)], { timeoutMs: 180000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(out.unflushed, 0);
    assert.deepEqual(
      { consumed: out.consumed, distinct: out.distinct, order_ok: out.order_ok, fields_ok: out.fields_ok },
      { consumed: N, distinct: N, order_ok: true, fields_ok: true },
    );
    assert.deepEqual(out.offsets_for_t1, expectedOffsetsForT1(N));
    produced.set(topic, N);
  });
}

test('kafkajs: create, produce 10 000 with headers and timestamps, offsets by time', async () => {
  const topic = 'rt-kafkajs';
  const kafka = new Kafka({ brokers: [tc.bootstrap], logLevel: logLevel.NOTHING });
  await kafkajsAdmin((a) => a.createTopics({ topics: [{ topic, numPartitions: 3 }] }));
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < N; start += 1000) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 1000 }, (_, j) => {
        const m = message(start + j, N);
        return { key: m.key, value: m.value, partition: m.partition, headers: { h: m.header }, timestamp: String(m.timestamp) };
      }),
    });
  }
  await producer.disconnect();
  produced.set(topic, N);
  const recs = await kcatConsume(topic, N);
  assert.deepEqual(verify(recs, N), { consumed: N, distinct: N, orderOk: true, fieldsOk: true });
  const byTime = await kafkajsAdmin((a) => a.fetchTopicOffsetsByTimestamp(topic, T1()));
  assert.deepEqual(byTime.sort((a, b) => a.partition - b.partition).map((o) => Number(o.offset)), expectedOffsetsForT1(N));
});

function T1(): number {
  return message(N - 1, N).timestamp;
}

test('@platformatic/kafka: create, produce 10 000, fetch in order, offsets by time', async () => {
  const topic = 'rt-platformatic';
  const opts = { clientId: 'samsa-test', bootstrapBrokers: [tc.bootstrap] };
  const admin = new Admin(opts);
  const producer = new Producer({ ...opts, serializers: stringSerializers, acks: -1 });
  const consumer = new Consumer({ ...opts, groupId: 'rt-platformatic-unused' });
  try {
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
    for (let start = 0; start < N; start += 1000) {
      await producer.send({
        messages: Array.from({ length: 1000 }, (_, j) => {
          const m = message(start + j, N);
          return { topic, key: m.key, value: m.value, partition: m.partition, headers: { h: m.header }, timestamp: BigInt(m.timestamp) };
        }),
      });
    }
    produced.set(topic, N);
    const md = await admin.metadata({ topics: [topic] });
    const topicId = md.topics.get(topic)!.id;
    const recs: Consumed[] = [];
    const next = [0, 0, 0];
    for (let rounds = 0; recs.length < N && rounds < 200; rounds++) {
      const res = await consumer.fetch({
        node: 1,
        maxWaitTime: 100,
        topics: [{ topicId, partitions: [0, 1, 2].map((p) => ({ partition: p, fetchOffset: BigInt(next[p]), currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 })) }],
      });
      for (const part of res.responses[0].partitions) {
        for (const batch of part.records ?? []) {
          for (const rec of batch.records) {
            const offset = Number(batch.firstOffset) + rec.offsetDelta;
            if (offset < next[part.partitionIndex]) continue;
            next[part.partitionIndex] = offset + 1;
            recs.push({
              partition: part.partitionIndex,
              offset,
              key: rec.key!.toString(),
              value: rec.value!.toString(),
              headers: Object.fromEntries(rec.headers.map(([k, v]) => [k!.toString(), v!.toString()])),
              timestamp: Number(batch.firstTimestamp + rec.timestampDelta),
            });
          }
        }
      }
    }
    assert.deepEqual(verify(recs, N), { consumed: N, distinct: N, orderOk: true, fieldsOk: true });
    const offsets = await consumer.listOffsets({ topics: [topic], timestamp: BigInt(T1()) });
    assert.deepEqual([...offsets.get(topic)!].map(Number), expectedOffsetsForT1(N));
  } finally {
    await Promise.allSettled([admin.close(), producer.close(), consumer.close()]);
  }
});

test('after a clean restart of the node every topic reads back whole', async () => {
  assert.ok(produced.size > 0);
  await tc.cluster.restartNode(1);
  await tc.cluster.waitReady();
  for (const [topic, n] of produced) {
    const recs = await kcatConsume(topic, n);
    assert.equal(recs.length, n, topic);
  }
});
