// The consumer groups and real-time pipelines scenarios headless on a real 3-node cluster with
// the console beside it, every step's action the app's own ("Do it for me"): each check seen
// failing before its action and passing after (runChecked). What the checks saw is then checked
// again: the group's members, assignments and commits with a separate client (kafkajs), the
// pipeline's end offsets and per-stage totals. Reset deletes only what the scenario made.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';
import { consumerGroups, GROUPS_GROUP, GROUPS_TOPIC } from './scenarios/consumer-groups.ts';
import { PIPELINE_RAW, PIPELINE_SINK, pipelines } from './scenarios/pipelines.ts';

const STEP_MS = 90_000;

describe('learn: consumer groups and pipelines on a real 3-node cluster', () => {
  const ctx = learnConsole();
  let admin: Admin;

  before(async () => {
    admin = new Kafka({ brokers: ctx.bc.bootstrap.split(','), clientId: 'learn-groups-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect();
  });

  test('consumer groups: 1 member owns all 3 partitions, 3 own one each, a 4th idles; only owners read; 0 members, offsets kept', { timeout: 300_000 }, async () => {
    const seen = await runChecked(consumerGroups, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('one-member')!.observed, /with 1 member\(s\): samsa-learn-member-1 reads partition\(s\) 0, 1, 2;/);
    assert.match(seen.get('three-members')!.observed, /with 3 member\(s\): (samsa-learn-member-\d reads partition\(s\) \d( · |;)){3}/);
    assert.match(seen.get('fourth-idles')!.observed, /with 4 member\(s\): .*reads partition\(s\) none/);
    assert.match(seen.get('more-records')!.observed, /^Committed 0: 5, 1: 5, 2: 5, lag 0;/);
    assert.match(seen.get('empty')!.observed, /EMPTY with 0 member\(s\), 3 committed partition\(s\), lag 0\.$/);
    // The same group as another client sees it (Empty now, offsets at the end of the topic).
    const g = (await admin.describeGroups([GROUPS_GROUP])).groups[0];
    assert.equal(g.state, 'Empty');
    const [committed] = await admin.fetchOffsets({ groupId: GROUPS_GROUP, topics: [GROUPS_TOPIC] });
    assert.deepEqual(committed.partitions.map((p) => [p.partition, p.offset]).sort(), [[0, '5'], [1, '5'], [2, '5']]);
    await assertResetDeletesOnlyOwn(consumerGroups, ctx);
  });

  test('consumer groups: the 4-member split as DescribeGroups answers it equals what the console members say', { timeout: 120_000 }, async () => {
    const { clusterId } = ctx;
    await ctx.api('createTopic', { clusterId }, { name: GROUPS_TOPIC, partitions: 3, replicationFactor: 3 });
    try {
      const set = await ctx.api('setGroupMembers', { clusterId }, { group: GROUPS_GROUP, topic: GROUPS_TOPIC, count: 4 });
      assert.equal(set.members.length, 4);
      const deadline = Date.now() + 40_000;
      for (;;) {
        const d = (await admin.describeGroups([GROUPS_GROUP])).groups[0];
        const theirs = d.members.map((m) => [m.clientId, [...(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[GROUPS_TOPIC] ?? [])].sort()]).sort();
        const mine = (await ctx.api('listGroupMembers', { clusterId })).groups.find((x) => x.group === GROUPS_GROUP)!.members.map((m) => [m.clientId, m.partitions]).sort();
        if (d.state === 'Stable' && JSON.stringify(theirs) === JSON.stringify(mine)) {
          assert.deepEqual(mine.map(([, p]) => (p as number[]).length).sort(), [0, 1, 1, 1]);
          break;
        }
        assert.ok(Date.now() < deadline, `DescribeGroups ${JSON.stringify(theirs)} vs console ${JSON.stringify(mine)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await assertResetDeletesOnlyOwn(consumerGroups, ctx);
    }
  });

  test('pipelines: every hop carries records while it runs, enriched events carry country and tier, after stop the sink has exactly what was sent', { timeout: 300_000 }, async () => {
    const seen = await runChecked(pipelines, ctx, { timeoutMs: STEP_MS });
    const flow = seen.get('flow')!.observed;
    const rates = [...flow.matchAll(/(\d+\.\d)\/s/g)].map((m) => Number(m[1]));
    assert.equal(rates.length, 5, flow);
    assert.ok(rates.every((r) => r > 0), flow);
    const stop = /^(\d+) sent; this run's events: \1 in demo\.pipeline\.raw, \1 in demo\.pipeline\.enriched, \1 rows in demo\.pipeline\.sink \(0 missing, 0 not from the producer\)\.$/.exec(seen.get('stop')!.observed);
    assert.ok(stop, seen.get('stop')!.observed);
    const sent = Number(stop[1]);
    // Both topics whole (their end offsets): the sink's rows are the raw events, once each.
    const offsets = async (topic: string) => (await ctx.api('topicDetail', { clusterId: ctx.clusterId, topic })).partitions.reduce((s, p) => s + (p.endOffset ?? 0), 0);
    assert.equal(await offsets(PIPELINE_RAW), sent);
    assert.equal(await offsets(PIPELINE_SINK), sent);
    const w = (await ctx.api('listWorkloads', { clusterId: ctx.clusterId })).workloads.find((x) => x.name === 'pipeline')!;
    assert.deepEqual(w.stages.map((st) => [st.group, st.consumed, st.written]), [['demo.pipeline.enrich', sent, sent], ['demo.pipeline.sink', sent, sent]]);
    console.log(`learn pipelines: ${sent} sent at 20 msg/s, flow while running: ${flow}`);
    for (const group of ['demo.pipeline.enrich', 'demo.pipeline.sink']) assert.equal((await admin.describeGroups([group])).groups[0].state, 'Empty');
    await assertResetDeletesOnlyOwn(pipelines, ctx);
  });
});
