// A view's live metrics: subscribes over the stream socket (its first answer is the window's
// history, kept by the console server, so a reload shows the past at once), appends one point
// per sample and drops points older than the window. Paused, the charts keep the picture they
// had while samples still arrive underneath, so resuming shows the present with no hole.
import { useEffect, useRef, useState } from 'react';
import { WINDOW_MS, type Marker, type MetricsSource, type MetricsView, type MetricsSample, type MetricsWindow, type SeriesMeta } from '../../../main/contract/index.ts';
import { stream } from '../../api/stream.ts';

export interface MetricsSeries {
  meta: SeriesMeta;
  v: (number | null)[];
}

export interface MetricsData {
  source: MetricsSource | null;
  stepMs: number;
  /** point times, oldest first; every series has one value per time */
  t: number[];
  series: Map<string, MetricsSeries>;
  markers: Marker[];
  /** null until the first history arrived */
  loadedAt: number | null;
  error: string | null;
}

const empty = (): MetricsData => ({ source: null, stepMs: 1000, t: [], series: new Map(), markers: [], loadedAt: null, error: null });

export interface ViewQuery {
  view: MetricsView;
  topic?: string | null;
  group?: string | null;
  window: MetricsWindow;
}

/** Drops what fell out of the window (the newest point's time − the window). */
function trim(d: MetricsData, window: MetricsWindow): MetricsData {
  const last = d.t.at(-1);
  if (last === undefined) return d;
  const from = last - WINDOW_MS[window];
  let drop = 0;
  while (drop < d.t.length && d.t[drop] < from) drop++;
  if (drop === 0) return d;
  const series = new Map([...d.series].map(([k, s]) => [k, { meta: s.meta, v: s.v.slice(drop) }]));
  // The same markers array while none fell out: the charts' marker lines then stay as they are.
  const markers = d.markers.some((m) => m.at < from) ? d.markers.filter((m) => m.at >= from) : d.markers;
  return { ...d, t: d.t.slice(drop), series, markers };
}

/** The data after one sample: new objects throughout, so a paused chart keeps its old ones. */
function applySample(d: MetricsData, m: MetricsSample, window: MetricsWindow): MetricsData {
  const series = new Map(d.series);
  for (const meta of m.added) if (!series.has(meta.key)) series.set(meta.key, { meta, v: d.t.map(() => null) });
  let t = d.t;
  if (m.t !== null) {
    const values = new Map(m.values);
    t = [...d.t, m.t];
    for (const [k, s] of series) series.set(k, { meta: s.meta, v: [...s.v, values.get(k) ?? null] });
  }
  return trim({ ...d, t, series, markers: m.markers.length ? [...d.markers, ...m.markers] : d.markers }, window);
}

export function useMetrics(clusterId: string, q: ViewQuery, paused = false): MetricsData {
  const live = useRef<MetricsData>(empty());
  const pausedRef = useRef(paused);
  const [shown, setShown] = useState<MetricsData>(empty);
  const { view, window } = q;
  const topic = q.topic ?? null;
  const group = q.group ?? null;

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused) setShown(live.current);
  }, [paused]);

  useEffect(() => {
    const update = (d: MetricsData) => {
      live.current = d;
      if (!pausedRef.current) setShown(d);
    };
    update(empty());
    return stream.start({ type: 'metrics.subscribe', clusterId, view, topic, group, window }, (m) => {
      const d = live.current;
      if (m.type === 'metrics.history') {
        update({
          source: m.source,
          stepMs: m.stepMs,
          t: m.t,
          series: new Map(m.series.map(({ v, ...meta }) => [meta.key, { meta, v }])),
          markers: m.markers,
          loadedAt: Date.now(),
          error: null,
        });
      } else if (m.type === 'metrics.sample') update(applySample(d, m, window));
      else if (m.type === 'error') update({ ...d, error: m.error.message });
    });
  }, [clusterId, view, topic, group, window]);

  return shown;
}
