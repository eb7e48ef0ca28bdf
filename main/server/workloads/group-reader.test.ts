// A console group member through a kill -9 of its group's coordinator, on a real 3-node cluster:
// the process survives (without main/kafka/client-guard.ts the client's heartbeat threw a
// TypeError out of a timer callback once the node left the metadata, ending the test process),
// and the member rejoins with a new consumer and reads what is written after the kill (without
// the rejoin it read nothing more: the client never looks its coordinator up again).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { KafkaConnection } from '../../../broker/client/connection.ts';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator.ts';
import { startTestCluster, type TestCluster } from '../../../broker/testing/cluster.ts';
import { until } from '../../../broker/testing/wait.ts';
import type { ClusterConfig } from '../../kafka/cluster-config.ts';
import { GroupReader, type GroupRecord } from './group-reader.ts';

const TOPIC = 'reader-failover';
const GROUP = 'reader-failover-group';

let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({ nodes: 3, nodeArgs: ['--group-initial-rebalance-delay-ms', '0'] });
});
after(async () => {
  await tc?.stop();
});

test('a group member survives the death of its coordinator and reads on after rejoining', { timeout: 180_000 }, async () => {
  const brokers = tc.bootstrap.split(',');
  const config: ClusterConfig = { id: 'local', name: 'local', bootstrap: brokers, bundled: true };
  const admin = new Admin({ clientId: 'reader-test-admin', bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 3 });
  await admin.close();
  const producer = new Producer({ clientId: 'reader-test-producer', bootstrapBrokers: brokers, serializers: stringSerializers, retries: 10 });
  const send = (from: number, n: number) =>
    producer.send({ messages: Array.from({ length: n }, (_, i) => ({ topic: TOPIC, key: `k${from + i}`, value: String(from + i) })), acks: -1 });

  const seen = new Set<string>();
  const errors: string[] = [];
  const reader = await GroupReader.join(config, {
    clientId: 'reader-test-member',
    group: GROUP,
    topic: TOPIC,
    fallback: 'earliest',
    onRecord: (r: GroupRecord) => void seen.add(String(r.value)),
    onError: (e) => void errors.push((e as Error).message),
  });
  try {
    await send(0, 30);
    await until('the first 30 records read', async () => seen.size >= 30, 60_000);

    const [host, port] = brokers[0].split(':');
    const conn = await KafkaConnection.connect(host, Number(port), 'reader-test');
    const found = await conn.request(FindCoordinator, 4, { keyType: 0, coordinatorKeys: [GROUP] });
    conn.close();
    const coordinator = found.coordinators[0].nodeId;
    assert.ok(coordinator > 0, `no coordinator for ${GROUP}: ${JSON.stringify(found.coordinators)}`);
    await tc.cluster.kill(coordinator);

    await until('records sent after the kill acknowledged', async () => {
      try {
        await send(1000, 30);
        return true;
      } catch {
        return false;
      }
    }, 60_000);
    await until(
      `the 30 records sent after killing coordinator ${coordinator} read (rejoins ${reader.rejoins}, errors: ${errors.slice(-3).join(' | ')})`,
      async () => Array.from({ length: 30 }, (_, i) => String(1000 + i)).every((v) => seen.has(v)),
      90_000,
    );
    assert.ok(reader.rejoins >= 1, `the member read on without rejoining (rejoins ${reader.rejoins})`);
    for (let i = 0; i < 30; i++) assert.ok(seen.has(String(i)), `record ${i} missing`);
  } finally {
    await reader.leave(() => {});
    await producer.close();
  }
});
