// The controller's pure partition decisions: reassignment steps (KIP-455 as KRaft does them) and
// elections (preferred, clean, unclean, leader balance).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import { imbalanced, leaderElection, preferredElection } from './elections.ts';
import { cancelReassignment, complete, startReassignment } from './reassignment.ts';
import type { PartitionMeta } from './types.ts';

const part = (replicas: number[], isr = replicas, leader = replicas[0]): PartitionMeta => ({
  partition: 0,
  leader,
  leaderEpoch: 3,
  replicas,
  isr,
});
const brokers = new Set([1, 2, 3, 4]);

test('a reassignment adds, waits for the ISR, then removes; the leader hands over if removed', () => {
  const p = part([1, 2, 3]);
  const s = startReassignment(p, [4, 2, 3], brokers);
  assert.ok('change' in s);
  assert.deepEqual(s.change, { replicas: [4, 2, 3, 1], isr: [1, 2, 3], addingReplicas: [4], removingReplicas: [1] });
  const moving = { ...p, ...s.change };
  assert.equal(complete(moving), undefined, 'node 4 is not in sync yet');
  assert.deepEqual(complete({ ...moving, isr: [1, 2, 3, 4] }), {
    replicas: [4, 2, 3],
    isr: [2, 3, 4],
    addingReplicas: [],
    removingReplicas: [],
    leader: 4,
  });
});

test('cancel goes back to the original replicas; a new target starts over from them', () => {
  const moving = { ...part([1, 2, 3]), replicas: [4, 2, 3, 1], addingReplicas: [4], removingReplicas: [1], isr: [1, 2, 3, 4], leader: 4 };
  const c = cancelReassignment(moving);
  assert.ok('change' in c);
  assert.deepEqual(c.change, { replicas: [2, 3, 1], isr: [1, 2, 3], addingReplicas: [], removingReplicas: [], leader: 2 });
  const again = startReassignment(moving, [1, 2, 4], brokers);
  assert.ok('change' in again);
  assert.deepEqual(again.change.addingReplicas, [4]);
  assert.deepEqual(again.change.removingReplicas, [3]);
  assert.deepEqual(again.change.replicas, [1, 2, 4, 3]);
});

test('bad targets and cancels without a reassignment are refused as Kafka does', () => {
  const p = part([1, 2, 3]);
  const code = (s: ReturnType<typeof startReassignment>) => ('error' in s ? s.error : 0);
  assert.equal(code(startReassignment(p, [], brokers)), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  assert.equal(code(startReassignment(p, [1, 1], brokers)), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  assert.equal(code(startReassignment(p, [9], brokers)), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  assert.equal(code(cancelReassignment(p)), ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
  // Replicas only leaving (and in sync): done in one step.
  const shrink = startReassignment(p, [2, 3], brokers);
  assert.ok('change' in shrink);
  assert.deepEqual(shrink.change, { replicas: [2, 3], isr: [2, 3], addingReplicas: [], removingReplicas: [], leader: 2 });
});

test('elections: preferred, clean, unclean only when allowed, and the leader balance threshold', () => {
  const live = new Set([1, 2]);
  assert.deepEqual(preferredElection(part([1, 2, 3], [1, 2, 3], 2), live), { leader: 1, isr: [1, 2, 3] });
  assert.deepEqual(preferredElection(part([3, 2], [2], 2), live), { error: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE });
  assert.deepEqual(preferredElection(part([1, 2]), live), { error: ErrorCode.ELECTION_NOT_NEEDED });
  const leaderless = part([3, 1, 2], [3], -1);
  assert.deepEqual(leaderElection(leaderless, live, false), { error: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE });
  assert.deepEqual(leaderElection(leaderless, live, true), { leader: 1, isr: [1] });
  assert.deepEqual(leaderElection(part([3, 2, 1], [3, 2], -1), live, true), { leader: 2, isr: [3, 2] }, 'clean first');
  assert.deepEqual(leaderElection(part([1, 2]), live, true), { error: ErrorCode.ELECTION_NOT_NEEDED });

  // Broker 1 prefers 4 partitions and leads 3 of them (25% off): over 20% it gets its one back.
  const parts = [part([1, 2]), part([1, 2]), part([1, 2]), part([1, 2], [1, 2], 2), part([2, 1])].map((p) => ({ p }));
  assert.equal(imbalanced(parts, live, 20).length, 1);
  assert.equal(imbalanced(parts, live, 30).length, 0);
});
