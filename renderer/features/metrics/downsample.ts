// The rows a live chart hands to recharts: never more than the chart has pixels. recharts does
// work per data row in every render (its store copies and freezes the rows, every series walks
// them, a number x axis treats each row's time as a tick candidate), so an hour of 1 s points
// redrawn every second blocks the main thread for hundreds of ms. Below one row per pixel the
// picture cannot change, so the window is cut into buckets of time two pixels wide and each
// series keeps its lowest and its highest value in each bucket, in the order they happened: a
// one-second spike still reaches its height, and every drawn value is a real sample, never an
// average. Buckets are aligned to absolute time (multiples of the bucket's length), so a bucket
// that is complete holds the same points on every tick and the line does not shimmer as the
// window slides; only the newest bucket changes. The first and the last sample are always rows
// of their own (the live edge shows the newest value, not a bucket's). A gap (null) inside a
// bucket keeps a break in the line there: the series' peak of the bucket is drawn on the side
// that has values and the other row is null. Short windows (fewer points than the limit) pass
// through unchanged.

/** One row for recharts: `t` the x position; `from`..`to` the sample times the row stands for. */
export interface ChartRow {
  t: number;
  from: number;
  to: number;
  [series: string]: number | null;
}

/** Series j is the row key `s<j>`. */
export const seriesKey = (j: number) => `s${j}`;

function exactRow(t: number[], series: (number | null)[][], i: number): ChartRow {
  const row: ChartRow = { t: t[i], from: t[i], to: t[i] };
  series.forEach((v, j) => (row[seriesKey(j)] = v[i] ?? null));
  return row;
}

/** Buckets of [a, b): the two rows standing for it, each series' extremes in time order. */
function bucketRows(t: number[], series: (number | null)[][], a: number, b: number, out: ChartRow[]): void {
  if (b - a === 1) {
    out.push(exactRow(t, series, a));
    return;
  }
  const first: ChartRow = { t: t[a], from: t[a], to: t[b - 1] };
  const second: ChartRow = { t: t[b - 1], from: t[a], to: t[b - 1] };
  series.forEach((v, j) => {
    let lo = -1;
    let hi = -1;
    let gap = false;
    for (let i = a; i < b; i++) {
      const x = v[i];
      if (x === null || x === undefined) {
        gap = true;
        continue;
      }
      if (lo < 0 || x < v[lo]!) lo = i;
      if (hi < 0 || x > v[hi]!) hi = i;
    }
    const key = seriesKey(j);
    if (hi < 0) {
      first[key] = second[key] = null;
    } else if (gap) {
      const startsWithValue = v[a] !== null && v[a] !== undefined;
      first[key] = startsWithValue ? v[hi]! : null;
      second[key] = startsWithValue ? null : v[hi]!;
    } else {
      first[key] = v[Math.min(lo, hi)]!;
      second[key] = v[Math.max(lo, hi)]!;
    }
  });
  out.push(first, second);
}

/**
 * Rows for `series` (each one value per time of `t`, oldest first) with at most `maxRows` rows
 * (at least 8 is honoured); `spanMs` is the chart's window, which fixes the bucket length so
 * it stays the same from tick to tick.
 */
export function chartRows(t: number[], series: (number | null)[][], maxRows: number, spanMs: number): ChartRow[] {
  const n = t.length;
  const limit = Math.max(8, Math.floor(maxRows));
  if (n <= limit) return t.map((_, i) => exactRow(t, series, i));
  // Two rows per bucket, two rows for first and last, and one bucket for alignment's spill.
  const buckets = Math.floor((limit - 2) / 2) - 1;
  const bucketMs = Math.max(1, Math.ceil(Math.max(spanMs, t[n - 1] - t[0]) / buckets));
  const out: ChartRow[] = [exactRow(t, series, 0)];
  let a = 1;
  while (a < n - 1) {
    const bucket = Math.floor(t[a] / bucketMs);
    let b = a + 1;
    while (b < n - 1 && Math.floor(t[b] / bucketMs) === bucket) b++;
    bucketRows(t, series, a, b, out);
    a = b;
  }
  out.push(exactRow(t, series, n - 1));
  return out;
}
