// The metadata quorum over the wire, with real node processes: a node that was down while the
// log moved past a snapshot catches up through FetchSnapshot; DescribeQuorum names the leader
// every node reports as controller; ElectLeaders restores the preferred leader after a restart.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { ElectLeaders } from '../protocol/messages/elect-leaders.ts';
import { metadataOf, startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { until } from '../testing/wait.ts';

const metadata = metadataOf;

const create = (tc: TestCluster, id: number, name: string, assignment?: number[]) =>
  withConn(tc, id, async (c) => {
    const r = await c.request(
      CreateTopics,
      7,
      {
        topics: [
          {
            name,
            numPartitions: assignment ? -1 : 1,
            replicationFactor: assignment ? -1 : 1,
            assignments: assignment ? [{ partitionIndex: 0, brokerIds: assignment }] : [],
            configs: [],
          },
        ],
        timeoutMs: 5000,
        validateOnly: false,
      },
      10000,
    );
    return r.topics[0].errorCode === 0;
  });

test('a node that missed a snapshot catches up through FetchSnapshot', { timeout: 60000 }, async () => {
  const tc = await startTestCluster({ nodes: 3, nodeArgs: ['--metadata-snapshot-records', '10'] });
  try {
    tc.cluster.kill(3);
    for (let i = 0; i < 25; i++) await until(`topic s${i}`, () => create(tc, 1, `s${i}`));
    await tc.cluster.startNode(3);
    const names = await until('node 3 lists every topic', async () => {
      const md = await metadata(tc, 3);
      const ts = md?.topics.map((t) => t.name).filter((n) => n?.startsWith('s')) ?? [];
      return ts.length === 25 && ts;
    });
    assert.equal(names.length, 25);
  } finally {
    await tc.stop();
  }
});

test(
  'DescribeQuorum names the controller; ElectLeaders brings back the preferred leader',
  { timeout: 60000 },
  async () => {
    const tc = await startTestCluster({ nodes: 3 });
    try {
      const controller = await until('a controller', async () => (await metadata(tc, 1))?.controllerId ?? 0);
      const q = await until('DescribeQuorum', () =>
        withConn(tc, controller, (c) =>
          c.request(DescribeQuorum, 1, {
            topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
          }),
        ),
      );
      const p = q.topics[0].partitions[0];
      assert.equal(p.leaderId, controller);
      assert.deepEqual(p.currentVoters.map((v) => v.replicaId).sort(), [1, 2, 3]);

      // Preferred leader 2; a restart of node 2 moves leadership away from it.
      assert.ok(await until('topic pref', () => create(tc, controller, 'pref', [2, 1, 3])));
      const leaderOf = async (via: number) =>
        (await metadata(tc, via))?.topics.find((t) => t.name === 'pref')?.partitions[0];
      await until('full ISR', async () => (await leaderOf(1))?.isrNodes.length === 3);
      tc.cluster.kill(2);
      await until('another leader', async () => {
        const x = await leaderOf(1);
        return x && x.leaderId > 0 && x.leaderId !== 2;
      });
      await tc.cluster.startNode(2);
      await until('node 2 back in the ISR', async () => (await leaderOf(1))?.isrNodes.length === 3, 20000);
      const ctl = await until('a controller', async () => (await metadata(tc, 1))?.controllerId ?? 0);
      const r = await until('ElectLeaders', () =>
        withConn(tc, ctl, (c) =>
          c.request(ElectLeaders, 2, {
            electionType: 0,
            topicPartitions: [{ topic: 'pref', partitions: [0] }],
            timeoutMs: 5000,
          }),
        ),
      );
      assert.equal(r.errorCode, 0);
      assert.equal(r.replicaElectionResults[0].partitionResult[0].errorCode, 0);
      await until('node 2 leads again', async () => (await leaderOf(1))?.leaderId === 2);
    } finally {
      await tc.stop();
    }
  },
);
