import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { chartRows, seriesKey, type ChartRow } from './downsample.ts';

const HOUR = 3_600_000;
const seconds = (n: number, from = 1_700_000_000_000) => Array.from({ length: n }, (_, i) => from + i * 1000);
const col = (rows: ChartRow[], j: number) => rows.map((r) => r[seriesKey(j)]);

test('short windows pass through unchanged: one exact row per sample', () => {
  const t = seconds(5);
  const rows = chartRows(t, [[1, 2, null, 4, 5]], 600, 300_000);
  assert.deepEqual(
    rows,
    t.map((at, i) => ({ t: at, from: at, to: at, s0: [1, 2, null, 4, 5][i] })),
  );
});

test('an hour of points at 600 px: at most 600 rows, first and last sample kept exactly, a 1 s spike and a 1 s dip still drawn', () => {
  const t = seconds(3600);
  const v = t.map((_, i) => 100 + (i % 7));
  v[1234] = 10_000;
  v[2345] = -50;
  const other = t.map((_, i) => i);
  const rows = chartRows(t, [v, other], 600, HOUR);
  assert.ok(rows.length <= 600, `${rows.length} rows`);
  assert.ok(rows.length >= 500, `${rows.length} rows: the width should be used`);
  assert.deepEqual(rows[0], { t: t[0], from: t[0], to: t[0], s0: v[0], s1: 0 });
  assert.deepEqual(rows.at(-1), { t: t[3599], from: t[3599], to: t[3599], s0: v[3599], s1: 3599 });
  assert.equal(Math.max(...col(rows, 0).map(Number)), 10_000);
  assert.equal(Math.min(...col(rows, 0).map(Number)), -50);
  const spike = rows.find((r) => r.s0 === 10_000)!;
  assert.ok(spike.from <= t[1234] && t[1234] <= spike.to, 'the row says which samples it stands for');
  // Every value drawn is a sample of that series within the row's span: no averages.
  for (const r of rows) {
    const inSpan = t.flatMap((at, i) => (at >= r.from && at <= r.to ? [i] : []));
    assert.ok(inSpan.some((i) => v[i] === r.s0) && inSpan.some((i) => other[i] === r.s1));
  }
  assert.deepEqual(
    rows.map((r) => r.t),
    [...rows.map((r) => r.t)].sort((a, b) => a - b),
    'rows in time order',
  );
});

test('buckets are aligned to time: after one more second, the complete buckets are the same rows', () => {
  const t = seconds(3601);
  const v = t.map((_, i) => Math.sin(i / 5) * 100 + (i % 13));
  const before = chartRows(t.slice(0, 3600), [v.slice(0, 3600)], 600, HOUR);
  const after = chartRows(t.slice(1), [v.slice(1)], 600, HOUR);
  // Apart from the edges (the first/last rows and the buckets beside them) nothing moved.
  const inner = (rows: ChartRow[]) => rows.slice(3, -3).map((r) => JSON.stringify(r));
  const same = new Set(inner(after));
  const kept = inner(before).filter((r) => same.has(r)).length;
  assert.ok(kept >= inner(before).length - 2, `${kept} of ${inner(before).length} rows unchanged`);
});

test('a gap of one sample in a long window still breaks the line; an empty bucket is null', () => {
  const t = seconds(3600);
  const v: (number | null)[] = t.map(() => 5);
  v[1800] = null;
  for (let i = 3000; i < 3100; i++) v[i] = null;
  const rows = chartRows(t, [v], 600, HOUR);
  const nullAt = rows.filter((r) => r.s0 === null);
  assert.ok(
    nullAt.some((r) => r.from <= t[1800] && t[1800] <= r.to),
    'the one-second gap is a break',
  );
  assert.ok(
    nullAt.filter((r) => r.from >= t[3000] && r.to < t[3100]).length >= 10,
    'the 100 s outage is a run of nulls',
  );
});

test('property: rows never exceed the limit, start and end on the first and last sample, keep each series extremes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 8, max: 1200 }),
      fc.array(fc.oneof(fc.constant(null), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
        minLength: 1,
        maxLength: 5000,
      }),
      fc.integer({ min: 1, max: 3 }),
      (n, width, raw, step) => {
        const t = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * step * 1000);
        const v = t.map((_, i) => raw[i % raw.length]);
        const rows = chartRows(t, [v], width, t[n - 1] - t[0]);
        assert.ok(rows.length <= Math.max(8, width));
        assert.equal(rows[0].t, t[0]);
        assert.equal(rows.at(-1)!.t, t[n - 1]);
        assert.equal(rows[0].s0, v[0]);
        assert.equal(rows.at(-1)!.s0, v[n - 1]);
        const values = v.filter((x): x is number => x !== null);
        const drawn = col(rows, 0).filter((x): x is number => x !== null);
        if (values.length) assert.equal(Math.max(...drawn), Math.max(...values));
      },
    ),
    { numRuns: 200 },
  );
});
