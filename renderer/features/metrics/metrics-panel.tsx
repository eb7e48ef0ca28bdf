// A screen's live charts: time window (1 min … 24 h), pause / resume, which nodes are down, and
// one MetricChart per spec. The data of every chart comes from one subscription of the view.
import { memo, useMemo, useState } from 'react';
import { MetricsWindowSchema, type Marker, type MetricsView, type MetricsWindow } from '../../../main/contract/index.ts';
import { MetricChart, type ChartSpec } from './metric-chart.tsx';
import { formatClock } from './metric-format.ts';
import { useMetrics } from './use-metrics.ts';

const WINDOW_LABEL: Record<MetricsWindow, string> = { '1m': '1 min', '5m': '5 min', '15m': '15 min', '1h': '1 h', '24h': '24 h' };

/** Nodes whose last up/down marker says down, with the time they stopped answering. */
function downNodes(markers: Marker[]): Map<number, number> {
  const down = new Map<number, number>();
  for (const m of markers) {
    if (m.node === null) continue;
    if (m.kind === 'node-down') down.set(m.node, m.at);
    else if (m.kind === 'node-up') down.delete(m.node);
  }
  return down;
}

/** Memoised: the Cluster screen re-renders on every cluster-state push; the charts need not. */
export const MetricsPanel = memo(function MetricsPanel({ clusterId, view, topic, group, charts }: { clusterId: string; view: MetricsView; topic?: string; group?: string; charts: ChartSpec[] }) {
  const [window, setWindow] = useState<MetricsWindow>('5m');
  const [paused, setPaused] = useState(false);
  const data = useMetrics(clusterId, { view, topic, group, window }, paused);
  const down = useMemo(() => downNodes(data.markers), [data.markers]);
  const downSet = useMemo(() => new Set(down.keys()), [down]);

  return (
    <div className="metrics-panel">
      <div className="toolbar metrics-toolbar">
        <div className="segmented window-select" role="group" aria-label="Time window">
          {MetricsWindowSchema.options.map((w) => (
            <button key={w} className={w === window ? 'active' : ''} aria-pressed={w === window} onClick={() => setWindow(w)}>
              {WINDOW_LABEL[w]}
            </button>
          ))}
        </div>
        <button onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
        {data.source === 'kafka-api' && (
          <span className="muted small">Remote cluster: rates and lag derived from Kafka requests every 5 s.</span>
        )}
        {paused && <span className="muted small">Paused: samples are still collected.</span>}
      </div>
      {[...down].map(([node, at]) => (
        <p key={node} className="warn-note node-down" role="status">
          Node {node} is down: no answer from its metrics endpoint since {formatClock(at, true)}. Its lines stop there.
        </p>
      ))}
      <div className="chart-grid">
        {charts.map((c) => (
          <MetricChart key={c.id} spec={c} data={data} window={window} downNodes={downSet} />
        ))}
      </div>
    </div>
  );
});
