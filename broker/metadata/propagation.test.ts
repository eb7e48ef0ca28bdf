// Topic changes are read-your-writes across nodes (issue 9 item 1), on the default 3-node
// cluster with unmodified clients: a topic created through one node is usable through another
// the moment CreateTopics answers (librdkafka via confluent-kafka, kafka-python, kafkajs, 50
// rounds each way); auto-creation racing an explicit create costs no client an error; Metadata
// never answers TOPIC_ALREADY_EXISTS and the partition count a node reports never goes down;
// deletions and config changes are seen on every node once answered; a broker that cannot
// apply the change in time turns the answer into REQUEST_TIMED_OUT.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { CreatePartitions } from '../protocol/messages/create-partitions.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DeleteTopics } from '../protocol/messages/delete-topics.ts';
import { DescribeConfigs } from '../protocol/messages/describe-configs.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { kafkaPython, metadataOf, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const py = kafkaPython();
const ROUNDS = 50;

let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({ nodes: 3, nodeArgs: ['--group-initial-rebalance-delay-ms', '0'] });
});
after(async () => {
  await tc?.stop();
});

const addr = (id: number) => {
  const n = tc.cluster.nodes.find((x) => x.id === id)!;
  return `${n.host}:${n.port}`;
};

async function pythonRounds(lib: string, from: number, to: number, prefix: string, race = false) {
  const script = path.join(here, '../testing/clients/create_and_use.py');
  const args = [script, lib, addr(from), addr(to), String(ROUNDS), prefix, ...(race ? ['race'] : [])];
  const r = await run(py!, args, { timeoutMs: 600000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { rounds: number; errors: string[]; error_count: number };
}

// Two client runs go side by side: shorter, and concurrent creates are part of the test (more
// would overload a 2-core machine shared with other work).
describe('Python clients', { concurrency: 2, skip: !py && 'Debian python3 Kafka clients not installed' }, () => {
  for (const lib of ['confluent', 'kafka-python']) {
    for (const [from, to] of [
      [1, 3],
      [3, 1],
    ]) {
      test(`${lib}: ${ROUNDS} topics created through node ${from} are used through node ${to} at once, without an error`, { timeout: 600000 }, async () => {
        const r = await pythonRounds(lib, from, to, `p-${lib}-${from}${to}`);
        assert.equal(r.rounds, ROUNDS);
        assert.deepEqual(r.errors, [], `${r.error_count} errors`);
      });
    }
  }
  test('confluent: auto-creation by a producer racing the explicit create costs no client an error', { timeout: 600000 }, async () => {
    const r = await pythonRounds('confluent', 1, 3, 'race', true);
    assert.equal(r.rounds, ROUNDS);
    assert.deepEqual(r.errors, [], `${r.error_count} errors`);
  });
});

test('kafkajs: topics created through one node are used through another at once, both ways', { timeout: 600000 }, async () => {
  const errors: string[] = [];
  for (const [from, to] of [
    [1, 3],
    [3, 1],
  ]) {
    const client = (id: number) => new Kafka({ brokers: [addr(id)], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = client(from).admin();
    const producer = client(to).producer({ allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
    try {
      for (let r = 0; r < ROUNDS; r++) {
        const topic = `kj-${from}${to}-${r}`;
        try {
          // waitForLeaders: false, so it is the broker's answer that makes the topic usable.
          const created = await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: false });
          if (!created) errors.push(`${topic}: not created`);
          await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((p) => ({ partition: p, value: `v${p}` })) });
          // A short fetch wait: disconnect() waits for the fetch in flight.
          const consumer = client(to).consumer({ groupId: topic, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
          await consumer.connect();
          const got = await new Promise<number>((resolve, reject) => {
            let n = 0;
            const timer = setTimeout(() => resolve(n), 20000);
            consumer.subscribe({ topic, fromBeginning: true }).then(
              () =>
                consumer.run({
                  eachMessage: async () => {
                    if (++n === 3) {
                      clearTimeout(timer);
                      resolve(n);
                    }
                  },
                }),
              reject,
            );
          });
          await consumer.disconnect();
          if (got !== 3) errors.push(`${topic}: consumed ${got}/3`);
        } catch (e) {
          errors.push(`${topic}: ${(e as Error).message}`);
        }
      }
    } finally {
      await producer.disconnect();
      // Deleted only now: a kafkajs producer keeps refreshing every topic it has produced to.
      const topics = Array.from({ length: ROUNDS }, (_, r) => `kj-${from}${to}-${r}`);
      await admin.deleteTopics({ topics }).catch(() => {});
      await admin.disconnect();
    }
  }
  assert.deepEqual(errors, []);
});

const createTopic = (id: number, name: string, partitions: number, timeoutMs = 10000) =>
  withConn(tc, id, (c) =>
    c.request(
      CreateTopics,
      7,
      {
        topics: [{ name, numPartitions: partitions, replicationFactor: 3, assignments: [], configs: [] }],
        timeoutMs,
        validateOnly: false,
      },
      timeoutMs + 5000,
    ),
  );

/** Metadata of one topic from node id, auto-creating it if asked. */
const topicOn = (id: number, name: string, allowAutoTopicCreation: boolean) =>
  withConn(tc, id, async (c) => {
    const r = await c.request(Metadata, 12, { topics: [{ name, topicId: '0'.repeat(32) }], allowAutoTopicCreation }, 10000);
    return r.topics[0];
  });

test('Metadata racing CreateTopics on every node: never TOPIC_ALREADY_EXISTS, leaders at once', { timeout: 120000 }, async () => {
  for (let r = 0; r < 20; r++) {
    const name = `md-race-${r}`;
    const [created, ...seen] = await Promise.all([
      createTopic(1, name, 3),
      topicOn(2, name, true),
      topicOn(3, name, true),
      topicOn(1, name, false),
    ]);
    const code = created?.topics[0].errorCode;
    // TOPIC_ALREADY_EXISTS when an auto-creation (num.partitions = 1) won, as in Kafka.
    assert.ok(code === ErrorCode.NONE || code === ErrorCode.TOPIC_ALREADY_EXISTS, `create: ${code}`);
    const count = code === ErrorCode.NONE ? 3 : 1;
    const retriable = new Set<number>([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.LEADER_NOT_AVAILABLE]);
    for (const t of seen) {
      assert.ok(t, 'metadata answered');
      // Visible with leaders, or (without auto-creation, before it exists) unknown: nothing else.
      if (t.errorCode === ErrorCode.NONE) {
        assert.equal(t.partitions.length, count);
        assert.ok(t.partitions.every((p) => p.leaderId >= 0));
      } else assert.ok(retriable.has(t.errorCode), `${t.errorCode}`);
    }
  }
});

test('CreatePartitions: no node ever reports fewer partitions, and all report the new count once answered', { timeout: 60000 }, async () => {
  const name = 'grow';
  assert.equal((await createTopic(1, name, 1))?.topics[0].errorCode, ErrorCode.NONE);
  let stop = false;
  const lowest = new Map<number, number>();
  const shrinks: string[] = [];
  const watch = async (id: number) => {
    while (!stop) {
      const n = (await topicOn(id, name, false))?.partitions.length;
      if (n === undefined) continue;
      if (n < (lowest.get(id) ?? 0)) shrinks.push(`node ${id}: ${lowest.get(id)} -> ${n}`);
      lowest.set(id, Math.max(n, lowest.get(id) ?? 0));
    }
  };
  const watchers = [1, 2, 3].map(watch);
  try {
    for (const count of [2, 4, 8]) {
      const res = await withConn(tc, 3, (c) =>
        c.request(CreatePartitions, 3, { topics: [{ name, count, assignments: null }], timeoutMs: 10000, validateOnly: false }, 15000),
      );
      assert.equal(res?.results[0].errorCode, ErrorCode.NONE);
      for (const id of [1, 2, 3]) assert.equal((await topicOn(id, name, false))?.partitions.length, count, `node ${id} after ${count}`);
    }
  } finally {
    stop = true;
    await Promise.all(watchers);
  }
  assert.deepEqual(shrinks, []);
});

test('DeleteTopics and IncrementalAlterConfigs are seen on every node once answered', { timeout: 60000 }, async () => {
  for (let r = 0; r < 5; r++) {
    const name = `del-${r}`;
    assert.equal((await createTopic(2, name, 2))?.topics[0].errorCode, ErrorCode.NONE);
    const alter = await withConn(tc, 1, (c) =>
      c.request(
        IncrementalAlterConfigs,
        1,
        {
          resources: [{ resourceType: 2, resourceName: name, configs: [{ name: 'retention.ms', configOperation: 0, value: `${3600000 + r}` }] }],
          validateOnly: false,
        },
        15000,
      ),
    );
    assert.equal(alter?.responses[0].errorCode, ErrorCode.NONE);
    for (const id of [1, 2, 3]) {
      const d = await withConn(tc, id, (c) =>
        c.request(
          DescribeConfigs,
          4,
          { resources: [{ resourceType: 2, resourceName: name, configurationKeys: ['retention.ms'] }], includeSynonyms: false, includeDocumentation: false },
          5000,
        ),
      );
      assert.equal(d?.results[0].configs[0]?.value, `${3600000 + r}`, `node ${id}`);
    }
    const del = await withConn(tc, 3, (c) => c.request(DeleteTopics, 6, { topics: [{ name, topicId: '0'.repeat(32) }], timeoutMs: 10000 }, 15000));
    assert.equal(del?.responses[0].errorCode, ErrorCode.NONE);
    for (const id of [1, 2, 3]) {
      const md = await metadataOf(tc, id);
      assert.ok(!md?.topics.some((t) => t.name === name), `node ${id} still lists ${name}`);
    }
  }
});

test('a broker that cannot apply a new topic in time makes it REQUEST_TIMED_OUT; it appears once the broker is back', { timeout: 60000 }, async () => {
  const controller = (await metadataOf(tc, 1))!.controllerId;
  const paused = [2, 3].find((id) => id !== controller)!;
  tc.cluster.pause(paused);
  try {
    // Within the broker session (1 s) the paused node still counts as live but applies nothing.
    const res = await createTopic(1, 'late', 1, 300);
    assert.equal(res?.topics[0].errorCode, ErrorCode.REQUEST_TIMED_OUT, res?.topics[0].errorMessage ?? '');
    assert.match(res?.topics[0].errorMessage ?? '', new RegExp(`broker ${paused}`));
  } finally {
    tc.cluster.resume(paused);
  }
  for (const id of [1, 2, 3])
    await until(`node ${id} shows 'late'`, async () => (await topicOn(id, 'late', false))?.errorCode === ErrorCode.NONE);
});
