// The points of one sampling tick: series key → value. Sources put values by metric and labels;
// the series' descriptions (SeriesMeta) are created once per series and shared by every tick.
// Non-finite values (a quantile of no requests, a rate over no time) are left out: a gap.
import { NO_LABELS, seriesKey, type Marker, type Metric, type SeriesLabels, type SeriesMeta } from '../contract/metrics.ts';

export class SeriesCatalog {
  readonly #metas = new Map<string, SeriesMeta>();

  meta(metric: Metric, labels: Partial<SeriesLabels>): SeriesMeta {
    const l = { ...NO_LABELS, ...labels };
    const key = seriesKey(metric, l);
    let m = this.#metas.get(key);
    if (!m) this.#metas.set(key, (m = { key, metric, ...l }));
    return m;
  }

  get(key: string): SeriesMeta | undefined {
    return this.#metas.get(key);
  }

  forget(key: string): void {
    this.#metas.delete(key);
  }
}

export class TickPoints {
  readonly values = new Map<string, number>();
  readonly markers: Marker[] = [];

  constructor(readonly catalog: SeriesCatalog) {}

  put(metric: Metric, labels: Partial<SeriesLabels>, v: number | null | undefined): void {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    this.values.set(this.catalog.meta(metric, labels).key, v);
  }

  /** Adds v to the series' value in this tick (sums over partitions or nodes). */
  add(metric: Metric, labels: Partial<SeriesLabels>, v: number): void {
    if (!Number.isFinite(v)) return;
    const key = this.catalog.meta(metric, labels).key;
    this.values.set(key, (this.values.get(key) ?? 0) + v);
  }
}
