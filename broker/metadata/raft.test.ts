// The Raft core in-process, with an in-memory transport that can cut nodes off: election,
// commit by majority, log matching after a leader with an uncommitted tail returns, and
// snapshot catch-up of a lagging follower, observers (nodes outside the voter set).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotLeaderError, RaftNode, type FetchReq, type RaftTransport, type VoteReq } from './raft.ts';
import { RaftStore, type RaftEntry } from './raft-store.ts';

class Net {
  nodes = new Map<number, RaftNode>();
  down = new Set<number>();

  transport(from: number): RaftTransport {
    const call = async <T>(to: number, fn: (n: RaftNode) => T | Promise<T>): Promise<T> => {
      await new Promise((r) => setTimeout(r, 1));
      if (this.down.has(from) || this.down.has(to)) throw new Error('unreachable');
      const res = await fn(this.nodes.get(to)!);
      if (this.down.has(from) || this.down.has(to)) throw new Error('unreachable');
      return res;
    };
    return {
      vote: (to, req: VoteReq) => call(to, (n) => n.handleVote(req)),
      beginEpoch: (to, epoch, leaderId) => call(to, (n) => void n.handleBeginEpoch(epoch, leaderId)),
      endEpoch: (to, epoch, leaderId, s) => call(to, (n) => n.handleEndEpoch(epoch, leaderId, s)),
      fetch: (to, req: FetchReq) => call(to, (n) => n.handleFetch(req)),
      fetchSnapshot: (to, epoch) => call(to, (n) => n.handleFetchSnapshot(epoch)),
    };
  }
}

interface Sm {
  applied: unknown[];
}

/** n voters 1..n plus `observers` observers n+1.. (started `startObservers` or later by hand). */
function cluster(n: number, snapshotEvery = 1000, observers = 0, startObservers = true) {
  const net = new Net();
  const sms = new Map<number, Sm>();
  const voters = Array.from({ length: n }, (_, i) => i + 1);
  for (const id of Array.from({ length: n + observers }, (_, i) => i + 1)) {
    const sm: Sm = { applied: [] };
    sms.set(id, sm);
    const node = new RaftNode(
      { nodeId: id, voters, electionTimeoutMinMs: 60, electionTimeoutMaxMs: 150, checkQuorumMs: 300, snapshotEvery },
      new RaftStore(null),
      net.transport(id),
      {
        apply: (e: RaftEntry) => void sm.applied.push(e.record),
        restore: (data) => void (sm.applied = [...(data as unknown[])]),
        snapshot: () => [...sm.applied],
      },
    );
    net.nodes.set(id, node);
  }
  for (const [id, node] of net.nodes) if (id <= n || startObservers) node.start();
  const stop = () => {
    for (const node of net.nodes.values()) node.stop();
  };
  return { net, sms, stop };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leaderOf(net: Net, timeoutMs = 3000): Promise<RaftNode> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leaders = [...net.nodes.entries()].filter(([id, n]) => !net.down.has(id) && n.isLeader).map(([, n]) => n);
    if (leaders.length === 1) return leaders[0];
    if (Date.now() > deadline) throw new Error(`${leaders.length} leaders`);
    await sleep(10);
  }
}

const user = (sm: Sm) => sm.applied.filter((r) => (r as { type?: string }).type !== 'LeaderChange');

test('a single voter leads at once and commits alone', async () => {
  const { net, sms, stop } = cluster(1);
  try {
    const l = await leaderOf(net);
    await l.propose([{ k: 1 }]);
    assert.deepEqual(user(sms.get(1)!), [{ k: 1 }]);
  } finally {
    stop();
  }
});

test('three voters elect one leader; a proposal commits and applies on every voter in order', async () => {
  const { net, sms, stop } = cluster(3);
  try {
    const l = await leaderOf(net);
    for (let i = 0; i < 20; i++) await l.propose([{ i }]);
    await sleep(200);
    for (const sm of sms.values())
      assert.deepEqual(
        user(sm),
        Array.from({ length: 20 }, (_, i) => ({ i })),
      );
    const epochs = new Set([...net.nodes.values()].map((n) => n.epoch));
    assert.equal(epochs.size, 1, 'every voter is in the same epoch');
  } finally {
    stop();
  }
});

test('a cut-off leader is replaced; its uncommitted tail is truncated when it returns', async () => {
  const { net, sms, stop } = cluster(3);
  try {
    const l1 = await leaderOf(net);
    await l1.propose([{ v: 'committed' }]);
    await sleep(100);
    net.down.add(l1.nodeId);
    const lost = l1.propose([{ v: 'uncommitted' }]).then(
      () => 'committed',
      (e: Error) => e.message,
    );
    const l2 = await leaderOf(net);
    assert.notEqual(l2.nodeId, l1.nodeId);
    assert.ok(l2.epoch > l1.epoch || l1.role !== 'leader');
    await l2.propose([{ v: 'new' }]);
    net.down.delete(l1.nodeId);
    await sleep(600);
    assert.notEqual(await lost, 'committed');
    for (const sm of sms.values()) assert.deepEqual(user(sm), [{ v: 'committed' }, { v: 'new' }]);
    const logs = [...net.nodes.values()].map((n) => n.store.entries.map((e) => `${e.offset}/${e.epoch}`).join(','));
    assert.equal(new Set(logs).size, 1, `logs match: ${logs.join(' | ')}`);
  } finally {
    stop();
  }
});

test('a follower behind the log start catches up from a snapshot', async () => {
  const { net, sms, stop } = cluster(3, 10);
  try {
    const l = await leaderOf(net);
    const lagging = [...net.nodes.keys()].find((id) => id !== l.nodeId)!;
    net.down.add(lagging);
    for (let i = 0; i < 30; i++) await l.propose([{ i }]);
    assert.ok(l.store.startOffset > 0, 'the leader took a snapshot');
    net.down.delete(lagging);
    await sleep(800);
    assert.deepEqual(user(sms.get(lagging)!), user(sms.get(l.nodeId)!));
    assert.equal(user(sms.get(lagging)!).length, 30);
  } finally {
    stop();
  }
});

test('an observer follows and applies the log, never stands, and never counts for the HW', async () => {
  const { net, sms, stop } = cluster(3, 10, 1, false);
  try {
    const l = await leaderOf(net);
    for (let i = 0; i < 30; i++) await l.propose([{ i }]);
    assert.ok(l.store.startOffset > 0, 'the leader took a snapshot');
    const obs = net.nodes.get(4)!;
    assert.equal(obs.isVoter, false);
    obs.start(); // joins late: finds the leader through the voters, catches up from the snapshot
    await sleep(600);
    assert.equal(obs.leaderId, l.nodeId);
    assert.equal(user(sms.get(4)!).length, 30);
    assert.ok(obs.caughtUp);
    assert.deepEqual(l.voters, [1, 2, 3]);
    assert.deepEqual(
      l.describeObservers().map((o) => o.replicaId),
      [4],
    );

    // With both other voters gone the observer's fetches do not make a majority: nothing commits,
    // and the observer itself never stands, even with the whole quorum gone.
    for (const id of [1, 2, 3]) if (id !== l.nodeId) net.down.add(id);
    const pending = l.propose([{ v: 'no majority' }]).then(
      () => 'committed',
      (e: Error) => e.message,
    );
    await sleep(500);
    assert.notEqual(await Promise.race([pending, sleep(1).then(() => 'pending')]), 'committed');
    net.down.add(l.nodeId);
    await sleep(500);
    assert.equal(obs.role, 'follower');
    assert.ok(!user(sms.get(4)!).some((r) => (r as { v?: string }).v === 'no majority'));

    // The quorum comes back; the observer finds the (possibly new) leader and follows it.
    net.down.clear();
    const l2 = await leaderOf(net);
    await l2.propose([{ v: 'after' }]);
    await sleep(500);
    assert.equal(obs.leaderId, l2.nodeId);
    assert.deepEqual(user(sms.get(4)!).at(-1), { v: 'after' });
    assert.equal(obs.role, 'follower');
  } finally {
    stop();
  }
});

test('a new leader is ready (leaderReady) only once it has applied what its predecessor committed', async () => {
  const { net, sms, stop } = cluster(3);
  try {
    const l1 = await leaderOf(net);
    // Committed by l1 and one follower; l1 is cut off before any follower hears the new HW, so
    // the next leader holds the entry without having applied it when it is elected.
    await l1.propose([{ v: 'committed' }]);
    net.down.add(l1.nodeId);
    const l2 = await leaderOf(net);
    assert.notEqual(l2.nodeId, l1.nodeId);
    await l2.leaderReady();
    assert.deepEqual(user(sms.get(l2.nodeId)!), [{ v: 'committed' }]);
    const follower = net.nodes.get([1, 2, 3].find((id) => id !== l1.nodeId && id !== l2.nodeId)!)!;
    await assert.rejects(follower.leaderReady(), NotLeaderError);
  } finally {
    stop();
  }
});
