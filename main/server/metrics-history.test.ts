import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Metric } from '../contract/metrics.ts';
import { MetricsHistory, MINUTE_MS, round6 } from './metrics-history.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function series(h: MetricsHistory, metric: Metric, node: number | null = null) {
  return h.catalog.meta(metric, { node }).key;
}

const all = () => true;

test('the fine ring keeps the newest points in order and overwrites the oldest', () => {
  const h = new MetricsHistory({ fineCapacity: 5, minuteCapacity: 3 });
  const k = series(h, 'messagesIn');
  for (let i = 0; i < 12; i++) h.append(T0 + i * 1000, new Map([[k, i]]));
  const q = h.query('fine', 0, all);
  assert.deepEqual(q.t, [7, 8, 9, 10, 11].map((i) => T0 + i * 1000));
  assert.deepEqual(q.series[0].v, [7, 8, 9, 10, 11]);
  assert.deepEqual(h.query('fine', T0 + 9500, all).t, [T0 + 10_000, T0 + 11_000], 'from a time inside the ring');
  assert.deepEqual(h.query('fine', T0 + 60_000, all), { t: [], series: [] });
});

test('a series without a value at a point is a gap there; a series with no value in range is left out', () => {
  const h = new MetricsHistory();
  const a = series(h, 'messagesIn', 1);
  const b = series(h, 'messagesIn', 2);
  h.append(T0, new Map([[a, 1]]));
  h.append(T0 + 1000, new Map([[a, 2], [b, 5]]));
  h.append(T0 + 2000, new Map([[b, 6]]));
  h.append(T0 + 3000, new Map([[a, 4]]));
  const q = h.query('fine', 0, all);
  assert.deepEqual(
    q.series.map((s) => [s.meta.node, s.v]),
    [
      [1, [1, 2, null, 4]],
      [2, [null, 5, 6, null]],
    ],
  );
  assert.deepEqual(h.query('fine', T0 + 3000, all).series.map((s) => s.meta.node), [1]);
  assert.deepEqual(h.query('fine', 0, (m) => m.node === 2).series.length, 1);
});

test('a minute becomes one point, at its start, once it is over: mean for rates, peak for alarms', () => {
  const h = new MetricsHistory();
  const rate = series(h, 'bytesIn');
  const urp = series(h, 'underReplicated');
  let minute = null;
  for (let s = 0; s < 60; s++) {
    const r = h.append(T0 + s * 1000, new Map([[rate, s], [urp, s === 30 ? 3 : 0]]));
    assert.equal(r.minute, null, 'not before the minute is over');
  }
  minute = h.append(T0 + MINUTE_MS, new Map([[rate, 100]])).minute;
  assert.equal(minute?.t, T0);
  assert.equal(minute?.values.get(rate), 29.5);
  assert.equal(minute?.values.get(urp), 3);
  // A second minute where the rate was only measured twice (a node was down for the rest).
  h.append(T0 + MINUTE_MS + 30_000, new Map([[rate, 50]]));
  h.append(T0 + 2 * MINUTE_MS + 5_000, new Map());
  const q = h.query('minute', 0, all);
  assert.deepEqual(q.t, [T0, T0 + MINUTE_MS]);
  assert.deepEqual(q.series.find((s) => s.meta.key === rate)?.v, [29.5, 75]);
  assert.deepEqual(q.series.find((s) => s.meta.key === urp)?.v, [3, null]);
});

test('new series beyond the cap are dropped and counted; a series silent for a day is forgotten', () => {
  const h = new MetricsHistory({ maxSeries: 2, fineCapacity: 10, minuteCapacity: 10 });
  const [a, b, c] = [1, 2, 3].map((n) => series(h, 'rss', n));
  const first = h.append(T0, new Map([[a, 1], [b, 1], [c, 1]]));
  assert.deepEqual(first.added.map((m) => m.node), [1, 2]);
  assert.equal(h.dropped, 1);
  assert.equal(h.seriesCount, 2);
  // b keeps reporting, a falls silent; a day and a minute later a is gone and c has room.
  for (let m = 1; m <= 24 * 60 + 2; m++) h.append(T0 + m * MINUTE_MS, new Map([[b, m]]));
  assert.equal(h.seriesCount, 1);
  assert.equal(h.catalog.get(a), undefined);
  const r = h.append(T0 + 24 * 60 * MINUTE_MS + 3 * MINUTE_MS, new Map([[series(h, 'rss', 3), 7]]));
  assert.deepEqual(r.added.map((m) => m.node), [3]);
});

test('markers in a window, oldest first', () => {
  const h = new MetricsHistory();
  const mk = (at: number, group: string) => ({ at, kind: 'rebalance', label: 'x', node: null, group });
  h.append(T0, new Map(), [mk(T0, 'g1')]);
  h.append(T0 + 1000, new Map(), [mk(T0 + 1000, 'g2'), mk(T0 + 1000, 'g1')]);
  assert.deepEqual(h.markers(T0 + 500, (m) => m.group === 'g1').map((m) => m.at), [T0 + 1000]);
  assert.equal(h.markers(0, all).length, 3);
});

test('time only moves forward', () => {
  const h = new MetricsHistory();
  h.append(T0, new Map());
  assert.throws(() => h.append(T0, new Map()), /forward/);
});

test('values leave with 6 significant digits; NaN is null', () => {
  assert.equal(round6(Math.fround(0.1)), 0.1);
  assert.equal(round6(123456789), 123457000);
  assert.equal(round6(NaN), null);
  assert.equal(round6(Infinity), null);
});

test('memory is bounded: 500 series over 3 hours of 1 s samples hold what 1 hour does', () => {
  const h = new MetricsHistory();
  const keys = Array.from({ length: 500 }, (_, i) => h.catalog.meta('messagesIn', { topic: 't', partition: i }).key);
  const values = new Map(keys.map((k, i) => [k, i]));
  const fill = (from: number, seconds: number) => {
    for (let s = 0; s < seconds; s++) h.append(T0 + (from + s) * 1000, values);
  };
  fill(0, 3600);
  const afterHour = h.bytes;
  const buffers = process.memoryUsage().arrayBuffers;
  fill(3600, 2 * 3600);
  assert.equal(h.bytes, afterHour);
  // (3600 + 1440) × 4 B per series plus the two 8 B time columns.
  assert.equal(afterHour, 500 * (3600 + 1440) * 4 + (3600 + 1440) * 8);
  assert.ok(process.memoryUsage().arrayBuffers - buffers < 1 << 20, 'no typed array allocated after the first hour');
  assert.equal(h.query('fine', 0, all).t.length, 3600);
  assert.equal(h.query('minute', 0, all).t.length, 179);
});
