// One cluster's collector: a tick on every multiple of the sampler's interval (1 s for the
// bundled nodes), the sampler's points into the history, and each tick to the live listeners
// (the WebSocket subscriptions). A tick whose sample is still running when the next is due is
// skipped rather than queued, so a slow cluster never piles up requests; a failing sample is a
// gap in every series, logged once per distinct reason, and never stops the collector.
import { MINUTE_MS, MetricsHistory, round6, type HistoryOptions } from './metrics-history.ts';
import {
  windowResolution,
  WINDOW_MS,
  type Marker,
  type MetricsHistory as HistoryResponse,
  type MetricsSample,
  type MetricsWindow,
  type SeriesMeta,
} from '../contract/metrics.ts';
import type { MetricsSampler } from './metrics-node-source.ts';
import { TickPoints } from './metrics-points.ts';
import type { ViewFilter } from './metrics-views.ts';

export interface Tick {
  t: number;
  values: Map<string, number>;
  markers: Marker[];
  /** the minute point closed by this tick, if any */
  minute: { t: number; values: Map<string, number> } | null;
}

export interface CollectorOptions {
  history?: HistoryOptions;
  log?: (line: string) => void;
  now?: () => number;
}

export class MetricsCollector {
  readonly history: MetricsHistory;
  readonly #listeners = new Set<(t: Tick) => void>();
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  #closed = false;
  #lastError = '';
  /** markers from outside the sampler (the cluster's event timeline), drawn with the next tick */
  #pending: Marker[] = [];
  /** ticks skipped because the previous sample was still running */
  skipped = 0;
  #latest: Tick | null = null;

  constructor(
    readonly sampler: MetricsSampler,
    opts: CollectorOptions = {},
  ) {
    this.history = new MetricsHistory(opts.history);
    this.#log = opts.log ?? (() => {});
    this.#now = opts.now ?? Date.now;
  }

  start(): this {
    this.#schedule();
    return this;
  }

  #schedule(): void {
    if (this.#closed) return;
    const step = this.sampler.intervalMs;
    const now = this.#now();
    const next = Math.floor(now / step) * step + step;
    this.#timer = setTimeout(() => {
      this.#schedule();
      void this.tick(next);
    }, next - now);
    this.#timer.unref?.();
  }

  /** Samples once for time `t` (the scheduler calls it; tests may too). */
  async tick(t: number): Promise<Tick | null> {
    if (this.#busy) {
      this.skipped++;
      return null;
    }
    this.#busy = true;
    try {
      const points = new TickPoints(this.history.catalog);
      try {
        await this.sampler.sample(t, points);
        this.#lastError = '';
      } catch (e) {
        const msg = (e as Error).message;
        if (msg !== this.#lastError) this.#log(`metrics: sampling failed: ${msg}`);
        this.#lastError = msg;
      }
      if (this.#closed || t <= (this.history.lastTime ?? -Infinity)) return null;
      points.markers.push(...this.#pending.splice(0));
      const { minute } = this.history.append(t, points.values, points.markers);
      const tick: Tick = { t, values: points.values, markers: points.markers, minute };
      this.#latest = tick;
      for (const l of this.#listeners) l(tick);
      return tick;
    } finally {
      this.#busy = false;
    }
  }

  /** Markers known elsewhere (a leader change in the metadata log): they go out with the next tick. */
  addMarkers(markers: Marker[]): void {
    this.#pending.push(...markers);
  }

  /** The last tick's values with their series (the metrics demo workload publishes them); null before the first. */
  latest(): { t: number; source: MetricsSampler['source']; series: { meta: SeriesMeta; v: number }[] } | null {
    const tick = this.#latest;
    if (!tick) return null;
    const series = [...tick.values].flatMap(([key, v]) => {
      const meta = this.history.catalog.get(key);
      return meta ? [{ meta, v }] : [];
    });
    return { t: tick.t, source: this.sampler.source, series };
  }

  subscribe(listener: (t: Tick) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The history a view shows for a window, ending now. */
  snapshot(window: MetricsWindow, filter: ViewFilter): HistoryResponse {
    const resolution = windowResolution(window);
    const from = (this.history.lastTime ?? this.#now()) - WINDOW_MS[window];
    const q = this.history.query(resolution, from, filter.series);
    return {
      source: this.sampler.source,
      stepMs: resolution === 'minute' ? MINUTE_MS : this.sampler.intervalMs,
      t: q.t,
      series: q.series.map(({ meta, v }) => ({ ...meta, v })),
      markers: this.history.markers(from, filter.marker),
    };
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#listeners.clear();
    this.sampler.close();
  }
}

/**
 * A tick as one view of one window sees it: the fine point for windows up to an hour, the
 * closed minute for the 24 h window (a tick that closed none sends only its markers, if any).
 * `known`: the series the subscriber has been described already; the others come with their
 * description, once.
 */
export function viewSample(
  tick: Tick,
  window: MetricsWindow,
  filter: ViewFilter,
  catalog: (key: string) => SeriesMeta | undefined,
  known: Set<string>,
): MetricsSample | null {
  const markers = tick.markers.filter(filter.marker);
  const point = windowResolution(window) === 'minute' ? tick.minute : tick;
  if (!point) return markers.length ? { t: null, values: [], added: [], markers } : null;
  const values: [string, number | null][] = [];
  const added: SeriesMeta[] = [];
  for (const [key, v] of point.values) {
    const meta = catalog(key);
    if (!meta || !filter.series(meta)) continue;
    if (!known.has(key)) {
      known.add(key);
      added.push(meta);
    }
    values.push([key, round6(v)]);
  }
  return { t: point.t, values, added, markers };
}
