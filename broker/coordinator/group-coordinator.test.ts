// Unit tests of the classic group state machine with an in-memory store and a fake clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import {
  COORDINATOR_DEFAULTS,
  GroupCoordinator,
  type CoordinatorStore,
  type JoinRequest,
  type StoredRecord,
} from './group-coordinator.ts';
import type { JoinResult } from './group.ts';
import {
  decodeRecord,
  groupKey,
  groupValue,
  javaStringHashCode,
  offsetKey,
  offsetValue,
  partitionForGroup,
} from './records.ts';

class MemStore implements CoordinatorStore {
  logs = new Map<number, StoredRecord[]>();
  failWith = 0;
  numPartitions(): number {
    return 50;
  }
  status(): number {
    return ErrorCode.NONE;
  }
  append(p: number, records: StoredRecord[]): number {
    if (this.failWith) return this.failWith;
    if (!this.logs.has(p)) this.logs.set(p, []);
    this.logs.get(p)!.push(...records);
    return ErrorCode.NONE;
  }
  async commit(p: number, records: StoredRecord[]): Promise<number> {
    return this.append(p, records);
  }
  partitionExists(topic: string): boolean {
    return topic !== 'missing';
  }
}

function setup(over: Partial<typeof COORDINATOR_DEFAULTS> = {}) {
  const clock = { t: 1_000_000 };
  const store = new MemStore();
  const c = new GroupCoordinator(
    store,
    { ...COORDINATOR_DEFAULTS, initialRebalanceDelayMs: 100, minSessionTimeoutMs: 10, ...over },
    () => clock.t,
  );
  const advance = (ms: number) => {
    clock.t += ms;
    c.tick(clock.t);
  };
  return { c, store, clock, advance };
}

const proto = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(`meta-${name}`) }));

function req(over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 5000,
    protocolType: 'consumer',
    protocols: proto('range'),
    requireKnownMemberId: false,
    ...over,
  };
}

const flush = () => new Promise((r) => setImmediate(r));

/** Joins with the v4+ flow: MEMBER_ID_REQUIRED first, then the real join (still pending). */
async function joinV4(c: GroupCoordinator, over: Partial<JoinRequest> = {}): Promise<{ p: Promise<JoinResult> }> {
  const first = await c.join(req({ ...over, requireKnownMemberId: true }));
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.ok(first.memberId.startsWith(`${over.clientId ?? 'client'}-`));
  return { p: c.join(req({ ...over, memberId: first.memberId, requireKnownMemberId: true })) };
}

test('MEMBER_ID_REQUIRED, initial delay gathers members, leader syncs, a late follower still gets its assignment', async () => {
  const { c, advance } = setup();
  const { p: pa } = await joinV4(c, { clientId: 'a' });
  advance(50);
  const { p: pb } = await joinV4(c, { clientId: 'b' });
  let done = false;
  void Promise.all([pa, pb]).then(() => (done = true));
  advance(60); // first delay over, but a member arrived during it: extended
  await flush();
  assert.equal(done, false);
  assert.equal(c.stateOf('g'), 'PreparingRebalance');
  advance(100);
  const [a, b] = await Promise.all([pa, pb]);
  assert.equal(a.errorCode, 0);
  assert.equal(a.generationId, 1);
  assert.equal(b.generationId, 1);
  assert.equal(a.leader, a.memberId);
  assert.equal(a.members.length, 2);
  assert.equal(b.members.length, 0);
  assert.equal(a.protocolName, 'range');
  assert.equal(c.stateOf('g'), 'CompletingRebalance');

  const sa = await c.sync({
    groupId: 'g',
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [
      { memberId: a.memberId, assignment: Buffer.from('A') },
      { memberId: b.memberId, assignment: Buffer.from('B') },
    ],
  });
  assert.equal(sa.errorCode, 0);
  assert.equal(sa.assignment.toString(), 'A');
  assert.equal(c.stateOf('g'), 'Stable');
  const sb = await c.sync({
    groupId: 'g',
    generationId: 1,
    memberId: b.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.equal(sb.errorCode, 0);
  assert.equal(sb.assignment.toString(), 'B');
  assert.equal(c.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null }), 0);
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: 0, memberId: b.memberId, groupInstanceId: null }),
    ErrorCode.ILLEGAL_GENERATION,
  );
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: 1, memberId: 'nope', groupInstanceId: null }),
    ErrorCode.UNKNOWN_MEMBER_ID,
  );
  const d = c.describeGroup('g');
  assert.equal(d.groupState, 'Stable');
  assert.equal(d.protocolData, 'range');
  assert.deepEqual(d.members.map((m) => m.memberAssignment.toString()).sort(), ['A', 'B']);
});

test('a follower parked in SyncGroup gets its assignment when the leader syncs', async () => {
  const { c, advance } = setup({ initialRebalanceDelayMs: 0 });
  const pa = c.join(req({ clientId: 'a' }));
  const a = await pa;
  assert.equal(a.generationId, 1);
  const pb = c.join(req({ clientId: 'b' }));
  // b's join starts a rebalance; a must rejoin (heartbeat says so).
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }),
    ErrorCode.REBALANCE_IN_PROGRESS,
  );
  const a2p = c.join(req({ clientId: 'a', memberId: a.memberId }));
  const [a2, b] = await Promise.all([a2p, pb]);
  assert.equal(a2.generationId, 2);
  assert.equal(b.generationId, 2);
  const leader = a2.leader === a2.memberId ? a2 : b;
  const follower = leader === a2 ? b : a2;
  const fp = c.sync({
    groupId: 'g',
    generationId: 2,
    memberId: follower.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  advance(10);
  const lp = c.sync({
    groupId: 'g',
    generationId: 2,
    memberId: leader.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId: follower.memberId, assignment: Buffer.from('F') }],
  });
  const [f, l] = await Promise.all([fp, lp]);
  assert.equal(f.errorCode, 0);
  assert.equal(f.assignment.toString(), 'F');
  assert.equal(l.assignment.length, 0);
});

test('protocol selection: the protocol every member supports that most prefer', async () => {
  const { c, advance } = setup();
  const ps = [
    c.join(req({ clientId: 'a', protocols: proto('x', 'y', 'z') })),
    c.join(req({ clientId: 'b', protocols: proto('y', 'x') })),
    c.join(req({ clientId: 'c', protocols: proto('y', 'x', 'z') })),
  ];
  advance(200);
  advance(200);
  const rs = await Promise.all(ps);
  assert.ok(rs.every((r) => r.protocolName === 'y'));
  const leader = rs.find((r) => r.members.length)!;
  assert.deepEqual(leader.members.map((m) => m.metadata.toString()).sort(), ['meta-y', 'meta-y', 'meta-y']);
  const bad = await c.join(req({ clientId: 'd', protocols: proto('z') }));
  assert.equal(bad.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const badType = await c.join(req({ clientId: 'd', protocolType: 'connect', protocols: proto('y') }));
  assert.equal(badType.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
});

test('input errors: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, UNKNOWN_MEMBER_ID', async () => {
  const { c } = setup({ minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1800000 });
  assert.equal((await c.join(req({ groupId: '' }))).errorCode, ErrorCode.INVALID_GROUP_ID);
  assert.equal((await c.join(req({ sessionTimeoutMs: 5999 }))).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal((await c.join(req({ sessionTimeoutMs: 1800001 }))).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal((await c.join(req({ memberId: 'who', sessionTimeoutMs: 6000 }))).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  const s = await c.sync({
    groupId: 'nope',
    generationId: 1,
    memberId: 'x',
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.equal(s.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(
    c.heartbeat({ groupId: '', generationId: 1, memberId: 'x', groupInstanceId: null }),
    ErrorCode.INVALID_GROUP_ID,
  );
});

async function stableGroup(
  c: GroupCoordinator,
  advance: (ms: number) => void,
  n: number,
  over: Partial<JoinRequest> = {},
) {
  const ps = Array.from({ length: n }, (_, i) => c.join(req({ clientId: `m${i}`, ...over })));
  advance(200);
  advance(200);
  const rs = await Promise.all(ps);
  const leader = rs.find((r) => r.leader === r.memberId)!;
  const gen = leader.generationId;
  const syncs = rs.map((r) =>
    c.sync({
      groupId: 'g',
      generationId: gen,
      memberId: r.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: r === leader ? rs.map((x) => ({ memberId: x.memberId, assignment: Buffer.from(x.memberId) })) : [],
    }),
  );
  await Promise.all(syncs);
  return { members: rs, gen };
}

test('a member that stops heartbeating is expired after its session timeout and the rest rebalance', async () => {
  const { c, advance } = setup();
  const { members, gen } = await stableGroup(c, advance, 2);
  const [a, b] = members;
  for (let i = 0; i < 3; i++) {
    advance(300);
    assert.equal(c.heartbeat({ groupId: 'g', generationId: gen, memberId: a.memberId, groupInstanceId: null }), 0);
  }
  // b never heartbeated: gone after 1000 ms; a is told to rejoin.
  advance(300);
  assert.equal(c.describeGroup('g').members.length, 1);
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: gen, memberId: a.memberId, groupInstanceId: null }),
    ErrorCode.REBALANCE_IN_PROGRESS,
  );
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: gen, memberId: b.memberId, groupInstanceId: null }),
    ErrorCode.UNKNOWN_MEMBER_ID,
  );
  const r = await c.join(req({ clientId: 'm0', memberId: a.memberId }));
  assert.equal(r.generationId, gen + 1);
  assert.equal(r.members.length, 1);
});

test('the group is Empty as soon as its last member leaves; LeaveGroup errors', async () => {
  const { c, advance } = setup();
  const { members } = await stableGroup(c, advance, 2);
  const l1 = c.leave('g', [{ memberId: members[0].memberId, groupInstanceId: null }]);
  assert.equal(l1.members[0].errorCode, 0);
  assert.equal(c.stateOf('g'), 'PreparingRebalance');
  const l2 = c.leave('g', [
    { memberId: members[1].memberId, groupInstanceId: null },
    { memberId: 'ghost', groupInstanceId: null },
  ]);
  assert.deepEqual(
    l2.members.map((m) => m.errorCode),
    [0, ErrorCode.UNKNOWN_MEMBER_ID],
  );
  assert.equal(c.stateOf('g'), 'Empty');
  assert.equal(c.listGroups(['empty'], [])[0]?.groupId, 'g');
  assert.equal(c.listGroups(['stable'], []).length, 0);
});

test('offset commits: simple commits, -2, generations, rebalance in progress, metadata size', async () => {
  const { c, advance } = setup();
  const commit = async (
    over: Partial<Parameters<GroupCoordinator['commitOffsets']>[0]> = {},
    offset = 5,
    topic = 't',
    metadata: string | null = 'm',
  ) =>
    (await c.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: topic,
          partitions: [
            { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: metadata },
          ],
        },
      ],
      ...over,
    }))[0].partitions[0].errorCode;
  assert.equal(await commit({ generationId: 3, memberId: 'x' }), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(await commit({}, -2), 0);
  assert.equal(
    c
      .fetchOffsets('g', [{ name: 't', partitionIndexes: [0, 1] }])
      .topics[0].partitions.map((p) => p.committedOffset)
      .join(),
    '-2,-1',
  );
  assert.equal(await commit({}, 7, 'missing'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(await commit({}, 7, 't', 'x'.repeat(4097)), ErrorCode.OFFSET_METADATA_TOO_LARGE);
  assert.equal(c.stateOf('g'), 'Empty');
  const { members, gen } = await stableGroup(c, advance, 1);
  const m = members[0];
  assert.equal(await commit({}, 9), ErrorCode.UNKNOWN_MEMBER_ID); // not Empty any more
  assert.equal(await commit({ generationId: gen, memberId: m.memberId }, 10), 0);
  assert.equal(await commit({ generationId: gen + 1, memberId: m.memberId }, 11), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(c.fetchOffsets('g', null).topics[0].partitions[0].committedOffset, 10);
  // A second member: PreparingRebalance still accepts the old generation's commits...
  const pj = c.join(req({ clientId: 'other' }));
  assert.equal(c.stateOf('g'), 'PreparingRebalance');
  assert.equal(await commit({ generationId: gen, memberId: m.memberId }, 12), 0);
  const rj = c.join(req({ clientId: 'm0', memberId: m.memberId }));
  await Promise.all([pj, rj]);
  // ...CompletingRebalance does not.
  assert.equal(c.stateOf('g'), 'CompletingRebalance');
  assert.equal(await commit({ generationId: gen + 1, memberId: m.memberId }, 13), ErrorCode.REBALANCE_IN_PROGRESS);
});

test('offsets and group metadata survive a reload from the stored records; tombstones delete them', async () => {
  const { c, store, advance, clock } = setup();
  const { members, gen } = await stableGroup(c, advance, 2);
  await c.commitOffsets({
    groupId: 'g',
    generationId: gen,
    memberId: members[0].memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: 't',
        partitions: [{ partitionIndex: 3, committedOffset: 42, committedLeaderEpoch: 2, committedMetadata: 'meta' }],
      },
    ],
  });
  await c.commitOffsets({
    groupId: 'solo',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: 't',
        partitions: [{ partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: null }],
      },
    ],
  });
  const p = partitionForGroup('g', 50);
  const c2 = new GroupCoordinator(store, c.config, () => clock.t);
  c2.loadPartition(p, store.logs.get(p) ?? []);
  c2.loadPartition(partitionForGroup('solo', 50), store.logs.get(partitionForGroup('solo', 50)) ?? []);
  const d = c2.describeGroup('g');
  assert.equal(d.groupState, 'Stable');
  assert.equal(d.members.length, 2);
  assert.equal(
    c2.heartbeat({ groupId: 'g', generationId: gen, memberId: members[1].memberId, groupInstanceId: null }),
    0,
  );
  const f = c2.fetchOffsets('g', [{ name: 't', partitionIndexes: [3] }]).topics[0].partitions[0];
  assert.deepEqual([f.committedOffset, f.committedLeaderEpoch, f.metadata], [42, 2, 'meta']);
  assert.equal(c2.fetchOffsets('solo', null).topics[0].partitions[0].committedOffset, 7);

  // Members leave, the group is deleted: tombstones make a reload forget it.
  assert.deepEqual(c2.deleteGroups(['g']), [{ groupId: 'g', errorCode: ErrorCode.NON_EMPTY_GROUP }]);
  c2.leave(
    'g',
    members.map((m) => ({ memberId: m.memberId, groupInstanceId: null })),
  );
  assert.equal(c2.stateOf('g'), 'Empty');
  assert.deepEqual(c2.deleteGroups(['g', 'nope', '']), [
    { groupId: 'g', errorCode: 0 },
    { groupId: 'nope', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    { groupId: '', errorCode: ErrorCode.INVALID_GROUP_ID },
  ]);
  const c3 = new GroupCoordinator(store, c.config, () => clock.t);
  c3.loadPartition(p, store.logs.get(p) ?? []);
  assert.equal(c3.stateOf('g'), undefined);
  assert.equal(c3.fetchOffsets('g', null).topics.length, 0);
});

test('OffsetDelete: Empty group deletes, subscribed topics are protected, unknown group', async () => {
  const { c, advance } = setup();
  const sub = (topics: string[]) => {
    const parts = [Buffer.from([0, 0]), Buffer.alloc(4)];
    parts[1].writeInt32BE(topics.length);
    for (const t of topics) {
      const l = Buffer.alloc(2);
      l.writeInt16BE(t.length);
      parts.push(l, Buffer.from(t));
    }
    parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    return Buffer.concat(parts);
  };
  const { members, gen } = await stableGroup(c, advance, 1, { protocols: [{ name: 'range', metadata: sub(['a']) }] });
  await c.commitOffsets({
    groupId: 'g',
    generationId: gen,
    memberId: members[0].memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: ['a', 'b'].map((name) => ({
      name,
      partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: '' }],
    })),
  });
  const r = c.deleteOffsets(
    'g',
    ['a', 'b'].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })),
  );
  assert.equal(r.errorCode, 0);
  assert.deepEqual(
    r.topics.map((t) => t.partitions[0].errorCode),
    [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 0],
  );
  assert.deepEqual(
    c.fetchOffsets('g', null).topics.map((t) => t.name),
    ['a'],
  );
  assert.equal(c.deleteOffsets('zzz', []).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
});

test('static membership: a restarted instance takes over without a rebalance; the old id is fenced', async () => {
  const { c, advance } = setup();
  const pa = c.join(req({ clientId: 'a', groupInstanceId: 'ia', requireKnownMemberId: false }));
  const pb = c.join(req({ clientId: 'b', groupInstanceId: 'ib' }));
  advance(200);
  advance(200);
  const [a, b] = await Promise.all([pa, pb]);
  const leader = a.leader === a.memberId ? a : b;
  const follower = leader === a ? b : a;
  const followerInstance = follower === a ? 'ia' : 'ib';
  await Promise.all(
    [a, b].map((r) =>
      c.sync({
        groupId: 'g',
        generationId: 1,
        memberId: r.memberId,
        groupInstanceId: r === a ? 'ia' : 'ib',
        protocolType: null,
        protocolName: null,
        assignments: r === leader ? [{ memberId: follower.memberId, assignment: Buffer.from('F') }] : [],
      }),
    ),
  );
  const again = await c.join(req({ clientId: 'b2', groupInstanceId: followerInstance }));
  assert.equal(again.errorCode, 0);
  assert.equal(again.generationId, 1);
  assert.notEqual(again.memberId, follower.memberId);
  assert.equal(c.stateOf('g'), 'Stable');
  const s = await c.sync({
    groupId: 'g',
    generationId: 1,
    memberId: again.memberId,
    groupInstanceId: followerInstance,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.equal(s.assignment.toString(), 'F');
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: followerInstance }),
    ErrorCode.FENCED_INSTANCE_ID,
  );
  const l = c.leave('g', [{ memberId: follower.memberId, groupInstanceId: followerInstance }]);
  assert.equal(l.members[0].errorCode, ErrorCode.FENCED_INSTANCE_ID);
});

test('a member that joins but never syncs is removed after the rebalance timeout', async () => {
  const { c, advance } = setup();
  const pa = c.join(req({ clientId: 'a', rebalanceTimeoutMs: 2000, sessionTimeoutMs: 60000 }));
  const pb = c.join(req({ clientId: 'b', rebalanceTimeoutMs: 2000, sessionTimeoutMs: 60000 }));
  advance(200);
  advance(200);
  const [a, b] = await Promise.all([pa, pb]);
  const leader = a.leader === a.memberId ? a : b;
  const follower = leader === a ? b : a;
  await c.sync({
    groupId: 'g',
    generationId: 1,
    memberId: leader.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.equal(c.stateOf('g'), 'Stable');
  advance(2100);
  assert.equal(c.stateOf('g'), 'PreparingRebalance');
  assert.deepEqual(
    c.describeGroup('g').members.map((m) => m.memberId),
    [leader.memberId],
  );
  assert.ok(follower);
});

test('offsets.retention: offsets of an Empty group expire, then the group goes', async () => {
  const { c, advance } = setup({ offsetsRetentionMs: 60000, offsetsRetentionCheckIntervalMs: 1000 });
  const { members, gen } = await stableGroup(c, advance, 1, { sessionTimeoutMs: 600000 });
  await c.commitOffsets({
    groupId: 'g',
    generationId: gen,
    memberId: members[0].memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: 't',
        partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: '' }],
      },
    ],
  });
  advance(120000);
  assert.equal(
    c.heartbeat({ groupId: 'g', generationId: gen, memberId: members[0].memberId, groupInstanceId: null }),
    0,
  );
  // Stable groups keep their offsets.
  assert.equal(c.fetchOffsets('g', null).topics.length, 1);
  c.leave('g', [{ memberId: members[0].memberId, groupInstanceId: null }]);
  advance(30000);
  assert.equal(c.fetchOffsets('g', null).topics.length, 1);
  advance(31000);
  assert.equal(c.fetchOffsets('g', null).topics.length, 0);
  assert.equal(c.stateOf('g'), undefined);
});

test('a failed write of the assignment sends the group back to rebalancing', async () => {
  const { c, store, advance } = setup();
  const pa = c.join(req({ clientId: 'a' }));
  advance(200);
  advance(200);
  const a = await pa;
  store.failWith = ErrorCode.NOT_COORDINATOR;
  const s = await c.sync({
    groupId: 'g',
    generationId: 1,
    memberId: a.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  assert.equal(s.errorCode, ErrorCode.NOT_COORDINATOR);
  assert.equal(c.stateOf('g'), 'PreparingRebalance');
});

test('record formats: keys and values round-trip; Java hash placement', () => {
  assert.equal(javaStringHashCode('hello'), 99162322);
  assert.equal(javaStringHashCode(''), 0);
  assert.ok(partitionForGroup('some-group-with-a-long-name-for-overflow', 50) >= 0);
  const k = offsetKey('g', 't', 3);
  assert.equal(k.readInt16BE(0), 1);
  const v = offsetValue({ offset: 9, leaderEpoch: 1, metadata: 'x', commitTimestamp: 5, expireTimestamp: -1 });
  assert.equal(v.readInt16BE(0), 3);
  assert.deepEqual(decodeRecord(k, v), {
    type: 'offset',
    group: 'g',
    topic: 't',
    partition: 3,
    value: { offset: 9, leaderEpoch: 1, metadata: 'x', commitTimestamp: 5, expireTimestamp: -1 },
  });
  const gv = groupValue({
    protocolType: 'consumer',
    generation: 4,
    protocol: 'range',
    leader: 'm',
    currentStateTimestamp: 77,
    members: [],
  });
  const d = decodeRecord(groupKey('g'), gv);
  assert.equal(d.type, 'group');
  assert.equal(d.type === 'group' && d.value?.generation, 4);
  assert.deepEqual(decodeRecord(groupKey('g'), null), { type: 'group', group: 'g', value: null });
  // A v1 value (explicit expire timestamp) reads back too.
  const v1 = offsetValue({ offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp: 5, expireTimestamp: 99 });
  assert.equal(v1.readInt16BE(0), 1);
  assert.equal(
    decodeRecord(k, v1).type === 'offset' &&
      (decodeRecord(k, v1) as { value: { expireTimestamp: number } }).value.expireTimestamp,
    99,
  );
});
