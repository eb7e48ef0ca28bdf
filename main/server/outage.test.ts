// The console during the failover it exists to demo: a 3-node cluster, an RF 1 topic whose only
// replica is on node 3 and an RF 3 topic; kill -9 node 3. Overview, Topics and topic detail keep
// answering and count the outage (offline partition, under-replicated ones, node 3 down); a
// live tail of the RF 1 topic says it is reconnecting and, once node 3 is back, delivers what
// kcat writes; a tail of the RF 3 topic never stops. Real node processes, kcat as the client.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import WebSocket from 'ws';
import { startTestCluster, type TestCluster } from '../../broker/testing/cluster.ts';
import { until } from '../../broker/testing/wait.ts';
import type { Overview, ServerStreamMessage, TopicDetail, TopicList } from '../contract/index.ts';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { rawRequest, tempDir } from './test-helpers.ts';

const kcat = (bootstrap: string, topic: string, lines: string[]) =>
  execFileSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-X', 'message.timeout.ms=20000'], { input: lines.join('\n') + '\n', timeout: 30000 });

describe('console during a node outage', { timeout: 180_000 }, () => {
  let tc: TestCluster;
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  let ws: WebSocket;
  const streamed: ServerStreamMessage[] = [];

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const r = await rawRequest(server.port, `/api/clusters/local${path}`, { headers: { 'x-samsa-token': server.token } });
    return { status: r.status, body: r.json() };
  };
  const tailed = (id: string) =>
    streamed
      .filter((m): m is Extract<ServerStreamMessage, { type: 'tail.messages' }> => m.type === 'tail.messages' && m.id === id)
      .flatMap((m) => m.messages.map((x) => Buffer.from(x.value ?? '', 'base64').toString()));
  const lastStatus = (id: string) => streamed.filter((m) => m.type === 'tail.status' && m.id === id).at(-1);

  before(async () => {
    tc = await startTestCluster({ nodes: 3 });
    await tc.cluster.waitReady();
    const admin = new Admin({ clientId: 'outage-test', bootstrapBrokers: tc.bootstrap.split(',') });
    await admin.createTopics({ topics: ['only-on-3'], partitions: -1, replicas: -1, assignments: [{ partition: 0, brokers: [3] }] });
    await admin.createTopics({ topics: ['everywhere'], partitions: 3, replicas: 3 });
    await admin.close();
    registry = new ClusterRegistry({ appDataDir: tempDir('samsa-outage-'), bundledBootstrap: tc.bootstrap.split(',') });
    server = await startConsoleServer({ registry, staticDir: null });
    ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/stream?token=${encodeURIComponent(server.token)}`);
    ws.on('message', (d) => streamed.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
  });
  after(async () => {
    ws?.close();
    await server?.close();
    await registry?.close();
    await tc?.stop();
  });

  test('before: three brokers up, nothing offline; both tails are live', async () => {
    const o = await get<Overview>('/overview');
    assert.equal(o.status, 200);
    assert.deepEqual(
      o.body.brokers.map((b) => [b.id, b.status]),
      [
        [1, 'up'],
        [2, 'up'],
        [3, 'up'],
      ],
    );
    assert.equal(o.body.offlinePartitions, 0);
    ws.send(JSON.stringify({ type: 'tail.start', id: 'rf1', clusterId: 'local', topic: 'only-on-3' }));
    ws.send(JSON.stringify({ type: 'tail.start', id: 'rf3', clusterId: 'local', topic: 'everywhere' }));
    await until('both tails live', async () => lastStatus('rf1')?.type === 'tail.status' && lastStatus('rf3') !== undefined);
    assert.equal((lastStatus('rf1') as { state: string }).state, 'live');
  });

  test('kill -9 of node 3: Overview counts the outage and lists node 3 as down', async () => {
    tc.cluster.kill(3);
    const o = await until(
      'the overview to show the outage',
      async () => {
        const r = await get<Overview>('/overview');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.offlinePartitions === 1 ? r.body : null;
      },
      30_000,
    );
    assert.deepEqual(
      o.brokers.map((b) => [b.id, b.status]),
      [
        [1, 'up'],
        [2, 'up'],
        [3, 'down'],
      ],
    );
    assert.ok(o.brokers.find((b) => b.id === 3)?.port, 'a broker seen earlier keeps its address');
    // The 3 partitions of the RF 3 topic (and of any other RF 3 topic) lost a replica.
    assert.ok(o.underReplicatedPartitions >= 3, String(o.underReplicatedPartitions));
    assert.equal(o.topicCount, 2);
  });

  test('the Topics list keeps every topic, with offline and under-replicated counts', async () => {
    const r = await until(
      'the RF 3 topic to be under-replicated',
      async () => {
        const t = await get<TopicList>('/topics');
        assert.equal(t.status, 200, JSON.stringify(t.body));
        return t.body.topics.find((x) => x.name === 'everywhere')?.underReplicated === 3 ? t.body : null;
      },
      30_000,
    );
    const rf1 = r.topics.find((t) => t.name === 'only-on-3')!;
    assert.equal(rf1.offline, 1);
    assert.equal(rf1.messages, null, 'an offline partition has no known count');
    const rf3 = r.topics.find((t) => t.name === 'everywhere')!;
    assert.equal(rf3.offline, 0);
    assert.equal(rf3.messages, 0);
  });

  test('topic detail shows the partition offline with Kafka’s error', async () => {
    const d = await get<TopicDetail>('/topics/only-on-3');
    assert.equal(d.status, 200, JSON.stringify(d.body));
    const [p] = d.body.partitions;
    assert.equal(p.leader, -1);
    assert.equal(p.error, 'LEADER_NOT_AVAILABLE');
    assert.deepEqual(p.offlineReplicas, [3]);
  });

  test('the RF 1 tail says it is reconnecting; the RF 3 tail keeps delivering', async () => {
    await until('the RF 1 tail to report reconnecting', async () => (lastStatus('rf1') as { state?: string })?.state === 'reconnecting', 30_000);
    assert.match(String((lastStatus('rf1') as { message?: string }).message), /only-on-3-0/);
    kcat(tc.bootstrap, 'everywhere', ['during-outage']);
    await until('the RF 3 tail to deliver', async () => tailed('rf3').includes('during-outage'), 30_000);
  });

  test('node 3 restarts: the RF 1 tail is live again and delivers; node 3 is up', async () => {
    await tc.cluster.startNode(3);
    await until('the RF 1 tail to be live', async () => (lastStatus('rf1') as { state?: string })?.state === 'live', 60_000);
    kcat(tc.bootstrap, 'only-on-3', ['after-restart']);
    await until('the RF 1 tail to deliver', async () => tailed('rf1').includes('after-restart'), 30_000);
    const o = await until(
      'node 3 up',
      async () => {
        const r = await get<Overview>('/overview');
        return r.body.brokers.every((b) => b.status === 'up') && r.body.offlinePartitions === 0 ? r.body : null;
      },
      30_000,
    );
    assert.equal(o.brokers.length, 3);
    assert.ok(!streamed.some((m) => m.type === 'error'), JSON.stringify(streamed.filter((m) => m.type === 'error')));
  });
});
