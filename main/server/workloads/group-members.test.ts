// The group-members routes on a real supervised 3-node cluster: the console runs 1, 3, 4 and
// then 0 consumers of a group on a 3-partition topic, and the group is checked with a separate
// client (kafkajs: DescribeGroups for the members, OffsetFetch and ListOffsets for the lag)
// besides what each member says of itself: 1 member owns every partition, 3 own one each, a
// 4th has none; they read every record and commit to lag 0; at 0 they have left (the group is
// Empty, its offsets kept). Bad requests are refused in words; a remote cluster needs confirmRemote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { until } from '../../../broker/testing/wait.ts';
import { createCaller, type Call } from '../../../renderer/api/caller.ts';
import type { GroupMembersStats } from '../../contract/group-members.ts';
import { startBundledConsole, type BundledConsole } from '../../testing/bundled-console.ts';
import { clusterApi, rawRequest } from '../test-helpers.ts';

const TOPIC = 'gm.jobs';
const GROUP = 'gm.workers';
const RECORDS = 30;

describe('group members run by the console', () => {
  let bc: BundledConsole;
  let admin: Admin;
  let api: Call;
  const raw = clusterApi(() => bc.server);
  const post = (body: unknown, clusterId = 'local') => raw('POST', '/group-members', body, clusterId);
  const set = (count: number) => api('setGroupMembers', { clusterId: 'local' }, { group: GROUP, topic: TOPIC, count });
  /** The group as kafkajs sees it: state and each member's client id with its assigned partitions. */
  const described = async () => {
    const g = (await admin.describeGroups([GROUP])).groups[0];
    const members = g.members
      .map((m) => {
        const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
        return { clientId: m.clientId, partitions: [...(a?.assignment[TOPIC] ?? [])].sort((x, y) => x - y) };
      })
      .sort((a, b) => a.clientId.localeCompare(b.clientId));
    return { state: g.state, members };
  };
  const lag = async () => {
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const [c] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return ends.reduce((s, e) => s + Number(e.high) - Math.max(0, Number(c.partitions.find((p) => p.partition === e.partition)?.offset ?? -1)), 0);
  };
  const mine = (s: GroupMembersStats) => s.members.map((m) => ({ clientId: m.clientId, partitions: m.partitions }));
  /** Waits until the group is Stable with `count` members and each member's own view equals DescribeGroups. */
  const settled = (count: number) =>
    until(`${GROUP} Stable with ${count} member(s) that agree with DescribeGroups`, async () => {
      const d = await described();
      const { groups } = await api('listGroupMembers', { clusterId: 'local' });
      const s = groups.find((g) => g.group === GROUP);
      if (d.state !== 'Stable' || d.members.length !== count || !s) return null;
      return JSON.stringify(mine(s)) === JSON.stringify(d.members) ? { d, s } : null;
    }, 40_000);

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
    api = createCaller({ baseUrl: `http://127.0.0.1:${bc.server.port}`, token: () => bc.server.token });
    const kafka = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'group-members-test', logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: RECORDS }, (_, i) => ({ partition: i % 3, value: `job ${i}` })) });
    await producer.disconnect();
  });
  after(async () => {
    await admin?.disconnect();
    await bc?.stop();
  });

  test('bad requests are refused in words', async () => {
    const tooMany = await post({ group: GROUP, topic: TOPIC, count: 9 });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.body.error.message, /at most 8 members/);
    const noTopic = await post({ group: GROUP, topic: 'gm.missing', count: 1 });
    assert.equal(noTopic.status, 404);
    assert.match(noTopic.body.error.message, /no topic gm\.missing/);
    assert.deepEqual((await api('listGroupMembers', { clusterId: 'local' })).groups.find((g) => g.group === GROUP)?.members ?? [], []);
  });

  test('1, 3, 4 members: all partitions, one each, a 4th idle; lag 0; 0 members: the group is Empty and keeps its offsets', { timeout: 180_000 }, async () => {
    let t0 = Date.now();
    const one = await set(1);
    assert.deepEqual(one.members.map((m) => [m.name, m.state]), [['member-1', 'member']]);
    const s1 = await settled(1);
    console.log(`group-members (test): 1 member settled in ${Date.now() - t0} ms: ${JSON.stringify(s1.d.members)}`);
    assert.deepEqual(s1.d.members, [{ clientId: 'samsa-learn-member-1', partitions: [0, 1, 2] }]);
    await until('member-1 read every record and the lag is 0', async () => (await lag()) === 0 && (await set(1)).members[0].consumed >= RECORDS, 30_000);

    t0 = Date.now();
    await set(3);
    const s3 = await settled(3);
    console.log(`group-members (test): 3 members settled in ${Date.now() - t0} ms: ${JSON.stringify(s3.d.members)}`);
    assert.deepEqual(s3.d.members.map((m) => m.partitions.length), [1, 1, 1]);
    assert.deepEqual(s3.d.members.flatMap((m) => m.partitions).sort(), [0, 1, 2]);

    t0 = Date.now();
    await set(4);
    const s4 = await settled(4);
    console.log(`group-members (test): 4 members settled in ${Date.now() - t0} ms: ${JSON.stringify(s4.d.members)}`);
    assert.deepEqual(s4.d.members.map((m) => m.partitions.length).sort(), [0, 1, 1, 1]);
    assert.equal(s4.s.members.filter((m) => m.partitions.length === 0).length, 1);

    // Records sent now are read by the members that own partitions, once each, and committed.
    const before = s4.s.members.reduce((n, m) => n + m.consumed, 0);
    const kafka = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'group-members-test-2', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: 9 }, (_, i) => ({ partition: i % 3, value: `more ${i}` })) });
    await producer.disconnect();
    const read = await until('the 9 new records read and committed', async () => {
      const s = await set(4);
      return (await lag()) === 0 && s.members.reduce((n, m) => n + m.consumed, 0) - before >= 9 ? s : null;
    }, 30_000);
    const idle = read.members.find((m) => m.partitions.length === 0)!;
    assert.equal(idle.consumedThisGeneration, 0, 'the idle member read nothing since the rebalance');
    assert.ok(read.members.filter((m) => m !== idle).reduce((n, m) => n + m.consumedThisGeneration, 0) >= 9, JSON.stringify(read.members));

    t0 = Date.now();
    const none = await set(0);
    assert.deepEqual(none.members, []);
    assert.equal(none.topic, null);
    const empty = await until('the group Empty', async () => {
      const d = await described();
      return d.state === 'Empty' ? d : null;
    }, 20_000);
    console.log(`group-members (test): 0 members, group ${empty.state} after ${Date.now() - t0} ms`);
    assert.equal(empty.members.length, 0);
    assert.equal(await lag(), 0, 'the group keeps its offsets');
  });

  test('a cluster that is not the bundled one needs confirmRemote', { timeout: 60_000 }, async () => {
    const added = await rawRequest(bc.server.port, '/api/clusters', {
      method: 'POST',
      headers: { 'x-samsa-token': bc.server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'elsewhere', bootstrap: bc.bootstrap }),
    });
    const id = added.json().id;
    const refused = await post({ group: GROUP, topic: TOPIC, count: 1 }, id);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'CONFIRM_REMOTE');
    assert.equal((await described()).state, 'Empty');
    const ok = await post({ group: GROUP, topic: TOPIC, count: 2, confirmRemote: true }, id);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    await until('2 members of the remote run', async () => (await described()).members.length === 2, 30_000);
    // Removing the cluster makes its members leave.
    const removed = await rawRequest(bc.server.port, `/api/clusters/${id}`, { method: 'DELETE', headers: { 'x-samsa-token': bc.server.token } });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await described()).members.length, 0);
  });
});
