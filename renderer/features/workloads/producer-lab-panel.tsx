// The Workloads screen's producer lab: a row of knobs per producer (topic, acks, batch size,
// linger, compression, record size, rate or max), a duration and "read back after stop", then
// per producer its counters (sent, acknowledged, failed by Kafka's error name, requests, MB/s,
// ack latency p50/p99, and after a verified stop: found and lost) and two of the metrics
// screen's charts (MetricChart), MB/s and ack latency, fed the lab's per-second series. On a
// cluster other than the bundled one, Start first says what it will write where and asks.
import { useMemo, useState } from 'react';
import {
  acksText,
  PRODUCER_LAB_COMPRESSIONS,
  PRODUCER_LAB_LIMITS,
  type ClusterSummary,
  type MetricsWindow,
  type ProducerLabStats,
  type ProducerSettings,
  type SeriesMeta,
} from '../../../main/contract/index.ts';
import { useProducerLab, useProducerLabControl } from '../../api/producer-lab.ts';
import { ChoiceSelect } from '../../components/choice-select.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { MetricChart, type ChartSpec } from '../metrics/metric-chart.tsx';
import type { MetricsData, MetricsSeries } from '../metrics/use-metrics.ts';

const ACKS = ['0', '1', 'all'] as const;
type AcksText = (typeof ACKS)[number];
const acksValue = (a: AcksText): 0 | 1 | -1 => (a === 'all' ? -1 : a === '1' ? 1 : 0);
const ACTIVE = new Set<ProducerLabStats['state']>(['starting', 'running', 'stopping', 'verifying']);

interface Row {
  label: string;
  topic: string;
  acks: AcksText;
  batchBytes: string;
  lingerMs: string;
  compression: (typeof PRODUCER_LAB_COMPRESSIONS)[number];
  recordBytes: string;
  /** Empty: as fast as it goes. */
  rate: string;
}

const newRow = (n: number): Row => ({
  label: `producer-${n}`,
  topic: 'lab.producer',
  acks: 'all',
  batchBytes: String(PRODUCER_LAB_LIMITS.batchBytes.default),
  lingerMs: String(PRODUCER_LAB_LIMITS.lingerMs.default),
  compression: 'none',
  recordBytes: String(PRODUCER_LAB_LIMITS.recordBytes.default),
  rate: '1000',
});

const toSettings = (r: Row): ProducerSettings => ({
  label: r.label,
  topic: r.topic,
  acks: acksValue(r.acks),
  batchBytes: Number(r.batchBytes),
  lingerMs: Number(r.lingerMs),
  compression: r.compression,
  recordBytes: Number(r.recordBytes),
  rate: r.rate.trim() === '' ? null : Number(r.rate),
});

// The lab's series as the metrics charts take them: one series per producer and figure. The
// `metric` of a meta only files the series (the charts pick by key); the unit is the spec's.
const meta = (key: string, topic: string): SeriesMeta => ({
  key,
  metric: 'messagesIn',
  node: null,
  topic,
  partition: null,
  group: null,
});

function chartData(lab: ProducerLabStats): MetricsData {
  const n = Math.min(...lab.producers.map((p) => p.series.length));
  const first = lab.producers[0];
  const t = first && n > 0 ? first.series.slice(-n).map((x) => x.t) : [];
  const series = new Map<string, MetricsSeries>();
  for (const p of lab.producers) {
    const pts = p.series.slice(-n);
    const add = (key: string, v: (number | null)[]) => series.set(key, { meta: meta(key, p.settings.topic), v });
    add(
      `bytes ${p.settings.label}`,
      pts.map((x) => x.mbPerSec * 1e6),
    );
    add(
      `p50 ${p.settings.label}`,
      pts.map((x) => x.p50Ms),
    );
    add(
      `p99 ${p.settings.label}`,
      pts.map((x) => x.p99Ms),
    );
  }
  return { source: 'node-metrics', stepMs: 1000, t, series, markers: [], loadedAt: lab.startedAt, error: null };
}

const THROUGHPUT: ChartSpec = {
  id: 'producer-lab-throughput',
  title: 'Acknowledged MB/s per producer',
  unit: 'B/s',
  metrics: [],
  pick: (m) => m.key.startsWith('bytes '),
  label: (m) => m.key.slice(6),
};
const LATENCY: ChartSpec = {
  id: 'producer-lab-latency',
  title: 'Ack latency p50 / p99 per producer',
  unit: 'ms',
  metrics: [],
  pick: (m) => m.key.startsWith('p50 ') || m.key.startsWith('p99 '),
  label: (m) => `${m.key.slice(4)} ${m.key.slice(0, 3)}`,
};

const NO_NODES = new Set<number>();
const ms = (v: number | null) => (v === null ? '—' : `${formatNumber(v)} ms`);

function Results({ lab }: { lab: ProducerLabStats }) {
  return (
    <table className="table" aria-label="Producer lab results" data-learn-target="producer-lab-results">
      <thead>
        <tr>
          <th>Producer</th>
          <th>Settings</th>
          <th>Sent</th>
          <th>Acknowledged</th>
          <th>Failed</th>
          <th>Requests</th>
          <th>MB/s</th>
          <th>p50 / p99</th>
          <th>Read back</th>
        </tr>
      </thead>
      <tbody>
        {lab.producers.map((p) => (
          <tr key={p.settings.label} data-testid="producer-lab-row" data-producer={p.settings.label}>
            <td>{p.settings.label}</td>
            <td className="small">
              {p.settings.topic}, acks={acksText(p.settings.acks)}, batch {formatNumber(p.settings.batchBytes)} B,
              linger {p.settings.lingerMs} ms, {p.settings.compression}, {p.settings.recordBytes} B records,{' '}
              {p.settings.rate === null ? 'max rate' : `${p.settings.rate}/s`}
            </td>
            <td>{formatNumber(p.sent)}</td>
            <td>{formatNumber(p.acked)}</td>
            <td className={p.failed > 0 ? 'bad' : ''} title={p.lastError ?? undefined}>
              {formatNumber(p.failed)}
              {Object.entries(p.errors).map(([code, n]) => (
                <div key={code} className="small">
                  {code}: {formatNumber(n)}
                </div>
              ))}
            </td>
            <td>{formatNumber(p.requests)}</td>
            <td>{p.mbPerSec.toFixed(2)}</td>
            <td>
              {ms(p.p50Ms)} / {ms(p.p99Ms)}
            </td>
            <td data-testid="producer-lab-verify">
              {p.verify ? (
                <>
                  {formatNumber(p.verify.found)} found,{' '}
                  <strong className={p.verify.lost > 0 ? 'bad' : ''}>lost {formatNumber(p.verify.lost)}</strong>
                  {p.verify.duplicates > 0 && <>, {formatNumber(p.verify.duplicates)} duplicates</>}
                </>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ProducerLabPanel({ clusterId, cluster }: { clusterId: string; cluster: ClusterSummary | undefined }) {
  const lab = useProducerLab(clusterId);
  const control = useProducerLabControl(clusterId);
  const [rows, setRows] = useState<Row[]>([newRow(1)]);
  const [duration, setDuration] = useState('30');
  const [verify, setVerify] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const stats = lab.data;
  const active = stats !== undefined && ACTIVE.has(stats.state);
  const remote = cluster !== undefined && !cluster.bundled;
  const data = useMemo(() => (stats && stats.producers.length > 0 ? chartData(stats) : null), [stats]);
  const window: MetricsWindow = (data?.t.length ?? 0) > 60 ? '5m' : '1m';
  const set = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const start = (confirmRemote: boolean) =>
    control.start.mutate(
      {
        producers: rows.map(toSettings),
        durationMs: duration.trim() === '' ? null : Number(duration) * 1000,
        verify,
        confirmRemote,
      },
      { onSuccess: () => setConfirming(false) },
    );
  const num = (i: number, key: 'batchBytes' | 'lingerMs' | 'recordBytes' | 'rate', label: string, r: Row) => (
    <input
      aria-label={`${r.label} ${label}`}
      type="number"
      min={0}
      step={1}
      value={r[key]}
      disabled={active}
      onChange={(e) => set(i, { [key]: e.target.value })}
    />
  );
  return (
    <section
      className="card workload-card"
      aria-label="Producer lab"
      data-testid="producer-lab"
      data-state={stats?.state ?? 'idle'}
      data-learn-target="producer-lab"
    >
      <div className="page-header">
        <div>
          <h2 className="section">Producer lab</h2>
          <p className="muted small">
            Producers side by side, each with its own acks, batch size, linger, compression, record size and rate
            (empty: as fast as the cluster acknowledges). With “Read back after stop”, the stop reads the topics back
            and counts the acknowledged records that are really there.
          </p>
        </div>
        <span className="badge" data-testid="producer-lab-state">
          {stats?.state ?? 'idle'}
        </span>
      </div>
      <div className="lab-knobs">
        <table className="table" aria-label="Producer lab settings">
          <thead>
            <tr>
              <th>Label</th>
              <th>Topic</th>
              <th>acks</th>
              <th>Batch size (B)</th>
              <th>Linger (ms)</th>
              <th>Compression</th>
              <th>Record size (B)</th>
              <th>Rate (records/s)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`producer ${i + 1} label`}
                    value={r.label}
                    disabled={active}
                    onChange={(e) => set(i, { label: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`${r.label} topic`}
                    value={r.topic}
                    disabled={active}
                    onChange={(e) => set(i, { topic: e.target.value })}
                  />
                </td>
                <td>
                  <ChoiceSelect
                    label={`${r.label} acks`}
                    values={ACKS}
                    value={r.acks}
                    disabled={active}
                    onChange={(acks) => set(i, { acks })}
                  />
                </td>
                <td>{num(i, 'batchBytes', 'batch size', r)}</td>
                <td>{num(i, 'lingerMs', 'linger', r)}</td>
                <td>
                  <ChoiceSelect
                    label={`${r.label} compression`}
                    values={PRODUCER_LAB_COMPRESSIONS}
                    value={r.compression}
                    disabled={active}
                    onChange={(compression) => set(i, { compression })}
                  />
                </td>
                <td>{num(i, 'recordBytes', 'record size', r)}</td>
                <td>{num(i, 'rate', 'rate', r)}</td>
                <td>
                  <button
                    className="link small"
                    disabled={active || rows.length === 1}
                    onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button
          disabled={active || rows.length >= PRODUCER_LAB_LIMITS.producers}
          onClick={() => setRows((rs) => [...rs, newRow(rs.length + 1)])}
        >
          Add producer
        </button>
        <label>
          <span>Duration (s)</span>
          <input
            aria-label="Producer lab duration"
            type="number"
            min={1}
            step={1}
            value={duration}
            disabled={active}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <label>
          <input type="checkbox" checked={verify} disabled={active} onChange={(e) => setVerify(e.target.checked)} />{' '}
          Read back after stop
        </label>
        <button
          className="primary"
          data-learn-target="producer-lab-start"
          disabled={active}
          onClick={() => (remote ? setConfirming(true) : start(false))}
        >
          Start producer lab
        </button>
        <button
          data-learn-target="producer-lab-stop"
          disabled={!active || stats?.state === 'stopping' || stats?.state === 'verifying'}
          onClick={() => control.stop.mutate()}
        >
          Stop producer lab
        </button>
      </div>
      <ErrorView error={lab.error ?? control.start.error ?? control.stop.error} />
      {stats?.lastError && <p className="muted small">Last trouble: {stats.lastError}</p>}
      {stats && stats.producers.length > 0 && <Results lab={stats} />}
      {data && (
        <div className="chart-grid" data-learn-target="producer-lab-charts">
          <MetricChart spec={THROUGHPUT} data={data} window={window} downNodes={NO_NODES} />
          <MetricChart spec={LATENCY} data={data} window={window} downNodes={NO_NODES} />
        </div>
      )}
      {confirming && cluster && (
        <ConfirmDialog
          title={`Write to ${cluster.name}?`}
          action={`Write to ${cluster.name}`}
          busy={control.start.isPending}
          error={control.start.error}
          onConfirm={() => start(true)}
          onClose={() => setConfirming(false)}
        >
          <p>
            <strong>{cluster.name}</strong> ({cluster.bootstrap.join(', ')}) is not the bundled cluster. The producer
            lab will create{' '}
            {[...new Set(rows.map((r) => r.topic))].map((t) => (
              <code key={t}>{t} </code>
            ))}
            there if missing and write to them until it stops.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
