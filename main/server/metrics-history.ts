// In-memory history of one cluster's series, in two fixed-size rings: every sample (1 s for the
// bundled cluster: 3 600 of them, the last hour) and one point per minute (1 440: the last
// 24 h), each a shared time column plus one Float32Array per series. Memory is bounded: a ring
// never grows, a series costs (3 600 + 1 440) × 4 B ≈ 20 KB, at most `maxSeries` series are kept
// (new ones beyond that are dropped and counted), and a series silent for 24 h is forgotten.
// A minute point is the mean of that minute's samples, or their peak for alarm-like metrics
// (METRIC_ROLLUP: latency tails, under-replicated, offline), and is written when the minute is
// over. NaN in a column is a gap. Float32 keeps 7 significant digits; values leave rounded to 6.
import { METRIC_ROLLUP, type Marker, type SeriesMeta } from '../contract/metrics.ts';
import { SeriesCatalog } from './metrics-points.ts';

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface HistoryOptions {
  fineCapacity?: number;
  minuteCapacity?: number;
  maxSeries?: number;
  maxMarkers?: number;
}

export type Resolution = 'fine' | 'minute';

export interface HistoryQuery {
  t: number[];
  series: { meta: SeriesMeta; v: (number | null)[] }[];
}

/** 6 significant digits: what a chart or a CSV needs, and a third of the JSON of a double. */
export const round6 = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);

class Ring {
  readonly t: Float64Array;
  readonly cols = new Map<string, Float32Array>();
  head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
  }

  push(t: number, values: Map<string, number>): void {
    const i = this.head;
    this.t[i] = t;
    for (const [key, col] of this.cols) col[i] = values.get(key) ?? NaN;
    this.head = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  add(key: string): void {
    this.cols.set(key, new Float32Array(this.capacity).fill(NaN));
  }

  /** Physical index of the j-th oldest point. */
  at(j: number): number {
    return (this.head - this.size + j + this.capacity) % this.capacity;
  }

  /** Logical index of the first point at or after `from`. */
  firstFrom(from: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[this.at(mid)] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get bytes(): number {
    let b = this.t.byteLength;
    for (const c of this.cols.values()) b += c.byteLength;
    return b;
  }
}

interface Rollup {
  sum: number;
  n: number;
  max: number;
}

export class MetricsHistory {
  readonly catalog = new SeriesCatalog();
  readonly #fine: Ring;
  readonly #minute: Ring;
  readonly #maxSeries: number;
  readonly #maxMarkers: number;
  readonly #lastSeen = new Map<string, number>();
  readonly #rollup = new Map<string, Rollup>();
  #currentMinute: number | null = null;
  #markers: Marker[] = [];
  #lastT = -Infinity;
  /** series refused because `maxSeries` were kept already */
  dropped = 0;

  constructor(opts: HistoryOptions = {}) {
    this.#fine = new Ring(opts.fineCapacity ?? 3600);
    this.#minute = new Ring(opts.minuteCapacity ?? 1440);
    this.#maxSeries = opts.maxSeries ?? 2000;
    this.#maxMarkers = opts.maxMarkers ?? 1000;
  }

  get seriesCount(): number {
    return this.#fine.cols.size;
  }

  /** Bytes held by the rings (time columns and every series). */
  get bytes(): number {
    return this.#fine.bytes + this.#minute.bytes;
  }

  get lastTime(): number | null {
    return this.#fine.size ? this.#lastT : null;
  }

  /**
   * Records one sample. Returns the series seen for the first time, and the minute point written
   * when `t` starts a new minute (for live views of the 24 h window).
   */
  append(t: number, values: Map<string, number>, markers: Marker[] = []): { added: SeriesMeta[]; minute: { t: number; values: Map<string, number> } | null } {
    if (!(t > this.#lastT)) throw new Error(`samples must move forward in time (${t} after ${this.#lastT})`);
    this.#lastT = t;
    const minuteOf = Math.floor(t / MINUTE_MS);
    const minute = this.#currentMinute !== null && minuteOf !== this.#currentMinute ? this.#closeMinute() : null;
    this.#currentMinute = minuteOf;
    const added: SeriesMeta[] = [];
    for (const [key, v] of values) {
      if (!this.#fine.cols.has(key)) {
        const meta = this.catalog.get(key);
        if (!meta) throw new Error(`unknown series ${key}`);
        if (this.#fine.cols.size >= this.#maxSeries) {
          this.dropped++;
          continue;
        }
        this.#fine.add(key);
        this.#minute.add(key);
        added.push(meta);
      }
      this.#lastSeen.set(key, t);
      const r = this.#rollup.get(key);
      if (r) {
        r.sum += v;
        r.n++;
        r.max = Math.max(r.max, v);
      } else this.#rollup.set(key, { sum: v, n: 1, max: v });
    }
    this.#fine.push(t, values);
    for (const m of markers) this.#markers.push(m);
    if (this.#markers.length > this.#maxMarkers) this.#markers = this.#markers.slice(-this.#maxMarkers);
    return { added, minute };
  }

  #closeMinute(): { t: number; values: Map<string, number> } {
    const t = this.#currentMinute! * MINUTE_MS;
    const values = new Map<string, number>();
    for (const [key, r] of this.#rollup) {
      const meta = this.catalog.get(key);
      values.set(key, meta && METRIC_ROLLUP[meta.metric] === 'max' ? r.max : r.sum / r.n);
    }
    this.#rollup.clear();
    this.#minute.push(t, values);
    this.#forgetSilent(t);
    return { t, values };
  }

  /** Series with no value for a day leave, so topics and groups that come and go cost nothing. */
  #forgetSilent(now: number): void {
    for (const [key, seen] of this.#lastSeen) {
      if (seen >= now - DAY_MS) continue;
      this.#lastSeen.delete(key);
      this.#fine.cols.delete(key);
      this.#minute.cols.delete(key);
      this.catalog.forget(key);
    }
    const keepFrom = now - DAY_MS;
    if (this.#markers.length && this.#markers[0].at < keepFrom) this.#markers = this.#markers.filter((m) => m.at >= keepFrom);
  }

  /** Points at or after `from` of the series that `match` and have a value there. */
  query(resolution: Resolution, from: number, match: (m: SeriesMeta) => boolean): HistoryQuery {
    const ring = resolution === 'fine' ? this.#fine : this.#minute;
    const start = ring.firstFrom(from);
    const idx: number[] = [];
    for (let j = start; j < ring.size; j++) idx.push(ring.at(j));
    const series: HistoryQuery['series'] = [];
    for (const [key, col] of ring.cols) {
      const meta = this.catalog.get(key);
      if (!meta || !match(meta)) continue;
      let any = false;
      const v = idx.map((i) => {
        const x = round6(col[i]);
        if (x !== null) any = true;
        return x;
      });
      if (any) series.push({ meta, v });
    }
    return { t: idx.map((i) => ring.t[i]), series };
  }

  markers(from: number, match: (m: Marker) => boolean): Marker[] {
    return this.#markers.filter((m) => m.at >= from && match(m));
  }
}
