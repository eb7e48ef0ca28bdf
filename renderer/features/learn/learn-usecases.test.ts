// The use-case scenarios (event sourcing, activity tracking, log aggregation) headless, start to
// finish, on a real supervised 3-node cluster with the console beside it, through the same step
// functions the Learn panel calls: every check is first seen failing, then passing, on what the
// cluster holds (topics read back, the demo workloads' groups and counts, the filtered browse);
// reset deletes only the scenario's own learn.* topics and stops its workload.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';
import { activityTracking } from './scenarios/activity-tracking.ts';
import { eventSourcing, FIRST_EVENTS, MORE_EVENTS } from './scenarios/event-sourcing.ts';
import { logAggregation } from './scenarios/log-aggregation.ts';

const STEP_MS = 90_000;

describe('learn use-case scenarios on a real 3-node cluster', () => {
  const ctx = learnConsole();

  const workload = async (name: string) => (await ctx.api('listWorkloads', { clusterId: ctx.clusterId })).workloads.find((w) => w.name === name)!;

  test('event sourcing: replaying the events from the earliest offset rebuilds the live balances, before and after more events', { timeout: 300_000 }, async () => {
    const seen = await runChecked(eventSourcing, ctx, { timeoutMs: STEP_MS });
    // The balances the bank's ledger gives, in the scenario's own data: acct-1 80.50, acct-2 138.50, acct-3 -21.50 EUR.
    const ledger = (events: typeof FIRST_EVENTS) => {
      const b = new Map<string, number>();
      for (const e of events) b.set(e.account, (b.get(e.account) ?? 0) + e.amountCents);
      return [...b].sort().map(([a, c]) => `${a} ${(c / 100).toFixed(2)} EUR`).join(', ');
    };
    assert.equal(
      seen.get('rebuild')!.observed,
      `Replayed 12 event(s) from the earliest offset: ${ledger(FIRST_EVENTS)}; learn.bank-balances holds ${ledger(FIRST_EVENTS)}: equal.`,
    );
    assert.match(seen.get('more-events')!.observed, /^Replayed 15 event\(s\) from the earliest offset: acct-1 80\.50 EUR, acct-2 138\.50 EUR, acct-3 -21\.50 EUR; .*: equal\.$/);
    assert.equal(ledger([...FIRST_EVENTS, ...MORE_EVENTS]), 'acct-1 80.50 EUR, acct-2 138.50 EUR, acct-3 -21.50 EUR');
    assert.match(seen.get('record-events')!.observed, /acct-1 → partition \d \(5 events, in order\), acct-2 → partition \d \(4 events, in order\), acct-3 → partition \d \(3 events, in order\)/);
    await assertResetDeletesOnlyOwn(eventSourcing, ctx);
  });

  test('activity tracking: the clickstream keeps each user in one partition in order, the group counts active users, and reads all on stop', { timeout: 300_000 }, async () => {
    try {
      const seen = await runChecked(activityTracking, ctx, { timeoutMs: STEP_MS });
      assert.match(seen.get('per-user-order')!.observed, /every user in one partition, in the order sent/);
      const active = /counts (\d+) active user\(s\) in the last 30 s; demo\.clickstream has events of (\d+) user\(s\)/.exec(seen.get('active-users')!.observed);
      assert.ok(active && Number(active[1]) > 0 && Number(active[1]) <= Number(active[2]) + 5, seen.get('active-users')!.observed);
      assert.match(seen.get('stop')!.observed, /its lag is 0 and it is EMPTY\.$/);
      // Reset while it runs: it is stopped; the demo topic is the workload's and stays.
      await ctx.api('workloadStart', { clusterId: ctx.clusterId }, { name: 'clickstream', rate: 10 });
      await assertResetDeletesOnlyOwn(activityTracking, ctx);
      assert.equal((await workload('clickstream')).state, 'stopped');
      assert.ok((await ctx.api('listTopics', { clusterId: ctx.clusterId })).topics.some((t) => t.name === 'demo.clickstream'));
    } finally {
      await ctx.api('workloadStop', { clusterId: ctx.clusterId, name: 'clickstream' }, {});
    }
  });

  test('log aggregation: five services in one topic, the service/level filter finds exactly their lines, the error counter agrees', { timeout: 300_000 }, async () => {
    try {
      const seen = await runChecked(logAggregation, ctx, { timeoutMs: STEP_MS });
      assert.match(seen.get('all-services')!.observed, /api-gateway \d+ line\(s\) in partition \d, auth .*payments .*search \d+ line\(s\) in partition \d\.$/);
      const kept = /keeps (\d+) of (\d+) line\(s\) since the start\.$/.exec(seen.get('search')!.observed);
      assert.ok(kept && Number(kept[1]) > 0 && Number(kept[1]) < Number(kept[2]) / 10, seen.get('search')!.observed);
      const counted = /it counted (\d+) ERROR line\(s\), the filter finds (\d+)\.$/.exec(seen.get('count-errors')!.observed);
      assert.ok(counted && counted[1] === counted[2] && Number(counted[1]) >= Number(kept![1]), seen.get('count-errors')!.observed);
      await assertResetDeletesOnlyOwn(logAggregation, ctx);
    } finally {
      await ctx.api('workloadStop', { clusterId: ctx.clusterId, name: 'service-logs' }, {});
    }
  });
});
