// Admin APIs, ListOffsets, DeleteRecords and InitProducerId against a real node process with
// unmodified JavaScript clients (kafkajs admin, @platformatic/kafka Admin), kcat for offsets by
// time, and our own wire client where no real client has the call (DescribeCluster, DeleteTopics
// by id, InitProducerId with a transactional id, producer ids across a restart).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DeleteTopics } from '../protocol/messages/delete-topics.ts';
import { DescribeCluster } from '../protocol/messages/describe-cluster.ts';
import { DescribeConfigs } from '../protocol/messages/describe-configs.ts';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.ts';
import { InitProducerId } from '../protocol/messages/init-producer-id.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';

let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({ nodeArgs: [] });
});
after(async () => {
  await tc?.stop();
});

const kafkajs = () => new Kafka({ brokers: [tc.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });

/** The Kafka error name a kafkajs call failed with (also inside aggregate errors). */
async function kjError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    type KjErr = { type?: string; errors?: KjErr[]; partitions?: { error?: { type?: string } }[]; cause?: KjErr };
    const find = (x: KjErr | undefined): string | undefined =>
      x && (x.type ?? x.partitions?.find((p) => p.error)?.error?.type ?? x.errors?.map(find).find(Boolean) ?? (x.cause !== x ? find(x.cause) : undefined));
    return find(e as KjErr) ?? String(e);
  }
  return 'no error';
}

interface PltError {
  apiId?: string;
  serverErrorMessage?: string | null;
  errors?: PltError[];
}
/** The Kafka error name and server message a @platformatic/kafka call failed with. */
async function pltError(p: Promise<unknown>): Promise<{ id: string; message: string | null | undefined }> {
  try {
    await p;
  } catch (e) {
    const find = (x: PltError): PltError | undefined => (x.apiId ? x : x.errors?.map(find).find(Boolean));
    const inner = find(e as PltError);
    return { id: inner?.apiId ?? String(e), message: inner?.serverErrorMessage };
  }
  return { id: 'no error', message: null };
}

async function wire(): Promise<KafkaConnection> {
  const [host, port] = tc.bootstrap.split(',')[0].split(':');
  return KafkaConnection.connect(host, Number(port));
}

test('kafkajs admin: topics, partitions, configs, offsets, delete records, idempotent producer', async () => {
  const kafka = kafkajs();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = 'kj-a';
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] }), true);
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), false, 'TOPIC_ALREADY_EXISTS is "false" in kafkajs');
    assert.equal(await kjError(admin.createTopics({ topics: [{ topic: 'kj-rf', replicationFactor: 3 }] })), 'INVALID_REPLICATION_FACTOR');
    assert.equal(
      await kjError(admin.createTopics({ topics: [{ topic: 'kj-cfg', configEntries: [{ name: 'segment.bytes', value: 'huge' }] }] })),
      'INVALID_CONFIG',
    );
    assert.equal(await kjError(admin.createTopics({ topics: [{ topic: 'kj bad' }] })), 'INVALID_TOPIC_EXCEPTION');
    assert.equal(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'kj-v', numPartitions: 2 }] }), true);
    assert.ok(!(await admin.listTopics()).includes('kj-v'), 'validateOnly creates nothing');

    // Idempotent producer (InitProducerId), explicit timestamps.
    const base = Date.now() - 100_000;
    const producer = new Kafka({ brokers: [tc.bootstrap], logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 30 }, (_, i) => ({ partition: 0, value: `m${i}`, timestamp: String(base + i * 1000) })),
    });
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets(topic);
    assert.deepEqual(
      offsets.map((o) => [o.partition, o.low, o.high]),
      [
        [0, '0', '30'],
        [1, '0', '0'],
        [2, '0', '0'],
      ],
    );
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, base + 10_500);
    assert.equal(byTime.find((o) => o.partition === 0)!.offset, '11');

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '5' }] });
    assert.equal((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)!.low, '5');
    assert.equal(await kjError(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '100' }] })), 'OFFSET_OUT_OF_RANGE');

    await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
    assert.equal((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length, 5);
    assert.equal(await kjError(admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] })), 'INVALID_PARTITIONS');

    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: '2000000' }] }] });
    const described = await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    const entries = Object.fromEntries(described.resources[0].configEntries.map((c) => [c.configName, c]));
    assert.equal(entries['max.message.bytes'].configValue, '2000000');
    assert.equal(entries['retention.ms'].configValue, '604800000', 'AlterConfigs replaced every dynamic config');
    assert.equal(
      await kjError(admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] })),
      'INVALID_CONFIG',
    );
    const broker = await admin.describeConfigs({ resources: [{ type: 4, name: '1', configNames: ['num.partitions', 'log.retention.ms'] }], includeSynonyms: false });
    assert.deepEqual(broker.resources[0].configEntries.map((c) => [c.configName, c.readOnly]).sort(), [
      ['log.retention.ms', false],
      ['num.partitions', true],
    ]);

    await admin.deleteTopics({ topics: [topic] });
    assert.ok(!(await admin.listTopics()).includes(topic));
  } finally {
    await admin.disconnect();
  }
});

test('@platformatic/kafka admin: create, incremental configs, list offsets, delete records, log dirs, partitions', async () => {
  const admin = new Admin({ clientId: 'plt-admin', bootstrapBrokers: [tc.bootstrap], retries: 0 });
  try {
    const topic = 'pk-a';
    const [created] = await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'delete' }] });
    assert.equal(created.name, topic);
    assert.equal(created.partitions, 2);
    assert.match(created.id, /^[0-9a-f-]{32,36}$/);
    assert.notEqual(created.id.replace(/-/g, ''), '0'.repeat(32));

    assert.equal((await pltError(admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 }))).id, 'TOPIC_ALREADY_EXISTS');
    assert.equal((await pltError(admin.createTopics({ topics: ['a/b'], partitions: 1, replicas: 1 }))).id, 'INVALID_TOPIC_EXCEPTION');
    assert.equal((await pltError(admin.createTopics({ topics: ['pk-rf'], partitions: 1, replicas: 2 }))).id, 'INVALID_REPLICATION_FACTOR');
    assert.equal((await pltError(admin.createTopics({ topics: ['pk-p'], partitions: 0, replicas: 1 }))).id, 'INVALID_PARTITIONS');
    const badCfg = await pltError(admin.createTopics({ topics: ['pk-c'], partitions: 1, replicas: 1, configs: [{ name: 'retention.ms', value: '-7' }] }));
    assert.equal(badCfg.id, 'INVALID_CONFIG');
    assert.match(badCfg.message ?? '', /retention\.ms/);

    // IncrementalAlterConfigs: SET, APPEND, DELETE, and APPEND refused on a non-list config.
    await admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: 2,
          resourceName: topic,
          configs: [
            { name: 'retention.ms', configOperation: 0, value: '1234567' },
            { name: 'cleanup.policy', configOperation: 2, value: 'compact' },
          ],
        },
      ],
    });
    const cfg = async (type: 2 | 4, name: string) => {
      const [d] = await admin.describeConfigs({ resources: [{ resourceType: type, resourceName: name }], includeSynonyms: true, includeDocumentation: true });
      return Object.fromEntries(d.configs.map((c) => [c.name, c]));
    };
    let c = await cfg(2, topic);
    assert.equal(c['retention.ms'].value, '1234567');
    assert.equal(c['retention.ms'].configSource, 1);
    assert.deepEqual(c['retention.ms'].synonyms.map((s) => [s.name, s.source]), [
      ['retention.ms', 1],
      ['log.retention.ms', 5],
    ]);
    assert.equal(c['cleanup.policy'].value, 'delete,compact');
    assert.equal(c['retention.ms'].configType, 5, 'LONG');
    assert.ok(c['retention.ms'].documentation);
    await admin.incrementalAlterConfigs({ resources: [{ resourceType: 2, resourceName: topic, configs: [{ name: 'retention.ms', configOperation: 1 }] }] });
    c = await cfg(2, topic);
    assert.equal(c['retention.ms'].value, '604800000');
    assert.equal(c['retention.ms'].configSource, 5);
    const append = await pltError(
      admin.incrementalAlterConfigs({ resources: [{ resourceType: 2, resourceName: topic, configs: [{ name: 'retention.ms', configOperation: 2, value: '1' }] }] }),
    );
    assert.equal(append.id, 'INVALID_CONFIG');
    assert.match(append.message ?? '', /retention\.ms/);
    assert.equal(
      (await pltError(admin.incrementalAlterConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-nope', configs: [{ name: 'retention.ms', configOperation: 1 }] }] }))).id,
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
    assert.equal(
      (await pltError(admin.incrementalAlterConfigs({ resources: [{ resourceType: 3 as 2, resourceName: 'g', configs: [{ name: 'x', configOperation: 1 }] }] }))).id,
      'INVALID_REQUEST',
    );

    // Broker configs: a dynamic cluster-wide default reaches the topic; read-only ones refused.
    await admin.incrementalAlterConfigs({ resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: 'log.segment.bytes', configOperation: 0, value: '2000000' }] }] });
    assert.equal((await cfg(4, '1'))['log.segment.bytes'].configSource, 3);
    c = await cfg(2, topic);
    assert.equal(c['segment.bytes'].value, '2000000');
    assert.equal(c['segment.bytes'].configSource, 3);
    const ro = await pltError(
      admin.incrementalAlterConfigs({ resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: 'auto.create.topics.enable', configOperation: 0, value: 'false' }] }] }),
    );
    assert.equal(ro.id, 'INVALID_REQUEST');
    assert.match(ro.message ?? '', /Cannot update these configs dynamically: Set\(auto\.create\.topics\.enable\)/);
    await admin.incrementalAlterConfigs({ resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: 'log.segment.bytes', configOperation: 1 }] }] });
    assert.equal((await cfg(4, '1'))['log.segment.bytes'].configSource, 5);

    // Idempotent producer (InitProducerId with producerId 0 / epoch 0), then offsets.
    const producer = new Producer({ clientId: 'plt-p', bootstrapBrokers: [tc.bootstrap], serializers: stringSerializers, idempotent: true, retries: 0 });
    const base = Date.now() - 50_000;
    // The topic is compact,delete by now: a compacted topic refuses records without a key (INVALID_RECORD).
    try {
      await producer.send({ messages: Array.from({ length: 20 }, (_, i) => ({ topic, partition: 1, key: `k${i}`, value: `v${i}`, timestamp: BigInt(base + i * 100) })) });
    } finally {
      await producer.close();
    }
    const list = async (timestamp: bigint) => {
      const [t] = await admin.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 1, timestamp }] }] });
      return t.partitions[0];
    };
    assert.equal((await list(-1n)).offset, 20n);
    assert.equal((await list(-2n)).offset, 0n);
    const max = await list(-3n);
    assert.deepEqual([max.offset, max.timestamp], [19n, BigInt(base + 1900)]);
    assert.equal((await list(BigInt(base + 1050))).offset, 11n);
    assert.equal((await list(BigInt(Date.now() + 60_000))).offset, -1n, 'no record that late');

    const [deleted] = await admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 1, offset: -1n }] }] });
    assert.equal(deleted.partitions[0].lowWatermark, 20n, '-1 deletes up to the high watermark');
    assert.equal((await list(-2n)).offset, 20n);

    const dirs = await admin.describeLogDirs({ topics: [{ name: topic, partitions: [0, 1] }] });
    const dir = dirs[0].results[0];
    assert.ok(dir.logDir.startsWith(tc.dataDir), dir.logDir);
    const t = dir.topics.find((x) => x.name === topic)!;
    assert.deepEqual(t.partitions.map((p) => p.partitionIndex).sort(), [0, 1]);
    assert.ok(t.partitions.find((p) => p.partitionIndex === 1)!.partitionSize > 0n);

    await admin.createPartitions({ topics: [{ name: topic, count: 3, assignments: [{ brokerIds: [1] }] }] });
    assert.equal(
      (await pltError(admin.createPartitions({ topics: [{ name: topic, count: 4, assignments: [{ brokerIds: [7] }] }] }))).id,
      'INVALID_REPLICA_ASSIGNMENT',
    );
    assert.equal((await pltError(admin.createPartitions({ topics: [{ name: topic, count: 3 }] }))).id, 'INVALID_PARTITIONS');

    await admin.deleteTopics({ topics: [topic] });
    assert.equal((await pltError(admin.deleteTopics({ topics: [topic] }))).id, 'UNKNOWN_TOPIC_OR_PARTITION');
  } finally {
    await admin.close();
  }
});

test('kcat: offsets by time (ListOffsets)', { skip: !hasCommand('kcat') && 'kcat not installed' }, async () => {
  const topic = 'kc-time';
  const admin = kafkajs().admin();
  await admin.connect();
  const producer = kafkajs().producer();
  await producer.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const base = 1_700_000_000_000;
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `t${i}`, timestamp: String(base + i * 10) })) });
    const q = async (ts: number) => {
      const r = await run('kcat', ['-b', tc.bootstrap, '-Q', '-t', `${topic}:0:${ts}`]);
      assert.equal(r.code, 0, r.stderr);
      return Number(/offset (-?\d+)/.exec(r.stdout)?.[1]);
    };
    assert.equal(await q(base + 45), 5);
    assert.equal(await q(base), 0);
    assert.equal(await q(-2), 0, 'earliest');
    assert.equal(await q(-1), 10, 'latest');
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});

test('wire: DescribeCluster, DeleteTopics by id, InitProducerId ids across a restart', async () => {
  let conn = await wire();
  try {
    for (const v of [0, 1]) {
      const dc = await conn.request(DescribeCluster, v, { includeClusterAuthorizedOperations: true });
      assert.equal(dc.errorCode, 0);
      assert.equal(dc.controllerId, 1);
      assert.deepEqual(dc.brokers.map((b) => b.brokerId), [1]);
      assert.match(dc.clusterId, /^[A-Za-z0-9_-]{22}$/);
      assert.ok(dc.clusterAuthorizedOperations > 0);
    }
    const ctrl = await conn.request(DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    assert.equal(ctrl.errorCode, ErrorCode.MISMATCHED_ENDPOINT_TYPE);

    const ct = await conn.request(CreateTopics, 7, {
      topics: [{ name: 'w-id', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const id = ct.topics[0].topicId;
    assert.equal(ct.topics[0].numPartitions, 1);
    assert.ok(ct.topics[0].configs!.some((c) => c.name === 'retention.ms' && c.configSource === 5));
    const del = await conn.request(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.deepEqual([del.responses[0].errorCode, del.responses[0].name], [0, 'w-id']);
    const again = await conn.request(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.equal(again.responses[0].errorCode, ErrorCode.UNKNOWN_TOPIC_ID);

    // Broker "" is the cluster-default resource: only dynamically set configs.
    await conn.request(IncrementalAlterConfigs, 1, {
      resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'log.retention.ms', configOperation: 0, value: '86400000' }] }],
      validateOnly: false,
    });
    const dflt = await conn.request(DescribeConfigs, 4, {
      resources: [{ resourceType: 4, resourceName: '', configurationKeys: null }],
      includeSynonyms: true,
      includeDocumentation: false,
    });
    assert.deepEqual(dflt.results[0].configs.map((c) => [c.name, c.value, c.configSource]), [['log.retention.ms', '86400000', 3]]);
    const badType = await conn.request(DescribeConfigs, 4, {
      resources: [{ resourceType: 3, resourceName: 'g', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    assert.equal(badType.results[0].errorCode, ErrorCode.INVALID_REQUEST);
    await conn.request(IncrementalAlterConfigs, 1, {
      resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'log.retention.ms', configOperation: 1, value: null }] }],
      validateOnly: false,
    });

    // Transactional ids belong to their coordinator, found first with FindCoordinator (txn-wire.test.ts).
    const txn = await conn.request(InitProducerId, 4, { transactionalId: 'tx-1', transactionTimeoutMs: 60000 });
    assert.equal(txn.errorCode, ErrorCode.NOT_COORDINATOR);
    const a = await conn.request(InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000, producerId: 0, producerEpoch: 0 });
    const b = await conn.request(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    assert.deepEqual([a.errorCode, a.producerEpoch, b.errorCode], [0, 0, 0]);
    assert.ok(b.producerId > a.producerId);
    conn.close();
    await tc.cluster.restartNode(1);
    await tc.cluster.waitReady();
    conn = await wire();
    const c = await conn.request(InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000 });
    assert.ok(c.producerId > b.producerId, `producer id ${c.producerId} reused after restart (had ${b.producerId})`);
  } finally {
    conn.close();
  }
});
