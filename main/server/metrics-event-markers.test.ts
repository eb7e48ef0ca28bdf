import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterEventInput } from '../contract/events.ts';
import { eventMarkers } from './metrics-event-markers.ts';
import { MetricsCollector } from './metrics-collector.ts';
import type { MetricsSampler } from './metrics-node-source.ts';

const ev = (kind: ClusterEventInput['kind'], at: number, text: string): ClusterEventInput => ({
  at,
  source: kind.startsWith('node-') ? 'supervisor' : 'metadata',
  kind,
  nodeId: 1,
  topic: 'orders',
  partition: 0,
  leader: null,
  isr: null,
  replicas: null,
  offset: null,
  text,
});

test('a batch of leader changes is one marker at the earliest, naming the partitions; ISR changes are their own', () => {
  const ms = eventMarkers([
    ev('node-killed', 90, 'node 3 killed'),
    ev('leader-changed', 120, 'orders-1: leader 3 → 1'),
    ev('leader-changed', 100, 'orders-0: leader 3 → 2'),
    ev('isr-shrunk', 110, 'orders-0: ISR [1,2,3] → [1,2]'),
    ev('topic-created', 80, 'topic orders created'),
  ]);
  assert.deepEqual(
    ms.map((m) => [m.kind, m.at, m.label]),
    [
      ['leader-change', 100, '2 leader changes: orders-1: leader 3 → 1; orders-0: leader 3 → 2'],
      ['isr-shrink', 110, '1 ISR shrink: orders-0: ISR [1,2,3] → [1,2]'],
    ],
  );
  assert.ok(ms.every((m) => m.group === null && m.node === null));
});

test('past four partitions the label counts the rest', () => {
  const [m] = eventMarkers(Array.from({ length: 7 }, (_, i) => ev('isr-expanded', 5, `p-${i}`)));
  assert.equal(m.label, '7 ISR expands: p-0; p-1; p-2; p-3, and 3 more');
  assert.deepEqual(eventMarkers([ev('node-started', 1, 'x')]), []);
});

test('markers given to the collector go out with its next tick and stay in its history', async () => {
  const sampler: MetricsSampler = { source: 'node-metrics', intervalMs: 1000, sample: async () => {}, close: () => {} };
  const c = new MetricsCollector(sampler);
  c.addMarkers(eventMarkers([ev('leader-changed', 1500, 'orders-0: leader 3 → 2')]));
  const tick = await c.tick(2000);
  assert.deepEqual(tick?.markers.map((m) => m.kind), ['leader-change']);
  assert.deepEqual((await c.tick(3000))?.markers, []);
  assert.deepEqual(
    c.snapshot('5m', { series: () => true, marker: () => true }).markers.map((m) => m.at),
    [1500],
  );
  c.close();
});
