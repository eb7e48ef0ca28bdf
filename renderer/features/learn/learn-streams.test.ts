// The scenarios built on the metrics and stream-processor workloads, headless on a real 3-node
// cluster with the console beside it: each check seen failing before its action and passing
// after (runChecked); reset stops the workload and deletes nothing but what the scenario made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertResetDeletesOnlyOwn, learnConsole, runChecked } from './learn-testing.ts';
import { metricsMonitoring } from './scenarios/metrics-monitoring.ts';
import { streamProcessing } from './scenarios/stream-processing.ts';

const STEP_MS = 90_000;

describe('learn: metrics and stream processing on a real 3-node cluster', () => {
  const ctx = learnConsole();

  test('metrics collection: demo.metrics has every node’s own figures, the dashboard group reads them; reset stops the workload', { timeout: 240_000 }, async () => {
    const seen = await runChecked(metricsMonitoring, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('start')!.observed, /node-1 \d+ B\/s in.*node-2 .*node-3 /);
    await assertResetDeletesOnlyOwn(metricsMonitoring, ctx);
    const w = (await ctx.api('listWorkloads', { clusterId: ctx.clusterId })).workloads.find((x) => x.name === 'metrics')!;
    assert.equal(w.state, 'stopped');
  });

  test('stream processing: window counts equal the clickstream views in each window, lag visible, 0 after stop', { timeout: 240_000 }, async () => {
    const seen = await runChecked(streamProcessing, ctx, { timeoutMs: STEP_MS });
    assert.match(seen.get('windows')!.observed, /^\d\d:\d\d:\d0–\d\d:\d\d:\d0: (\d+) counted, \1 views in demo\.clickstream/);
    assert.match(seen.get('stop')!.observed, /EMPTY with 0 member\(s\), lag 0\.$/);
    await assertResetDeletesOnlyOwn(streamProcessing, ctx);
  });
});
