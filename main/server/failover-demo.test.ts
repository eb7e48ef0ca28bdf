// The failover demo's workload against a real 3-node cluster: safe mode through two kill -9s
// of the leader of partition 0 (the node restarted in between, and its replicas back in the ISR
// before the next kill) loses nothing, duplicates nothing, and acknowledges again after each
// kill; the time from each kill to the next acknowledgement is printed. Unsafe mode survives a
// kill too, and its counters add up (the loss it may show is the values that are missing).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { leaderOf, partitionView, startTestCluster, type TestCluster } from '../../broker/testing/cluster.ts';
import { until } from '../../broker/testing/wait.ts';
import { DEMO_TOPICS, FailoverDemo } from './failover-demo.ts';

let tc: TestCluster;
let demo: FailoverDemo;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
  demo = new FailoverDemo({
    config: () => ({ id: 'test', name: 'test', bootstrap: tc.bootstrap.split(','), bundled: true }),
    leaderOf: (topic, partition) => leaderOf(tc, topic, partition),
    kill: (id) => tc.cluster.kill(id),
  });
});
after(async () => {
  await demo?.stop();
  await tc?.stop();
});

const acked = () => demo.stats().acknowledged;

test('the demo refuses a kill before it runs and a second start while it runs', async () => {
  await assert.rejects(demo.killLeader(), /Start the failover demo first/);
  await demo.start('safe');
  await assert.rejects(demo.start('unsafe'), /already running/);
  const s = await demo.stop();
  assert.equal(s.state, 'stopped');
  assert.equal(s.lost, 0);
});

test('safe mode: two kill -9s of the leader of partition 0, nothing lost, acknowledgements resume', { timeout: 240_000 }, async () => {
  const topic = DEMO_TOPICS.safe;
  await demo.start('safe');
  await until('first acknowledgements', async () => acked() >= 60, 30_000);
  for (let round = 1; round <= 2; round++) {
    const before = acked();
    const { nodeId } = await demo.killLeader();
    await until(`an acknowledgement after kill ${round}`, async () => demo.stats().kills.at(-1)?.ackAfterMs != null, 60_000);
    console.log(`failover demo (safe, test): kill -9 of node ${nodeId} (leader of ${topic}-0) -> next acknowledgement ${demo.stats().kills.at(-1)!.ackAfterMs} ms`);
    await until(`acknowledgements after kill ${round}`, async () => acked() >= before + 60, 30_000);
    await tc.cluster.startNode(nodeId);
    await until(`node ${nodeId} back in the ISR`, async () => (await partitionView(tc, nodeId === 1 ? 2 : 1, topic))?.isr.length === 3, 60_000);
  }
  const s = await demo.stop();
  console.log(`failover demo (safe, test): ${JSON.stringify({ ...s, kills: s.kills.map((k) => k.ackAfterMs) })}`);
  assert.equal(s.state, 'stopped');
  assert.ok(s.acknowledged > 120, `acknowledged ${s.acknowledged}`);
  assert.equal(s.lost, 0);
  assert.equal(s.duplicates, 0);
  // Every acknowledged value was read back (and failed sends may have landed too).
  assert.ok(s.consumed >= s.acknowledged, `consumed ${s.consumed} < acknowledged ${s.acknowledged}`);
  assert.equal(s.sent, s.acknowledged + s.failed);
  assert.equal(s.kills.length, 2);
});

test('unsafe mode (acks=1, unclean elections) survives a kill of the leader and accounts for every value it sent', { timeout: 120_000 }, async () => {
  await demo.start('unsafe');
  await until('first acknowledgements', async () => acked() >= 60, 30_000);
  const { nodeId } = await demo.killLeader();
  await until('an acknowledgement after the kill', async () => demo.stats().kills.at(-1)?.ackAfterMs != null, 60_000);
  const before = acked();
  await until('acknowledgements after the kill', async () => acked() >= before + 60, 30_000);
  const s = await demo.stop();
  console.log(`failover demo (unsafe, test): kill -9 of node ${nodeId} -> next acknowledgement ${s.kills[0].ackAfterMs} ms; lost ${s.lost} of ${s.acknowledged} acknowledged`);
  await tc.cluster.startNode(nodeId);
  assert.equal(s.mode, 'unsafe');
  assert.equal(s.sent, s.acknowledged + s.failed);
  // Whatever was not lost was read back: the loss shown is exactly the acknowledged values missing.
  assert.ok(s.consumed >= s.acknowledged - s.lost, `consumed ${s.consumed}, acknowledged ${s.acknowledged}, lost ${s.lost}`);
});
