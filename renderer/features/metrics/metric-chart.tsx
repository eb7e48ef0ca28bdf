// One live chart: the series of a view's data that a ChartSpec picks, on a time axis as wide as
// the window, with events (node down / up, rebalances) as vertical markers. A gap (null) breaks
// the line: a node that died stops drawing instead of dropping to 0. Without any value yet the
// chart says so; on a remote cluster a metric Kafka's protocol cannot give says why instead.
// recharts gets at most one row per pixel of the chart's width (downsample.ts: each series'
// extremes per two pixels, so spikes stay) and a few round times as x ticks (time-ticks.ts): an
// hour of 1 s points costs what the pixels cost. The CSV export is the full resolution: every
// sample of the visible series in the window.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { KAFKA_API_UNAVAILABLE, WINDOW_MS, type Marker, type Metric, type MetricsWindow, type SeriesMeta, type Unit } from '../../../main/contract/index.ts';
import { chartPng, download, exportName, seriesCsv } from './chart-export.ts';
import { chartRows, seriesKey, type ChartRow } from './downsample.ts';
import { formatAxis, formatClock, formatUnit } from './metric-format.ts';
import { cancelOwnTask, inOwnTask } from './one-per-task.ts';
import { timeTicks } from './time-ticks.ts';
import type { MetricsData } from './use-metrics.ts';

export interface ChartSpec {
  id: string;
  title: string;
  unit: Unit;
  /** the metrics drawn, for the "unavailable on this cluster" note */
  metrics: Metric[];
  pick(m: SeriesMeta): boolean;
  label(m: SeriesMeta): string;
}

const COLORS = ['#4f5dff', '#1f9d6b', '#d6394c', '#c98a00', '#8e44ad', '#0f8fb3', '#e8590c', '#6b7287'];
const MARKER_COLOR: Record<string, string> = {
  'node-down': '#d6394c',
  'node-up': '#1f9d6b',
  rebalance: '#c98a00',
  'leader-change': '#8e44ad',
  'partition-offline': '#d6394c',
  'isr-shrink': '#e8590c',
  'isr-expand': '#0f8fb3',
};
const MARKER_TEXT: Record<string, string> = { 'leader-change': '♛', 'partition-offline': '✕', 'isr-shrink': 'ISR−', 'isr-expand': 'ISR+', rebalance: '⟳' };

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function markerText(m: Marker): string {
  if (m.kind === 'node-down') return `${m.node}↓`;
  if (m.kind === 'node-up') return `${m.node}↑`;
  return MARKER_TEXT[m.kind] ?? '•';
}

const HEIGHT = 200;
const Y_AXIS_WIDTH = 72;
const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };
/** A time label ("12:34:56") and the gap recharts keeps between two. */
const TICK_PX = 90;

/** The element's width in CSS pixels, following resizes; 0 until measured. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const obs = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    obs.observe(el);
    return () => obs.disconnect();
  }, [ref]);
  return width;
}

// Props that stay the same objects from render to render: recharts copies every changed prop
// into its store, and each copy recomputes the chart's derived state.
const TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 12 };
const LEGEND_STYLE = { fontSize: 12, cursor: 'pointer' };
const clockTick = (t: number) => formatClock(t);

/**
 * `value` as this chart draws it: a new value is handed on in a task of its own (one-per-task.ts),
 * rendered and committed there at once, so a screen's charts redraw one per task, not all in one.
 */
function useOwnTurn<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const key = useRef({}).current;
  // A newer value replaces the queued one in its place; only unmounting takes the chart out
  // (cancelling on every change would send a waiting chart to the back of the queue each time).
  useEffect(() => inOwnTask(key, () => flushSync(() => setShown(value))), [key, value]);
  useEffect(() => () => cancelOwnTask(key), [key]);
  return shown;
}

/** The same array while the ticks are the same times: recharts then keeps its axis as it is. */
function useSameTicks(ticks: number[]): number[] {
  const last = useRef(ticks);
  if (last.current.length !== ticks.length || last.current.some((t, i) => t !== ticks[i])) last.current = ticks;
  return last.current;
}

/** A row standing for several samples says which; a single sample says its second. */
function rowTime(label: unknown, payload: readonly { payload?: ChartRow }[] | undefined): string {
  const row = payload?.[0]?.payload;
  if (row && row.from !== row.to) return `${formatClock(row.from, true)} – ${formatClock(row.to, true)} (lowest and highest)`;
  return formatClock(Number(label), true);
}

interface ChartProps {
  spec: ChartSpec;
  data: MetricsData;
  window: MetricsWindow;
  downNodes: Set<number>;
}

/**
 * Memoised: a parent's re-render (the Cluster screen's state, a pause toggle) skips charts whose
 * data did not change. New props are drawn in the chart's own turn (useOwnTurn); until then the
 * memoised ChartBody is not rendered at all.
 */
export const MetricChart = memo(function MetricChart(props: ChartProps) {
  return <ChartBody {...useOwnTurn(props)} />;
});

const ChartBody = memo(function ChartBody({ spec, data, window, downNodes }: ChartProps) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [exportError, setExportError] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const width = useWidth(plotRef);
  const plotWidth = Math.max(0, width - Y_AXIS_WIDTH - MARGIN.left - MARGIN.right);
  const series = useMemo(
    () =>
      [...data.series.values()]
        .filter((s) => spec.pick(s.meta))
        .map((s) => ({ ...s, label: spec.label(s.meta) }))
        .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true })),
    [data, spec],
  );
  const rows = useMemo(
    () =>
      chartRows(
        data.t,
        series.map((s) => s.v),
        plotWidth,
        WINDOW_MS[window],
      ),
    [data.t, series, plotWidth, window],
  );
  const hasValue = series.some((s) => s.v.some((v) => v !== null));
  const unavailable = data.source === 'kafka-api' ? spec.metrics.map((m) => KAFKA_API_UNAVAILABLE[m]).find(Boolean) : undefined;
  const end = data.t.at(-1) ?? Date.now();
  // The window ending at the newest point, as a function of the data's extent: the same function
  // from tick to tick, so recharts is not handed a new domain (one more store update) each second.
  const domain = useCallback(([, max]: readonly [number, number]): [number, number] => [max - WINDOW_MS[window], max], [window]);
  const ticks = useSameTicks(useMemo(() => timeTicks(end - WINDOW_MS[window], end, plotWidth / TICK_PX), [end, window, plotWidth]));
  const { unit } = spec;
  const axisTick = useCallback((v: number) => formatAxis(v, unit), [unit]);
  const valueText = useCallback((v: unknown) => (typeof v === 'number' ? formatUnit(v, unit) : '—'), [unit]);
  const onLegendClick = useCallback((e: { dataKey?: unknown }) => {
    const key = e.dataKey;
    if (typeof key !== 'string') return;
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);

  /** The series drawn now: legend toggles hide some. */
  const visible = series.map((s, j) => ({ ...s, key: seriesKey(j), color: COLORS[j % COLORS.length] })).filter((s) => !hidden.has(s.key));
  const exportCsv = () => {
    const csv = seriesCsv(data.t, visible, spec.unit);
    download(exportName(spec.id, end, 'csv'), new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  };
  const exportPng = async () => {
    const section = ref.current;
    const svg = section?.querySelector('.recharts-wrapper > svg.recharts-surface');
    if (!section || !(svg instanceof SVGSVGElement)) return;
    setExportError(null);
    const cs = getComputedStyle(section);
    try {
      const png = await chartPng(svg, {
        title: `${spec.title} (${spec.unit})`,
        legend: visible.map((s) => ({ label: s.label, color: s.color })),
        background: cs.backgroundColor,
        foreground: cs.color,
        font: cs.fontFamily,
      });
      download(exportName(spec.id, end, 'png'), png);
    } catch (e) {
      setExportError(`PNG export failed: ${(e as Error).message}`);
    }
  };

  let body;
  if (unavailable) body = <p className="chart-empty">Not available on this cluster: {unavailable}</p>;
  else if (data.error) body = <p className="chart-empty error-inline">{data.error}</p>;
  else if (data.loadedAt === null) body = <p className="chart-empty">Loading…</p>;
  else if (!hasValue) body = <p className="chart-empty">No data yet: points appear here as soon as there is something to measure.</p>;
  // Until the first measurement (one frame), hold the chart's place.
  else if (width === 0) body = <div style={{ height: HEIGHT }} />;
  else
    body = (
      <LineChart width={width} height={HEIGHT} data={rows} margin={MARGIN}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={ticks} allowDataOverflow tickFormatter={clockTick} stroke="var(--muted)" fontSize={11} minTickGap={40} />
        <YAxis width={Y_AXIS_WIDTH} stroke="var(--muted)" fontSize={11} tickFormatter={axisTick} allowDecimals={spec.unit !== 'count'} />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={rowTime}
          formatter={valueText}
          contentStyle={TOOLTIP_STYLE}
        />
        <Legend wrapperStyle={LEGEND_STYLE} onClick={onLegendClick} />
        {data.markers.map((m, i) => (
          <ReferenceLine
            key={`${m.at}-${i}`}
            x={m.at}
            stroke={MARKER_COLOR[m.kind] ?? 'var(--muted)'}
            strokeDasharray="4 3"
            ifOverflow="hidden"
            label={{ value: markerText(m), position: 'insideTopLeft', fontSize: 10, fill: MARKER_COLOR[m.kind] ?? 'var(--muted)' }}
            className={`marker marker-${m.kind}`}
          />
        ))}
        {series.map((s, j) => {
          const down = s.meta.node !== null && downNodes.has(s.meta.node);
          return (
            <Line
              key={s.meta.key}
              dataKey={seriesKey(j)}
              name={down ? `${s.label} (down)` : s.label}
              className={`series-${slug(s.label)}`}
              stroke={COLORS[j % COLORS.length]}
              strokeWidth={s.meta.node === null ? 2 : 1.25}
              strokeDasharray={down ? '2 3' : undefined}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              hide={hidden.has(seriesKey(j))}
            />
          );
        })}
      </LineChart>
    );

  return (
    <section ref={ref} className="chart card" data-testid={`chart-${spec.id}`} aria-label={spec.title}>
      <header className="chart-head">
        <h3>{spec.title}</h3>
        <span className="chart-tools">
          <span className="muted small">{spec.unit}</span>
          {hasValue && !unavailable && (
            <>
              <button className="link small" onClick={exportCsv} aria-label={`Export ${spec.title} as CSV`} title="The visible series as CSV, at full resolution: every sample in the window">
                CSV
              </button>
              <button className="link small" onClick={() => void exportPng()} aria-label={`Export ${spec.title} as PNG`} title="The chart as a PNG image">
                PNG
              </button>
            </>
          )}
        </span>
      </header>
      {exportError && <p className="error-inline small">{exportError}</p>}
      <div ref={plotRef} className="chart-plot">
        {body}
      </div>
    </section>
  );
});
