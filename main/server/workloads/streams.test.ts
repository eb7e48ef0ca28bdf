// The metrics and stream-processor workloads through the console's routes on a real supervised
// 3-node cluster, read back with a separate client (kafkajs):
// - metrics: demo.metrics holds one message per node, keyed node-<id>, and its figures are the
//   nodes' own: leaders and partitions equal what each node's /metrics says at that moment, the
//   nodes taking the workload's writes show bytes in, nothing is under-replicated; the
//   "dashboard" group reads them back (summary names every node).
// - stream-processor: demo.pageviews-per-window holds per-page view counts of closed 10 s
//   windows whose sums equal the views in demo.clickstream with timestamps in those windows,
//   one message per page and window; the group's lag is what OffsetFetch and ListOffsets show,
//   0 after stop.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { until } from '../../../broker/testing/wait.ts';
import type { WorkloadStats } from '../../contract/workloads.ts';
import { startBundledConsole, type BundledConsole } from '../../testing/bundled-console.ts';
import { parsePromText } from '../metrics-prom-text.ts';
import { clusterApi } from '../test-helpers.ts';
import { PAGEVIEWS_TOPIC, WINDOW_MS, type PageViewsWindow } from './stream-processor.ts';

describe('metrics and stream-processor workloads', () => {
  let bc: BundledConsole;
  let admin: Admin;
  let kafka: Kafka;
  const api = clusterApi(() => bc.server);
  const workload = async (name: string): Promise<WorkloadStats> =>
    (await api('GET', '/workloads')).body.workloads.find((w: WorkloadStats) => w.name === name);
  const endOffsets = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  /** Every message of `topic` from the beginning, read by a throw-away group. */
  const readAll = async (topic: string) => {
    const want = await endOffsets(topic);
    const reader = kafka.consumer({ groupId: `streams-test-${topic}-${Date.now()}` });
    const seen: { key: string; value: Record<string, unknown>; timestamp: number }[] = [];
    try {
      await reader.connect();
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) =>
          void seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()), timestamp: Number(message.timestamp) }),
      });
      await until(`${want} messages of ${topic} read back`, async () => seen.length >= want, 30_000);
    } finally {
      await reader.disconnect();
    }
    return seen;
  };

  before(async () => {
    bc = await startBundledConsole({ nodes: 3 });
    kafka = new Kafka({ brokers: bc.bootstrap.split(','), clientId: 'streams-test', logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect();
    await bc?.stop();
  });

  test('metrics: every node publishes its own figures to demo.metrics, read back by the dashboard group', { timeout: 120_000 }, async () => {
    const started = await api('POST', '/workloads/start', { name: 'metrics', rate: 6 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await until('demo.metrics to hold 30 messages', async () => (await endOffsets('demo.metrics')) >= 30, 40_000);
    const w = await until('the dashboard to have read every node', async () => {
      const x = await workload('metrics');
      return /node-1 .* node-2 .* node-3 /.test(x.summary ?? '') ? x : null;
    });
    assert.match(w.summary!, /^latest bytes in: node-1 \d+\.\d KB\/s, node-2 \d+\.\d KB\/s, node-3 \d+\.\d KB\/s · 0 under-replicated$/);

    // What each node's /metrics says now; the cluster is quiet but for this workload, so its
    // leader and partition counts are those of the collector's last second.
    const { nodes } = await bc.control.call('list', {});
    const scraped = new Map<number, { leaders: number; partitions: number }>();
    for (const n of nodes) {
      const text = await (await fetch(n.metricsUrl!)).text();
      const gauge = (name: string) => parsePromText(text).samples.find((s) => s.name === name)!.value;
      scraped.set(n.id, { leaders: gauge('kafka_server_replicamanager_leadercount'), partitions: gauge('kafka_server_replicamanager_partitioncount') });
    }
    const stopped = (await api('POST', '/workloads/metrics/stop', {})).body;
    assert.equal(stopped.errors, 0, stopped.lastError);
    const msgs = await readAll('demo.metrics');
    assert.equal(msgs.length, stopped.sent);
    const latest = new Map(msgs.map((m) => [m.key, m]));
    assert.deepEqual([...latest.keys()].sort(), ['node-1', 'node-2', 'node-3']);
    let bytesIn = 0;
    for (const [key, m] of latest) {
      const v = m.value as { node: number; source: string; sampledAt: string; metrics: Record<string, number>; units: Record<string, string> };
      assert.equal(key, `node-${v.node}`);
      assert.equal(v.source, 'node-metrics');
      assert.ok(Math.abs(Date.parse(v.sampledAt) - m.timestamp) < 5000, `${v.sampledAt} vs ${m.timestamp}`);
      assert.deepEqual({ leaders: v.metrics.leaders, partitions: v.metrics.partitions }, scraped.get(v.node), `node ${v.node}: ${JSON.stringify(v.metrics)}`);
      assert.equal(v.metrics.underReplicated, 0);
      assert.equal(v.units.bytesIn, 'B/s');
      for (const k of ['bytesOut', 'requests', 'connections', 'diskBytes', 'rss']) assert.equal(typeof v.metrics[k], 'number', `node ${v.node} ${k}`);
      bytesIn += v.metrics.bytesIn ?? 0;
    }
    console.log(`streams (test): metrics ${JSON.stringify([...latest.values()][0].value)}`);
    assert.ok(bytesIn > 0, 'the nodes taking the workload writes show bytes in');
  });

  test('stream processor: page views per 10 s window in the output topic sum to the views in the clickstream; the group lag is visible and 0 after stop', { timeout: 150_000 }, async () => {
    const GROUP = 'demo.stream-processor.page-view-windows';
    const started = await api('POST', '/workloads/start', { name: 'stream-processor', rate: 40 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.outputTopic, PAGEVIEWS_TOPIC);
    // Two closed windows take 20 to 32 s: the first one the run sees is partial and skipped.
    await until('2 windows written', async () => /^([2-9]|\d\d+) windows of 10 s written/.test((await workload('stream-processor')).summary ?? ''), 60_000);
    // The group, while it runs: Stable with one member, lag as any consumer group shows it.
    const g = (await admin.describeGroups([GROUP])).groups[0];
    assert.equal(g.state, 'Stable');
    assert.equal(g.members.length, 1);
    const stopped = (await api('POST', '/workloads/stream-processor/stop', {})).body;
    assert.equal(stopped.errors, 0, stopped.lastError);
    const ends = await admin.fetchTopicOffsets('demo.clickstream');
    const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: ['demo.clickstream'] });
    assert.deepEqual(
      committed.partitions.map((p) => [p.partition, Number(p.offset)]).sort(),
      ends.map((e) => [e.partition, Number(e.high)]).sort(),
      'lag 0 after stop',
    );

    const clicks = await readAll('demo.clickstream');
    const out = (await readAll(PAGEVIEWS_TOPIC)).map((m) => ({ key: m.key, v: m.value as unknown as PageViewsWindow }));
    const windows = [...new Set(out.map((o) => o.v.windowStart))].sort();
    assert.ok(windows.length >= 2, `windows ${windows.join()}`);
    for (const start of windows) {
      const rows = out.filter((o) => o.v.windowStart === start);
      assert.equal(start % WINDOW_MS, 0);
      assert.ok(rows.every((o) => o.key === o.v.page && o.v.windowEnd === start + WINDOW_MS && o.v.views > 0));
      assert.equal(new Set(rows.map((o) => o.key)).size, rows.length, 'one message per page and window');
      const views = clicks.filter((c) => c.value.action === 'view' && c.timestamp >= start && c.timestamp < start + WINDOW_MS);
      const byPage = new Map<string, number>();
      for (const c of views) byPage.set(String(c.value.page), (byPage.get(String(c.value.page)) ?? 0) + 1);
      assert.deepEqual(new Map(rows.map((o) => [o.v.page, o.v.views])), byPage, `window ${new Date(start).toISOString()}`);
    }
    console.log(`streams (test): ${windows.length} windows, ${out.length} page counts, summary ${stopped.summary}`);
    assert.ok(windows[0] >= clicks.reduce((m, c) => Math.min(m, c.timestamp), Infinity), 'the first, partial window was not written');
  });
});
