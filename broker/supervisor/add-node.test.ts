// Adding a node to a running 3-node cluster (Cluster.addNode), with real node processes and
// kcat: node 4 starts outside the static voter set, so it is an observer of the metadata quorum
// (never a voter) and a full broker: every node lists it within seconds, new topics place
// replicas on it, clients produce and consume through it, and kill -9 of it fails its
// partitions over to their other replica. cluster.json keeps the node count, so a restart of
// the cluster (with its original --nodes) brings node 4 back, still an observer.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { metadataOf, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';
import { startCluster, type Cluster, type NodeInfo } from './supervisor.ts';

const metadata = metadataOf;

const partitionsOf = async (tc: TestCluster, via: number, topic: string) =>
  (await metadata(tc, via))?.topics.find((t) => t.name === topic)?.partitions;

test(
  'addNode: node 4 joins as an observer broker, hosts replicas, fails over on kill -9',
  { timeout: 60000, skip: !hasCommand('kcat') && 'kcat not installed' },
  async () => {
    const tc = await startTestCluster({ nodes: 3, spare: 1 });
    try {
      const events: NodeInfo[] = [];
      tc.cluster.on('node', (n) => events.push({ ...n }));
      const n4 = await tc.cluster.addNode();
      assert.equal(n4.id, 4);
      assert.ok(events.some((e) => e.id === 4 && e.state === 'running'), 'node event for node 4');
      const saved = JSON.parse(fs.readFileSync(path.join(tc.dataDir, 'cluster.json'), 'utf8'));
      assert.equal(saved.nodes, 4);
      assert.equal(saved.voters, 3);

      for (const id of [1, 2, 3, 4])
        await until(
          `node ${id} lists node 4`,
          async () => (await metadata(tc, id))?.brokers.some((b) => b.nodeId === 4 && b.port === n4.port),
          5000,
        );

      // The quorum keeps its three voters; node 4 is an observer of the leader.
      const controller = await until('a controller', async () => (await metadata(tc, 4))?.controllerId ?? 0);
      assert.ok([1, 2, 3].includes(controller), `controller ${controller} is a voter`);
      const q = await until('DescribeQuorum lists observer 4', async () => {
        const r = await withConn(tc, controller, (c) =>
          c.request(DescribeQuorum, 1, {
            topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
          }),
        );
        const p = r?.topics[0].partitions[0];
        return p?.observers.some((o) => o.replicaId === 4) && p;
      });
      assert.deepEqual(q.currentVoters.map((v) => v.replicaId).sort(), [1, 2, 3]);

      // A new topic places replicas (and one leader) on node 4.
      const created = await until('topic obs', () =>
        withConn(tc, 1, async (c) => {
          const r = await c.request(
            CreateTopics,
            7,
            {
              topics: [{ name: 'obs', numPartitions: 4, replicationFactor: 2, assignments: [], configs: [] }],
              timeoutMs: 5000,
              validateOnly: false,
            },
            10000,
          );
          return r.topics[0].errorCode === 0;
        }),
      );
      assert.ok(created);
      const parts = await until('full ISRs of obs', async () => {
        const ps = await partitionsOf(tc, 4, 'obs');
        return ps?.length === 4 && ps.every((p) => p.isrNodes.length === 2 && p.leaderId > 0) && ps;
      });
      assert.ok(parts.some((p) => p.replicaNodes.includes(4)), 'a replica on node 4');
      const led = parts.find((p) => p.leaderId === 4);
      assert.ok(led, `a partition led by node 4: ${JSON.stringify(parts.map((p) => [p.replicaNodes, p.leaderId]))}`);
      const p4 = led.partitionIndex;

      // Produce and consume through node 4 alone.
      const b4 = `${n4.host}:${n4.port}`;
      const msgs = Array.from({ length: 20 }, (_, i) => `m${i}`);
      const prod = await run('kcat', ['-b', b4, '-P', '-t', 'obs', '-p', String(p4), '-X', 'acks=all'], {
        input: msgs.join('\n') + '\n',
        timeoutMs: 15000,
      });
      assert.equal(prod.code, 0, prod.stderr);
      const consume = (bootstrap: string) =>
        run('kcat', ['-b', bootstrap, '-C', '-t', 'obs', '-p', String(p4), '-o', 'beginning', '-e', '-q'], {
          timeoutMs: 15000,
        });
      const c4 = await consume(b4);
      assert.equal(c4.code, 0, c4.stderr);
      assert.deepEqual(c4.stdout.trim().split('\n'), msgs);

      // kill -9 of node 4: its partition gets the other replica as leader, data intact.
      await until('follower caught up', async () => {
        const p = (await partitionsOf(tc, 1, 'obs'))?.[p4];
        return p?.isrNodes.length === 2;
      });
      tc.cluster.kill(4);
      const after = await until(
        'partition fails over from node 4',
        async () => {
          const p = (await partitionsOf(tc, 1, 'obs'))?.[p4];
          return p && p.leaderId > 0 && p.leaderId !== 4 && p;
        },
        10000,
      );
      assert.ok(led.replicaNodes.includes(after.leaderId));
      await until('node 4 leaves the brokers', async () => !(await metadata(tc, 1))?.brokers.some((b) => b.nodeId === 4));
      const others = tc.cluster.nodes.filter((n) => n.id !== 4).map((n) => `${n.host}:${n.port}`).join(',');
      const c1 = await until('consume after failover', async () => {
        const r = await consume(others);
        return r.code === 0 && r.stdout.trim() !== '' && r;
      });
      assert.deepEqual(c1.stdout.trim().split('\n'), msgs);
    } finally {
      await tc.stop();
    }
  },
);

test('a restarted cluster brings the added node back as an observer', { timeout: 60000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-test-'));
  const tc = await startTestCluster({ nodes: 3, spare: 1, dataDir });
  let again: Cluster | undefined;
  try {
    await tc.cluster.addNode();
    const basePort = tc.cluster.nodes[0].port;
    await tc.cluster.stop();
    again = await startCluster({ nodes: 3, basePort, dataDir });
    assert.deepEqual(
      again.nodes.map((n) => n.id),
      [1, 2, 3, 4],
    );
    const tc2: TestCluster = { cluster: again, bootstrap: again.bootstrap, dataDir, stop: async () => {} };
    const md = await until('node 4 lists all four brokers', async () => {
      const m = await metadata(tc2, 4);
      return m && m.brokers.length === 4 && m.controllerId > 0 && m;
    });
    assert.ok([1, 2, 3].includes(md.controllerId));
    const q = await withConn(tc2, md.controllerId, (c) =>
      c.request(DescribeQuorum, 1, {
        topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
      }),
    );
    assert.deepEqual(q?.topics[0].partitions[0].currentVoters.map((v) => v.replicaId).sort(), [1, 2, 3]);
  } finally {
    await tc.stop();
    await again?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
