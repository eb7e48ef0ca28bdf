// Every learn scenario headless, start to finish, on a real supervised 3-node cluster with the
// console server beside it: the steps' actions and checks are the very functions the Learn
// panel calls, talking to the console over HTTP with the contract-typed client. Each check must
// be seen failing before its action (a check that cannot fail proves nothing) and passing after;
// reset deletes the scenario's learn.* topics and nothing else. (Consumer groups and pipelines:
// learn-groups.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { observe, resetScenario, runScenario, type Scenario } from './scenario.ts';
import { faultTolerance } from './scenarios/fault-tolerance.ts';
import { FIRST_TOPIC, firstTopic } from './scenarios/first-topic.ts';
import { compaction } from './scenarios/compaction.ts';
import { distributed } from './scenarios/distributed.ts';
import { offsetsReplay } from './scenarios/offsets-replay.ts';
import { partitionsKeys } from './scenarios/partitions-keys.ts';
import { scalability } from './scenarios/scalability.ts';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';

const STEP_MS = 120_000;

describe('learn scenarios on a real 3-node cluster', () => {
  const ctx = learnConsole();

  const step = (s: Scenario, id: string) => s.steps.find((x) => x.id === id)!;
  const run = (s: Scenario) =>
    runScenario(s, ctx, { timeoutMs: STEP_MS, onStep: (st, o) => console.log(`learn ${s.id} / ${st.id}: ${o.observed}`) });

  test('first topic: create, produce 10, read back, one more to partition 0; reset deletes only learn.first-topic', { timeout: 600_000 }, async () => {
    const { clusterId } = ctx;
    // Checks fail before their action: no topic, and then a topic with the wrong shape.
    const before = await observe(step(firstTopic, 'create-topic'), ctx);
    assert.equal(before.done, false);
    await ctx.api('createTopic', { clusterId }, { name: FIRST_TOPIC, partitions: 1, replicationFactor: 3 });
    const wrong = await observe(step(firstTopic, 'create-topic'), ctx);
    assert.equal(wrong.done, false);
    assert.match(wrong.observed, /has 1 partition\(s\); this scenario needs 3/);
    await resetScenario(firstTopic, ctx);
    await ctx.api('createTopic', { clusterId }, { name: 'keep-me', partitions: 1, replicationFactor: 1 });
    assert.equal((await observe(step(firstTopic, 'produce'), ctx)).done, false);

    await run(firstTopic);

    const t = await ctx.api('topicDetail', { clusterId, topic: FIRST_TOPIC });
    assert.equal(t.partitions.length, 3);
    assert.equal(t.partitions.reduce((s, p) => s + (p.endOffset ?? 0), 0), 11);
    const read = await ctx.api('browse', { clusterId, topic: FIRST_TOPIC }, { partition: 0, seek: { mode: 'latest' }, limit: 1 });
    assert.equal(Buffer.from(read.messages.at(-1)!.value!, 'base64').toString(), 'one-more');

    await resetScenario(firstTopic, ctx);
    const names = (await ctx.api('listTopics', { clusterId })).topics.map((x) => x.name);
    assert.ok(!names.includes(FIRST_TOPIC), names.join());
    assert.ok(names.includes('keep-me'), names.join());
    assert.equal((await observe(step(firstTopic, 'create-topic'), ctx)).done, false);
  });

  test('fault tolerance: acks=all writes, kill -9 of the leader, ISR shrinks, new leader, lost 0; reset restarts the node', { timeout: 900_000 }, async () => {
    const { clusterId } = ctx;
    assert.equal((await observe(step(faultTolerance, 'start-writes'), ctx)).done, false);
    assert.equal((await observe(step(faultTolerance, 'kill-leader'), ctx)).done, false);

    const seen = new Map<string, string>();
    await runScenario(faultTolerance, ctx, {
      timeoutMs: STEP_MS,
      onStep: (st, o) => {
        seen.set(st.id, o.observed);
        console.log(`learn fault-tolerance / ${st.id}: ${o.observed}`);
      },
    });
    const stats = await ctx.api('failoverDemoStats', { clusterId });
    assert.equal(stats.state, 'stopped');
    assert.equal(stats.lost, 0);
    assert.equal(stats.kills.length, 1);
    assert.ok(stats.consumed >= stats.acknowledged);
    const victim = stats.kills[0].nodeId;
    assert.match(seen.get('new-leader')!, new RegExp(`without node ${victim}`));

    // Reset after a kill with the node still dead: the demo stops and the node is restarted.
    await ctx.api('failoverDemoStart', { clusterId }, { mode: 'safe' });
    const kill = await ctx.api('failoverDemoKillLeader', { clusterId }, {});
    await resetScenario(faultTolerance, ctx);
    assert.equal((await ctx.api('failoverDemoStats', { clusterId })).state, 'stopped');
    const cluster = await ctx.api('clusterState', { clusterId });
    assert.equal(cluster.nodes.find((n) => n.id === kill.nodeId)?.state, 'running');
    assert.equal(cluster.nodes.find((n) => n.id === kill.nodeId)?.fenced, false, 'reset waits for the node to be a live broker again');
    assert.ok((await ctx.api('listTopics', { clusterId })).topics.some((t) => t.name === 'samsa-failover-demo'), 'reset deletes only what the scenario created');
  });

  test('scalability: a fourth node, the topic reassigned onto it, it leads all 3 partitions; reset removes it and the cluster is 3 live brokers', { timeout: 600_000 }, async () => {
    const { clusterId } = ctx;
    const seen = await runChecked(scalability, ctx, { timeoutMs: STEP_MS });
    const added = /^Node (\d+) is a live broker/.exec(seen.get('add-node')!.observed)?.[1];
    assert.equal(added, '4', seen.get('add-node')!.observed);
    assert.match(seen.get('new-node-leads')!.observed, /^Node 4 leads partition\(s\) 0, 1, 2 /);
    const grown = await ctx.api('clusterState', { clusterId });
    assert.deepEqual(
      grown.partitions.filter((p) => p.topic === 'learn.scalability').map((p) => [p.leader, p.replicas[0]]),
      [[4, 4], [4, 4], [4, 4]],
    );
    await assertResetDeletesOnlyOwn(scalability, ctx);
    // The node is gone and the cluster is its 3 voters, each a live broker: RF 3 can be created at once.
    const after = await ctx.api('clusterState', { clusterId });
    assert.deepEqual(after.nodes.map((n) => [n.id, n.role, n.state, n.fenced]), [1, 2, 3].map((id) => [id, 'voter', 'running', false]));
    await ctx.api('createTopic', { clusterId }, { name: 'after-scalability', partitions: 1, replicationFactor: 3 });
    await ctx.api('deleteTopic', { clusterId, topic: 'after-scalability' });
  });

  test('partitions and keys: each key in one partition, in the order sent, one more lands after them', { timeout: 300_000 }, async () => {
    const seen = await runChecked(partitionsKeys, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('produce-keyed')!.observed, /alice → partition \d, bob → partition \d/);
    await assertResetDeletesOnlyOwn(partitionsKeys, ctx);
  });

  test('distributed: a 6-partition topic, each of the 3 nodes leads some partitions and takes writes', { timeout: 300_000 }, async () => {
    const seen = await runChecked(distributed, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('leaders-spread')!.observed, /node \d leads partition.*node \d leads partition.*node \d leads partition/);
    await assertResetDeletesOnlyOwn(distributed, ctx);
  });

  test('offsets and replay: committed at the end, lag grows by 4, reset to earliest gives lag = log size, replay reads all', { timeout: 300_000 }, async () => {
    const seen = await runChecked(offsetsReplay, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('lag-grows')!.observed, /lag 4\.$/);
    assert.match(seen.get('reset-earliest')!.observed, /lag 10, log size 10\.$/);
    await assertResetDeletesOnlyOwn(offsetsReplay, ctx);
  });

  test('retention and compaction: the cleaner keeps the latest value per key and removes the tombstone, in under 60 s', { timeout: 300_000 }, async () => {
    const t0 = Date.now();
    const seen = await runChecked(compaction, ctx, { timeoutMs: STEP_MS });
    assert.ok(Date.now() - t0 < 60_000, `took ${Date.now() - t0} ms`);
    // Offsets kept, gaps left: the latest of blue and green at 6 and 7, red's values and tombstone gone.
    assert.equal(seen.get('tombstone-gone')!.observed, 'In the log: 6: blue=blue v3, 7: green=green v3, 10: yellow=yellow v1.');
    await assertResetDeletesOnlyOwn(compaction, ctx);
  });
});
