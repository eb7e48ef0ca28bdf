// Group APIs on the wire with our own client, for versions and error paths no real client here
// exercises: batched FindCoordinator (v4) with a transaction key, JoinGroup v0 and v9,
// INVALID_SESSION_TIMEOUT, OffsetCommit v1 standalone commits of -2, OffsetFetch v8 for several
// groups, ListGroups v5 filters, LeaveGroup v3 batches, OffsetDelete, DeleteGroups v2.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DeleteGroups } from '../protocol/messages/delete-groups.ts';
import { DescribeGroups } from '../protocol/messages/describe-groups.ts';
import { FindCoordinator } from '../protocol/messages/find-coordinator.ts';
import { Heartbeat } from '../protocol/messages/heartbeat.ts';
import { JoinGroup } from '../protocol/messages/join-group.ts';
import { LeaveGroup } from '../protocol/messages/leave-group.ts';
import { ListGroups } from '../protocol/messages/list-groups.ts';
import { OffsetCommit } from '../protocol/messages/offset-commit.ts';
import { OffsetDelete } from '../protocol/messages/offset-delete.ts';
import { OffsetFetch } from '../protocol/messages/offset-fetch.ts';
import { SyncGroup } from '../protocol/messages/sync-group.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';

let tc: TestCluster;
let conn: KafkaConnection;
before(async () => {
  tc = await startTestCluster({ nodeArgs: ['--group-initial-rebalance-delay-ms', '100'] });
  const n = tc.cluster.nodes[0];
  conn = await KafkaConnection.connect(n.host, n.port, 'wire-test');
  await conn.request(CreateTopics, 7, {
    topics: [{ name: 'w', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 10000,
    validateOnly: false,
  });
});
after(async () => {
  conn?.close();
  await tc?.stop();
});

const commit = (group: string, offset: number, version = 1, topic = 'w') =>
  conn.request(OffsetCommit, version, {
    groupId: group,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }] }],
  });

test('FindCoordinator: v0 and batched v4 with group and transaction keys', async () => {
  const v0 = await conn.request(FindCoordinator, 0, { key: 'g' });
  assert.equal(v0.errorCode, 0);
  assert.equal(v0.nodeId, 1);
  assert.equal(v0.port, tc.cluster.nodes[0].port);
  const v4 = await conn.request(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
  assert.deepEqual(
    v4.coordinators.map((c) => [c.key, c.errorCode, c.nodeId]),
    [
      ['a', 0, 1],
      ['b', 0, 1],
    ],
  );
  const txn = await conn.request(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['t'] });
  assert.deepEqual([txn.coordinators[0].errorCode, txn.coordinators[0].nodeId], [ErrorCode.NONE, 1], 'the transaction coordinator');
});

test('JoinGroup v0 (no rebalance timeout, "" protocol name on error) and v9 with MEMBER_ID_REQUIRED; SyncGroup v5', async () => {
  const bad = await conn.request(JoinGroup, 0, {
    groupId: 'j0',
    sessionTimeoutMs: 100,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'p', metadata: Buffer.from('x') }],
  });
  assert.equal(bad.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal(bad.protocolName, '');
  const j0 = await conn.request(JoinGroup, 0, {
    groupId: 'j0',
    sessionTimeoutMs: 10000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'p', metadata: Buffer.from('x') }],
  });
  assert.equal(j0.errorCode, 0);
  assert.equal(j0.generationId, 1);
  assert.equal(j0.protocolName, 'p');
  assert.equal(j0.members[0].metadata.toString(), 'x');

  const first = await conn.request(JoinGroup, 9, {
    groupId: 'j9',
    sessionTimeoutMs: 10000,
    rebalanceTimeoutMs: 5000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'p', metadata: Buffer.alloc(0) }],
    reason: null,
  });
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.match(first.memberId, /^wire-test-/);
  const j9 = await conn.request(JoinGroup, 9, {
    groupId: 'j9',
    sessionTimeoutMs: 10000,
    rebalanceTimeoutMs: 5000,
    memberId: first.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'p', metadata: Buffer.alloc(0) }],
    reason: null,
  });
  assert.equal(j9.errorCode, 0);
  assert.equal(j9.protocolType, 'consumer');
  assert.equal(j9.leader, first.memberId);
  const wrong = await conn.request(SyncGroup, 5, {
    groupId: 'j9',
    generationId: j9.generationId,
    memberId: j9.memberId,
    groupInstanceId: null,
    protocolType: 'connect',
    protocolName: 'p',
    assignments: [],
  });
  assert.equal(wrong.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const s = await conn.request(SyncGroup, 5, {
    groupId: 'j9',
    generationId: j9.generationId,
    memberId: j9.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'p',
    assignments: [{ memberId: j9.memberId, assignment: Buffer.from('mine') }],
  });
  assert.equal(s.errorCode, 0);
  assert.equal(s.protocolName, 'p');
  assert.equal(s.assignment.toString(), 'mine');
  const hb = await conn.request(Heartbeat, 4, {
    groupId: 'j9',
    generationId: j9.generationId,
    memberId: j9.memberId,
    groupInstanceId: null,
  });
  assert.equal(hb.errorCode, 0);
  const d = await conn.request(DescribeGroups, 5, { groups: ['j9', 'nope'], includeAuthorizedOperations: false });
  assert.equal(d.groups[0].groupState, 'Stable');
  assert.equal(d.groups[0].members[0].clientId, 'wire-test');
  assert.equal(d.groups[0].members[0].memberAssignment.toString(), 'mine');
  assert.equal(d.groups[1].groupState, 'Dead');

  // ListGroups v5 filters (case-insensitive states; type "classic").
  const stable = await conn.request(ListGroups, 5, { statesFilter: ['stable'], typesFilter: ['Classic'] });
  assert.deepEqual(
    stable.groups.map((g) => [g.groupId, g.groupState, g.groupType]),
    [['j9', 'Stable', 'classic']],
  );
  // j0's leader never synced: still CompletingRebalance.
  const completing = await conn.request(ListGroups, 4, { statesFilter: ['CompletingRebalance'] });
  assert.deepEqual(
    completing.groups.map((g) => g.groupId),
    ['j0'],
  );
  const consumerType = await conn.request(ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] });
  assert.equal(consumerType.groups.length, 0);

  // LeaveGroup v3 batch: one known, one unknown; the group is Empty at once.
  const l = await conn.request(LeaveGroup, 3, {
    groupId: 'j9',
    members: [
      { memberId: j9.memberId, groupInstanceId: null },
      { memberId: 'ghost', groupInstanceId: null },
    ],
  });
  assert.deepEqual(
    l.members.map((m) => m.errorCode),
    [0, ErrorCode.UNKNOWN_MEMBER_ID],
  );
  const after = await conn.request(DescribeGroups, 0, { groups: ['j9'] });
  assert.equal(after.groups[0].groupState, 'Empty');
  // LeaveGroup v0: an unknown member is a top-level error.
  const l0 = await conn.request(LeaveGroup, 0, { groupId: 'j9', memberId: 'ghost' });
  assert.equal(l0.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
});

test('OffsetCommit v1 standalone (-2 accepted), OffsetFetch v1 and v8 multi-group, OffsetDelete, DeleteGroups v2', async () => {
  assert.equal((await commit('o1', -2)).topics[0].partitions[0].errorCode, 0);
  assert.equal((await commit('o2', 17, 8)).topics[0].partitions[0].errorCode, 0);
  assert.equal(
    (await commit('o2', 1, 8, 'no-such-topic')).topics[0].partitions[0].errorCode,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  );
  assert.equal((await commit('', 1, 8)).topics[0].partitions[0].errorCode, ErrorCode.INVALID_GROUP_ID);
  const f1 = await conn.request(OffsetFetch, 1, { groupId: 'o1', topics: [{ name: 'w', partitionIndexes: [0, 1] }] });
  assert.deepEqual(
    f1.topics[0].partitions.map((p) => p.committedOffset),
    [-2, -1],
  );
  const f8 = await conn.request(OffsetFetch, 8, {
    groups: [
      { groupId: 'o1', topics: null },
      { groupId: 'o2', topics: [{ name: 'w', partitionIndexes: [0] }] },
      { groupId: 'unknown', topics: [{ name: 'w', partitionIndexes: [0] }] },
    ],
    requireStable: true,
  });
  assert.deepEqual(
    f8.groups.map((g) => [g.groupId, g.errorCode, g.topics.flatMap((t) => t.partitions.map((p) => p.committedOffset))]),
    [
      ['o1', 0, [-2]],
      ['o2', 0, [17]],
      ['unknown', 0, [-1]],
    ],
  );
  const od = await conn.request(OffsetDelete, 0, {
    groupId: 'o2',
    topics: [{ name: 'w', partitions: [{ partitionIndex: 0 }] }],
  });
  assert.equal(od.errorCode, 0);
  const gone = await conn.request(OffsetFetch, 7, { groupId: 'o2', topics: null, requireStable: false });
  assert.equal(gone.topics.length, 0);
  const odMissing = await conn.request(OffsetDelete, 0, { groupId: 'never', topics: [] });
  assert.equal(odMissing.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  const del = await conn.request(DeleteGroups, 2, { groupsNames: ['o1', 'never'] });
  assert.deepEqual(
    del.results.map((r) => [r.groupId, r.errorCode]),
    [
      ['o1', 0],
      ['never', ErrorCode.GROUP_ID_NOT_FOUND],
    ],
  );
  const f = await conn.request(OffsetFetch, 7, { groupId: 'o1', topics: null, requireStable: false });
  assert.equal(f.topics.length, 0);
});
