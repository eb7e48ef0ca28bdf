// The request-time histogram: bucket placement (upper bounds inclusive, as Prometheus' `le`),
// cumulative counts, and quantiles computed as histogram_quantile() does, checked on hand-made
// cases and, with fast-check, against the true quantile of random samples.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bucketQuantile, Histogram, LATENCY_BUCKETS_MS } from './histogram.ts';

test('a value lands in the first bucket whose bound is >= it; larger ones in +Inf', () => {
  const h = new Histogram([1, 2, 5]);
  for (const v of [0, 1, 1.0001, 2, 4.9, 5, 5.0001, 1e9]) h.observe(v);
  assert.deepEqual([...h.counts], [2, 2, 2, 2]);
  assert.deepEqual(h.cumulative(), [2, 4, 6, 8]);
  assert.equal(h.count, 8);
  assert.equal(h.sum, 0 + 1 + 1.0001 + 2 + 4.9 + 5 + 5.0001 + 1e9);
});

test('bounds must increase', () => {
  assert.throws(() => new Histogram([1, 1, 2]), /must increase/);
  assert.throws(() => new Histogram([2, 1]), /must increase/);
});

test('the latency buckets span 50 µs to 1 min with neighbours at most 1.67x apart', () => {
  assert.equal(LATENCY_BUCKETS_MS[0], 0.05);
  assert.equal(LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1], 60000);
  for (let i = 1; i < LATENCY_BUCKETS_MS.length - 1; i++)
    assert.ok(LATENCY_BUCKETS_MS[i] / LATENCY_BUCKETS_MS[i - 1] <= 1.67);
});

test('quantiles interpolate linearly inside the bucket, like histogram_quantile()', () => {
  // 100 observations: 50 in (0,10], 40 in (10,20], 10 in (20,40]
  const bounds = [10, 20, 40];
  const cum = [50, 90, 100, 100];
  assert.equal(bucketQuantile(0.5, bounds, cum), 10); // rank 50: the top of the first bucket
  assert.equal(bucketQuantile(0.25, bounds, cum), 5); // rank 25 of 50 in [0,10]
  assert.equal(bucketQuantile(0.7, bounds, cum), 15); // rank 70: 20 of 40 into (10,20]
  assert.equal(bucketQuantile(0.95, bounds, cum), 30);
  assert.equal(bucketQuantile(1, bounds, cum), 40);
});

test('a rank in the +Inf bucket gives the largest finite bound; empty gives NaN; q outside [0,1] gives ±Inf', () => {
  assert.equal(bucketQuantile(0.99, [1, 2], [1, 2, 100]), 2);
  assert.ok(Number.isNaN(bucketQuantile(0.5, [1, 2], [0, 0, 0])));
  assert.ok(Number.isNaN(new Histogram().quantile(0.99)));
  assert.equal(bucketQuantile(-0.1, [1], [1, 1]), -Infinity);
  assert.equal(bucketQuantile(1.1, [1], [1, 1]), Infinity);
  assert.throws(() => bucketQuantile(0.5, [1, 2], [1, 2]), /one cumulative count per bound/);
});

test('p50, p99 and p999 of random request times fall in the bucket of the true quantile', () => {
  const ms = fc.double({ min: 0.001, max: 59000, noNaN: true });
  fc.assert(
    fc.property(
      fc.array(ms, { minLength: 1, maxLength: 2000 }),
      fc.constantFrom(0.5, 0.9, 0.99, 0.999),
      (values, q) => {
        const h = new Histogram();
        for (const v of values) h.observe(v);
        const sorted = [...values].sort((a, b) => a - b);
        // The true quantile as Prometheus ranks it: the ceil(q*n)-th smallest observation.
        const truth = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
        const i = LATENCY_BUCKETS_MS.findIndex((b) => b >= truth);
        const lower = i <= 0 ? 0 : LATENCY_BUCKETS_MS[i - 1];
        const upper = LATENCY_BUCKETS_MS[i];
        const est = h.quantile(q);
        assert.ok(
          est >= lower && est <= upper,
          `q=${q}: estimate ${est} outside (${lower}, ${upper}] of true ${truth}`,
        );
      },
    ),
    { numRuns: 300 },
  );
});
