import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bucketQuantile } from '../../broker/metrics/histogram.ts';
import { seriesKey, NO_LABELS, type Metric, type SeriesLabels } from '../contract/metrics.ts';
import { DOWN_AFTER, histogramDelta, increase, interval, NodeMetricsDeriver, type NodeSample } from './metrics-node-derive.ts';
import { readNode, type NodeReading } from './metrics-node-reading.ts';
import { SeriesCatalog, TickPoints } from './metrics-points.ts';
import { parsePromText } from './metrics-prom-text.ts';

const reading = (tag: 'a' | 'b', node: number): NodeReading =>
  readNode(parsePromText(readFileSync(new URL(`./metrics-testdata/${tag}-node-${node}.prom`, import.meta.url), 'utf8')).samples);

const NODES = [1, 2, 3];
const A = NODES.map((n) => reading('a', n));
const B = NODES.map((n) => reading('b', n));
const samples = (rs: (NodeReading | null)[]): NodeSample[] => rs.map((reading, i) => ({ node: i + 1, reading }));

function tick(d: NodeMetricsDeriver, t: number, rs: (NodeReading | null)[]) {
  const points = new TickPoints(new SeriesCatalog());
  d.derive(t, samples(rs), points);
  const get = (metric: Metric, l: Partial<SeriesLabels> = {}) => points.values.get(seriesKey(metric, { ...NO_LABELS, ...l }));
  return { points, get };
}

test('the fixture readings: what each node led, committed and measured', () => {
  assert.equal(A[2].leaderHighWatermark.get('web.clicks:0'), 86);
  assert.equal(B[2].leaderHighWatermark.get('web.clicks:0'), 128);
  assert.equal(A[0].leaderHighWatermark.has('web.clicks:0'), false, 'a follower has no leader high watermark');
  assert.deepEqual([...B[1].committed.get('billing')!], [
    ['web.clicks:0', 63],
    ['web.clicks:1', 57],
  ]);
  assert.equal(B[1].generation.get('billing'), 2);
  assert.ok(B[0].produceTime && B[0].produceTime.bounds.length === B[0].produceTime.cumulative.length - 1);
  assert.ok(B[0].uptime! > A[0].uptime!);
  assert.ok(B[0].gauges.rss! > 10e6 && B[0].gauges.leaders! >= 1);
});

test('rates between two real scrapes: the 100 records and their bytes, per partition and for the cluster', () => {
  const d = new NodeMetricsDeriver();
  const first = tick(d, 1000, A);
  assert.equal(first.get('messagesIn'), undefined, 'no rate from a single scrape');
  assert.equal(first.get('rss', { node: 1 }), A[0].gauges.rss, 'levels come at once');
  const { get } = tick(d, 2000, B);
  const dt = NODES.map(() => 1); // the ticks are 1 s apart
  // Each partition is counted by its leader: node 3 leads p0, node 1 p1, node 2 p2.
  const leaderOf = [3, 1, 2];
  const hwGrowth = [128 - 86, 86 - 57, 86 - 57];
  const sizeGrowth = [2400 - 1583, 1638 - 1055, 1640 - 1057];
  let messages = 0;
  let bytes = 0;
  for (let p = 0; p < 3; p++) {
    const secs = dt[leaderOf[p] - 1];
    const m = get('messagesIn', { topic: 'web.clicks', partition: p })! * secs;
    const b = get('bytesIn', { topic: 'web.clicks', partition: p })! * secs;
    assert.ok(Math.abs(m - hwGrowth[p]) < 1e-6, `p${p}: ${m} messages, expected ${hwGrowth[p]}`);
    assert.ok(Math.abs(b - sizeGrowth[p]) < 1e-6, `p${p}: ${b} bytes, expected the log growth ${sizeGrowth[p]}`);
    messages += m;
    bytes += b;
  }
  assert.ok(Math.abs(messages - 100) < 1e-6);
  const clusterMessages = NODES.reduce((s, n, i) => s + get('messagesIn', { node: n })! * dt[i], 0);
  assert.ok(Math.abs(clusterMessages - 100) < 1e-6);
  const clusterRate = get('messagesIn')!;
  assert.ok(Math.abs(clusterRate - NODES.reduce((s, n) => s + get('messagesIn', { node: n })!, 0)) < 1e-9);
  assert.ok(Math.abs(get('bytesIn', { topic: 'web.clicks' })! - sizeGrowth.reduce((s, x, p) => s + x / dt[leaderOf[p] - 1], 0)) < 1e-6);
  assert.ok(bytes > 100 * 'click-200'.length, 'bytes cover at least the values');
  assert.equal(get('messagesIn', { topic: '__consumer_offsets', partition: 0 }), undefined, 'internal partitions are summed per topic only');
  assert.ok(get('messagesIn', { topic: '__consumer_offsets' }) !== undefined);

  // Lag: the leader's high watermark − the coordinator's committed offset.
  assert.equal(get('lag', { group: 'billing', topic: 'web.clicks', partition: 0 }), 128 - 63);
  assert.equal(get('lag', { group: 'billing', topic: 'web.clicks', partition: 1 }), 86 - 57);
  assert.equal(get('lag', { group: 'billing', topic: 'web.clicks', partition: 2 }), undefined, 'nothing committed there');
  assert.equal(get('lag', { group: 'billing' }), 128 - 63 + 86 - 57);
  assert.equal(get('consumeRate', { group: 'billing' }), 0, 'nothing was committed between the scrapes');

  // CPU in % of one core, requests per second.
  const cpu = get('cpu', { node: 1 })!;
  assert.ok(Math.abs(cpu - 100 * (B[0].cpuSeconds! - A[0].cpuSeconds!)) < 1e-9);
  assert.ok(get('requests', { node: 1 })! > 0);
  assert.equal(get('underReplicated'), 0);
  assert.equal(get('offline'), 0);
  assert.equal(get('diskBytes', { node: 3 }), B[2].diskBytes);
});

test('produce latency quantiles come from the bucket deltas summed over the nodes', () => {
  const d = new NodeMetricsDeriver();
  tick(d, 1000, A);
  const { get } = tick(d, 2000, B);
  const bounds = B[0].produceTime!.bounds;
  const sum = bounds.map(() => 0).concat(0);
  for (let i = 0; i < 3; i++) B[i].produceTime!.cumulative.forEach((c, j) => (sum[j] += c - A[i].produceTime!.cumulative[j]));
  assert.equal(sum.at(-1), 3, 'one Produce request per leader between the scrapes');
  for (const [q, m] of [
    [0.5, 'produceP50'],
    [0.99, 'produceP99'],
    [0.999, 'produceP999'],
  ] as const) {
    assert.equal(get(m), bucketQuantile(q, bounds, sum));
    assert.ok(get(m)! > 0);
  }
  assert.equal(get('fetchP99'), undefined, 'no consumer fetch in the interval: a gap, not 0');
  const one = B[0].produceTime!.cumulative.map((c, j) => c - A[0].produceTime!.cumulative[j]);
  assert.equal(get('produceP99', { node: 1 }), bucketQuantile(0.99, bounds, one));
});

test('a node that does not answer is a gap; its next rate covers the whole interval', () => {
  const d = new NodeMetricsDeriver();
  tick(d, 1000, A);
  const missed = tick(d, 2000, [B[0], null, B[2]]);
  assert.equal(missed.get('messagesIn', { node: 2 }), undefined);
  assert.equal(missed.get('rss', { node: 2 }), undefined);
  assert.ok(Math.abs(missed.get('messagesIn')! - (missed.get('messagesIn', { node: 1 })! + missed.get('messagesIn', { node: 3 })!)) < 1e-9);
  // Node 2 answers one tick later with the same reading B: its rate is over A→B on its clock.
  const later = tick(d, 3000, [null, B[1], null]);
  assert.ok(Math.abs(later.get('messagesIn', { topic: 'web.clicks', partition: 2 })! * 2 - 29) < 1e-6, 'averaged over the 2 s since its last reading');
});

test('node down / up markers: down after 2 refused connections or 5 misses in a row, marked at the first miss; up at its next answer', () => {
  const d = new NodeMetricsDeriver();
  assert.deepEqual(DOWN_AFTER, { refused: 2, any: 5 });
  const refused = { node: 2, reading: null, refused: true };
  const slow = { node: 2, reading: null };
  const at = (t: number, two: NodeSample, others = true) => {
    const points = new TickPoints(new SeriesCatalog());
    d.derive(t, [{ node: 1, reading: A[0] }, two, { node: 3, reading: others ? A[2] : null }], points);
    return points.markers.map((m) => [m.at, m.kind, m.node]);
  };
  assert.deepEqual(at(1000, { node: 2, reading: A[1] }, false), [], 'no marker for first answers, nor for a node never seen up');
  assert.deepEqual(at(2000, refused), [], 'one refused connection is not an outage yet');
  assert.deepEqual(at(3000, { node: 2, reading: A[1] }), [], 'nor is it after an answer');
  for (const t of [4000, 5000, 6000, 7000]) assert.deepEqual(at(t, slow), [], `slow answers are not an outage (${t})`);
  assert.deepEqual(at(8000, slow), [[4000, 'node-down', 2]], 'the fifth miss in a row is, from the first');
  assert.deepEqual(at(9000, { node: 2, reading: A[1] }), [[9000, 'node-up', 2]]);
  at(10000, refused);
  assert.deepEqual(at(11000, refused), [[10000, 'node-down', 2]], 'a second refusal: nothing listens');
  assert.deepEqual(at(12000, refused), [], 'marked once');
});

test('a restarted node counts from zero: its first scrape after the restart already has a rate', () => {
  const d = new NodeMetricsDeriver();
  tick(d, 1000, A);
  tick(d, 2000, B);
  // Node 3 restarted 2 s before this scrape: fresh counters, a new start time, a small uptime.
  const restarted: NodeReading = {
    ...B[2],
    uptime: 2,
    startTime: B[2].startTime! + 60,
    messagesIn: new Map([['web.clicks:0', 10]]),
    bytesIn: new Map([['web.clicks:0', 500]]),
    cpuSeconds: 1,
  };
  const idle = { ...B[0], uptime: B[0].uptime! + 28 };
  const { get } = tick(d, 30_000, [idle, null, restarted]);
  assert.equal(get('messagesIn', { node: 3 }), 5);
  assert.equal(get('bytesIn', { topic: 'web.clicks', partition: 0 }), 250);
  assert.equal(get('cpu', { node: 3 }), 50);
  assert.equal(get('messagesIn', { node: 1 }), 0, 'a node that did nothing has rate 0, not a gap');
});

test('interval, increase and histogram deltas', () => {
  const r = (uptime: number | null, startTime: number | null): NodeReading => ({ ...A[0], uptime, startTime });
  assert.deepEqual(interval(r(10, 100), r(11.5, 100), 0, 1000), { dt: 1, restarted: false }, 'the ticks\' interval, not the scrapes\'');
  assert.deepEqual(interval(r(10, 100), r(11.5, 100), 0, 2000), { dt: 2, restarted: false }, 'a missed tick');
  assert.deepEqual(interval(r(10, 100), r(3, 100), 0, 30_000), { dt: 3, restarted: true }, 'counted since the restart');
  assert.deepEqual(interval(r(10, 100), r(0.4, 100), 0, 30_000), { dt: 1, restarted: true }, 'over at least one step');
  assert.deepEqual(interval(r(10, 100), r(30, 160), 0, 20_000), { dt: 20, restarted: true }, 'a new start time is a restart even with a larger uptime');
  assert.deepEqual(interval(r(null, null), r(null, null), 1000, 3000), { dt: 2, restarted: false });
  assert.equal(interval(r(10, 100), r(11, 100), 1000, 1000), null);
  assert.equal(increase(5, 8, false), 3);
  assert.equal(increase(undefined, 8, false), 8, 'a counter born in the interval');
  assert.equal(increase(9, 4, false), 4, 'a counter that went down was reset');
  assert.equal(increase(2, 8, true), 8);
  const h = (cumulative: number[]) => ({ bounds: [1, 2], cumulative });
  assert.deepEqual(histogramDelta(h([1, 3, 4]), h([2, 5, 7]), false), [1, 2, 3]);
  assert.deepEqual(histogramDelta(h([1, 3, 4]), h([0, 1, 1]), false), [0, 1, 1], 'reset');
  assert.deepEqual(histogramDelta(null, h([0, 1, 1]), false), [0, 1, 1]);
  assert.equal(histogramDelta({ bounds: [1, 3], cumulative: [0, 0, 0] }, h([0, 1, 1]), false), null, 'other buckets');
});

test('a generation that moves is a rebalance marker; consumption is the committed offsets moving', () => {
  const d = new NodeMetricsDeriver();
  tick(d, 1000, A);
  const moved: NodeReading = {
    ...B[1],
    generation: new Map([['billing', 3]]),
    committed: new Map([['billing', new Map([['web.clicks:0', 83], ['web.clicks:1', 57]])]]),
  };
  const { points, get } = tick(d, 3000, [B[0], moved, B[2]]);
  assert.deepEqual(points.markers, [{ at: 3000, kind: 'rebalance', label: 'Rebalance of billing (generation 3)', node: null, group: 'billing' }]);
  assert.equal(get('consumeRate', { group: 'billing' }), 10, '20 records in 2 s');
});
