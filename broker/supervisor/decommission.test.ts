// Where a removed node's replicas go (decommissionPlan): spread evenly over the other live
// brokers, the preferred leader never the removed node, the replication factor kept; refused when
// the other brokers cannot hold a partition's replicas or a partition is offline.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decommissionPlan, type HostedPartition, type Move } from './decommission.ts';

const p = (topic: string, partition: number, replicas: number[], leader = replicas[0]): HostedPartition => ({ topic, partition, leader, replicas });
const moves = (plan: ReturnType<typeof decommissionPlan>): Move[] => {
  if ('refusal' in plan) throw new Error(plan.refusal);
  return plan.moves;
};

test('every partition on the node keeps its RF on the others, new replicas spread evenly, leader first off the node', () => {
  // 8 partitions of RF 2 on nodes 1..4, each with a replica on node 4.
  const parts = [...Array(8).keys()].map((i) => p('t', i, i % 2 ? [4, 1 + (i % 3)] : [1 + (i % 3), 4]));
  const plan = moves(decommissionPlan([...parts, p('other', 0, [1, 2, 3])], 4, [1, 2, 3, 4]));
  assert.equal(plan.length, 8);
  for (const m of plan) {
    assert.equal(m.to.length, m.from.length, `${m.topic}-${m.partition} keeps its RF`);
    assert.ok(!m.to.includes(4));
    assert.equal(new Set(m.to).size, m.to.length, 'no duplicates');
    assert.equal(m.to[0], m.from.find((r) => r !== 4), 'the preferred leader is a replica already in place');
  }
  const count = new Map<number, number>();
  for (const q of [...parts.map((x, i) => ({ ...x, replicas: plan[i].to })), p('other', 0, [1, 2, 3])])
    for (const r of q.replicas) count.set(r, (count.get(r) ?? 0) + 1);
  const loads = [...count.values()];
  assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `even spread: ${JSON.stringify([...count])}`);
});

test('partitions not on the node, or skipped, do not move; a node that hosts nothing moves nothing', () => {
  const parts = [p('a', 0, [1, 2]), p('a', 1, [4, 2]), p('b', 0, [4])];
  assert.deepEqual(moves(decommissionPlan(parts, 5, [1, 2, 4, 5])), []);
  const plan = moves(decommissionPlan(parts, 4, [1, 2, 3, 4], new Set(['a\u00001'])));
  assert.deepEqual(plan.map((m) => [m.topic, m.partition, m.to.length]), [['b', 0, 1]]);
});

test('refused when the other live brokers cannot hold a partition at its RF, naming it', () => {
  const plan = decommissionPlan([p('ok', 0, [4, 1]), p('rf3', 2, [1, 4, 2])], 4, [1, 2, 4]);
  assert.ok('refusal' in plan);
  assert.match(plan.refusal, /partition rf3-2 has 3 replicas and only 2 other live brokers \(1, 2\)/);
  // A dead broker cannot take replicas either.
  assert.ok('refusal' in decommissionPlan([p('rf3', 0, [1, 2, 4])], 4, [1, 2, 4]));
  assert.deepEqual(moves(decommissionPlan([p('rf3', 0, [1, 2, 4])], 4, [1, 2, 3, 4]))[0].to, [1, 2, 3]);
});

test('refused when a partition on the node is offline: there is nothing to copy from', () => {
  const plan = decommissionPlan([p('rf1', 0, [4], -1)], 4, [1, 2, 3]);
  assert.ok('refusal' in plan);
  assert.match(plan.refusal, /rf1-0 is offline/);
});
