// A fixed-bucket histogram for the hot path: observe() is a binary search over the bounds and
// two additions, with no allocation, so it can run once per request. The bucket layout is the
// Prometheus one (cumulative `le` buckets on exposition, +Inf last), and quantile() estimates a
// quantile from the buckets exactly as Prometheus' histogram_quantile() does, so a quantile read
// here (tests, the console collector) agrees with the one a Prometheus server would compute
// (except that an empty bucket yields its bound where Prometheus would divide 0 by 0).
// Kafka's own request timers are Yammer histograms exposing 50th/99th/999th percentiles; a
// Prometheus histogram carries the same information in a form that can be aggregated and rated.

/**
 * Request time buckets in ms (Kafka's TotalTimeMs unit): 1-1.5-2-3-5-7.5 per decade from 50 µs
 * to 1 min, so adjacent bounds differ by at most 1.67x and p99/p999 interpolate within that.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500,
  750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
];

export class Histogram {
  /** counts[i] = observations in (bounds[i-1], bounds[i]]; the last slot is (last bound, +Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[] = LATENCY_BUCKETS_MS) {
    for (let i = 1; i < bounds.length; i++)
      if (!(bounds[i] > bounds[i - 1]))
        throw new Error(`histogram bounds must increase: ${bounds[i - 1]}, ${bounds[i]}`);
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length; // first index whose bound >= v, or b.length for +Inf
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    this.counts[lo]++;
    this.sum += v;
    this.count++;
  }

  /** Cumulative counts per bound, +Inf last (what the `_bucket` series carry). */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (const c of this.counts) out.push((acc += c));
    return out;
  }

  quantile(q: number): number {
    return bucketQuantile(q, this.bounds, this.cumulative());
  }
}

/**
 * Prometheus' histogram_quantile(): `cumulative` has one count per bound plus +Inf last. The
 * rank q*count is located in its bucket and interpolated linearly inside it (the first bucket
 * starts at 0); a rank in the +Inf bucket yields the largest finite bound. NaN when empty.
 */
export function bucketQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number {
  if (cumulative.length !== bounds.length + 1) throw new Error('one cumulative count per bound plus +Inf expected');
  const total = cumulative[cumulative.length - 1];
  if (!(total > 0) || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  let i = 0;
  while (i < bounds.length && cumulative[i] < rank) i++;
  if (i === bounds.length) return bounds[bounds.length - 1];
  if (i === 0 && bounds[0] <= 0) return bounds[0];
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  const inBucket = cumulative[i] - below;
  if (inBucket === 0) return bounds[i];
  return lower + (bounds[i] - lower) * ((rank - below) / inBucket);
}
