// The exactly-once scenario headless on a real 3-node cluster with the console beside it: each
// check seen failing before its action and passing after (runChecked), through a real kill -9 of
// a leader of demo.eos-output while the copier's transactions run. The last check reads the
// output as read_committed and finds each input of the run exactly once; reset stops the
// workload, restarts what was killed and deletes nothing but what the scenario made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { partitionForGroup } from '../../../broker/coordinator/records.ts';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';
import { EOS_OUTPUT, exactlyOnce, makeLeader, offsetsPartitionOf } from './scenarios/exactly-once.ts';

const STEP_MS = 90_000;

test('the group’s __consumer_offsets partition is the broker’s (Kafka’s abs(String.hashCode) % n)', () => {
  // Java: "my-group".hashCode() is -1906497762.
  assert.equal(offsetsPartitionOf('my-group', 50), 1906497762 % 50);
  for (const g of ['', 'demo.exactly-once.copier', 'learn.groups', 'x'.repeat(40)]) for (const n of [1, 3, 50]) assert.equal(offsetsPartitionOf(g, n), partitionForGroup(g, n), `${g} of ${n}`);
});

describe('learn: exactly once through a kill on a real 3-node cluster', () => {
  const ctx = learnConsole();

  test('exactly once: a leader of the output killed mid-run, each input copied once (read_committed); reset stops the workload', { timeout: 480_000 }, async () => {
    const seen = await runChecked(exactlyOnce, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('stop')!.observed, /^(\d+) inputs in demo\.eos-input since the start; read_committed, demo\.eos-output has \1 copies: 0 missing, 0 copied more than once\./);
    const w = (await ctx.api('listWorkloads', { clusterId: ctx.clusterId })).workloads.find((x) => x.name === 'exactly-once')!;
    console.log(`copier: ${w.summary}; ${w.errors} error(s), last: ${w.lastError}`);
    await assertResetDeletesOnlyOwn(exactlyOnce, ctx);
    assert.equal((await ctx.api('listWorkloads', { clusterId: ctx.clusterId })).workloads.find((x) => x.name === 'exactly-once')!.state, 'stopped');
  });

  test('makeLeader (the kill’s fallback when every output leader is a coordinator) moves the leadership to the node asked for, replicas unchanged', { timeout: 60_000 }, async () => {
    const row = async () => (await ctx.api('clusterState', { clusterId: ctx.clusterId })).partitions.find((p) => p.topic === EOS_OUTPUT && p.partition === 0)!;
    const before = await row();
    const target = before.isr.find((n) => n !== before.leader)!;
    assert.ok(target !== undefined, `an in-sync follower of ${EOS_OUTPUT}-0: ${JSON.stringify(before)}`);
    await makeLeader(ctx, EOS_OUTPUT, 0, target);
    const after = await row();
    assert.equal(after.leader, target);
    assert.deepEqual([...after.replicas].sort(), [...before.replicas].sort());
    assert.equal(after.replicas[0], target);
  });
});
