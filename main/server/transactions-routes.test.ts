// The console's transactions and producers routes on a real 3-node Samsa cluster, with kafkajs
// as the transactional client: an open transaction shows as Ongoing with its partitions on its
// coordinator and holds a current transaction start offset on each partition it wrote; once
// committed it shows CompleteCommit and the partitions have no open transaction left. Browsing
// a partition with aborted, committed and open transactions by isolation level.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { freePortBlock } from '../../broker/testing/ports.ts';
import { startCluster } from '../../broker/supervisor/supervisor.ts';
import { until } from '../../broker/testing/wait.ts';
import type { BrowseResponse, ProducerState, TopicProducers, TransactionList } from '../contract/index.ts';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { rawRequest, tempDir } from './test-helpers.ts';

type Cluster = Awaited<ReturnType<typeof startCluster>>;

describe('console transactions on a 3-node cluster', () => {
  let cluster: Cluster;
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  let producer: Producer;

  const get = async <T,>(path: string): Promise<{ status: number; body: T }> => {
    const r = await rawRequest(server.port, `/api/clusters/local${path}`, { headers: { 'x-samsa-token': server.token } });
    return { status: r.status, body: r.json() as T };
  };

  before(async () => {
    const dir = tempDir('samsa-txn-routes-');
    const port = await freePortBlock(3);
    cluster = await startCluster({ nodes: 3, basePort: port, dataDir: dir });
    registry = new ClusterRegistry({ appDataDir: dir, bundledBootstrap: cluster.bootstrap.split(',') });
    server = await startConsoleServer({ registry, staticDir: null });
    const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer({ transactionalId: 'payments-tx', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60000 });
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect().catch(() => {});
    await server?.close();
    await registry?.close();
    await cluster?.stop();
  });

  test('an open transaction, then committed', async () => {
    const txn = await producer.transaction();
    await txn.send({ topic: 'payments', messages: [{ key: 'a', value: '1', partition: 0 }, { key: 'b', value: '2', partition: 2 }] });

    const open = await get<TransactionList>('/transactions');
    assert.equal(open.status, 200, JSON.stringify(open.body));
    assert.deepEqual(open.body.unavailable, [], 'every broker answered');
    const t = open.body.transactions.find((x) => x.transactionalId === 'payments-tx');
    assert.ok(t, JSON.stringify(open.body));
    assert.equal(t.state, 'Ongoing');
    assert.equal(t.timeoutMs, 60000);
    assert.ok(t.producerId >= 0 && t.startTimeMs !== null && t.startTimeMs <= Date.now());
    assert.deepEqual(t.partitions, [
      { topic: 'payments', partition: 0 },
      { topic: 'payments', partition: 2 },
    ]);
    assert.equal(open.body.transactions.filter((x) => x.transactionalId === 'payments-tx').length, 1, 'listed by its coordinator only');

    const producers = await get<TopicProducers>('/topics/payments/producers');
    assert.equal(producers.status, 200, JSON.stringify(producers.body));
    const byPartition = new Map(producers.body.partitions.map((p) => [p.partition, p]));
    assert.deepEqual([...byPartition.keys()], [0, 1, 2]);
    for (const p of [0, 2]) {
      const mine: ProducerState | undefined = byPartition.get(p)!.producers.find((s) => s.producerId === t.producerId);
      assert.ok(mine, `partition ${p} knows the producer: ${JSON.stringify(byPartition.get(p))}`);
      assert.equal(mine.currentTxnStartOffset, 0, 'the open transaction starts at offset 0');
      assert.equal(mine.producerEpoch, t.producerEpoch);
    }
    assert.deepEqual(byPartition.get(1)!.producers, [], 'nothing was written to partition 1');

    await txn.commit();
    await until('the transaction shows CompleteCommit', async () => {
      const done = (await get<TransactionList>('/transactions')).body.transactions.find((x) => x.transactionalId === 'payments-tx');
      return done?.state === 'CompleteCommit' && done.partitions.length === 0;
    });
    const later = await get<TopicProducers>('/topics/payments/producers');
    for (const p of later.body.partitions.filter((x) => x.partition !== 1)) {
      assert.equal(p.producers.find((s) => s.producerId === t.producerId)?.currentTxnStartOffset, null, `partition ${p.partition} has no open transaction`);
    }
  });

  test('browsing by isolation level: aborted records only read_uncommitted, markers when asked, read_committed stops at an open transaction', async () => {
    const send = async (value: string) => {
      const txn = await producer.transaction();
      await txn.send({ topic: 'payments', messages: [{ key: 'k', value, partition: 1 }] });
      return txn;
    };
    await (await send('aborted')).abort();
    await (await send('committed')).commit();
    const open = await send('open');
    try {
      const browse = async (body: Record<string, unknown>) => {
        const r = await rawRequest(server.port, '/api/clusters/local/topics/payments/browse', {
          method: 'POST',
          headers: { 'x-samsa-token': server.token, 'content-type': 'application/json' },
          body: JSON.stringify({ partition: 1, seek: { mode: 'earliest' }, ...body }),
        });
        assert.equal(r.status, 200, r.text);
        return (r.json() as BrowseResponse).messages.map((m) =>
          m.control ? `<${m.control}>` : `${Buffer.from(m.value ?? '', 'base64').toString()}${m.transactional ? ' (txn)' : ''}`,
        );
      };
      assert.deepEqual(await browse({}), ['aborted (txn)', 'committed (txn)', 'open (txn)'], 'read_uncommitted is the default');
      assert.deepEqual(await browse({ showControl: true }), ['aborted (txn)', '<ABORT>', 'committed (txn)', '<COMMIT>', 'open (txn)']);
      assert.deepEqual(await browse({ isolation: 'read_committed' }), ['committed (txn)'], 'no aborted record, nothing past the LSO');
      assert.deepEqual(await browse({ isolation: 'read_committed', showControl: true }), ['<ABORT>', 'committed (txn)', '<COMMIT>']);
      const bad = await rawRequest(server.port, '/api/clusters/local/topics/payments/browse', {
        method: 'POST',
        headers: { 'x-samsa-token': server.token, 'content-type': 'application/json' },
        body: JSON.stringify({ isolation: 'serializable' }),
      });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /isolation/);
    } finally {
      await open.commit();
    }
  });

  test('an unknown topic is a 404 with Kafka’s error name', async () => {
    const r = await get<{ error: { code: string } }>('/topics/nope/producers');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});
