// The failover demo panel of the Cluster screen: one click starts the console server's workload
// (main/server/failover-demo.ts) on a demo topic, its counters update live, and "Kill the leader
// of partition 0" lets the presenter break things while they watch. The unsafe mode says what
// it risks; the loss it shows is what the values read back prove, never made up.
import { useState } from 'react';
import type { FailoverDemoMode, FailoverDemoStats } from '../../../main/contract/index.ts';
import { useFailoverDemoControl, useFailoverDemoStats } from '../../api/failover-demo.ts';
import { ErrorView } from '../../components/error-view.tsx';

const MODES: Record<FailoverDemoMode, { label: string; explain: string }> = {
  safe: {
    label: 'Safe: acks=all, idempotent, min.insync.replicas=2',
    explain:
      'A write is acknowledged only once 2 of the 3 replicas have it, and only an in-sync replica may become leader: killing any one node loses nothing. Lost must stay 0.',
  },
  unsafe: {
    label: 'Unsafe: acks=1 + unclean.leader.election.enable=true',
    explain:
      'The leader acknowledges a write before any follower has copied it, and a replica that fell behind may become leader. Kill the leader and the writes only it had are gone: Lost counts the acknowledged values the consumer never read. Loss happens only when the timing allows it; nothing is simulated.',
  },
};

const fmtMs = (ms: number | null) => (ms === null ? '—' : ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function Counter({ name, label, value, tone }: { name: string; label: string; value: string | number; tone?: 'bad' | 'good' }) {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <div className="stat-value" data-testid={`demo-${name}`}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function Counters({ s }: { s: FailoverDemoStats }) {
  return (
    <div className="stats" data-testid="demo-counters" data-learn-target="failover-demo-counters">
      <Counter name="sent" label="Sent" value={s.sent} />
      <Counter name="acknowledged" label="Acknowledged" value={s.acknowledged} />
      <Counter name="failed" label="Failed" value={s.failed} tone={s.failed > 0 ? 'bad' : undefined} />
      <Counter name="consumed" label="Consumed" value={s.consumed} />
      <Counter name="lost" label="Lost (acknowledged, never consumed)" value={s.lost} tone={s.lost > 0 ? 'bad' : 'good'} />
      <Counter name="duplicates" label="Duplicates" value={s.duplicates} tone={s.duplicates > 0 ? 'bad' : undefined} />
      <Counter name="longest-pause" label="Longest pause between acknowledgements" value={fmtMs(s.longestAckPauseMs)} />
    </div>
  );
}

export function FailoverDemoPanel({ clusterId }: { clusterId: string }) {
  const live = useFailoverDemoStats(clusterId);
  const control = useFailoverDemoControl(clusterId);
  const [mode, setMode] = useState<FailoverDemoMode>('safe');
  const s = live.data;
  const active = s?.state === 'starting' || s?.state === 'running' || s?.state === 'stopping';
  const error = control.start.error ?? control.stop.error ?? control.killLeader.error;

  return (
    <section aria-label="Failover demo" data-testid="failover-demo" data-state={s?.state ?? 'unknown'}>
      <fieldset disabled={active}>
        <legend>Mode</legend>
        {(Object.keys(MODES) as FailoverDemoMode[]).map((m) => (
          <label key={m} style={{ display: 'block' }}>
            <input type="radio" name="failover-demo-mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {MODES[m].label}
          </label>
        ))}
        <p className="muted small">{MODES[mode].explain}</p>
      </fieldset>
      <div className="actions">
        <button data-learn-target="failover-demo-start" disabled={active || control.start.isPending} onClick={() => control.start.mutate(mode)}>
          Start failover demo
        </button>{' '}
        <button data-learn-target="failover-demo-kill" disabled={s?.state !== 'running' || control.killLeader.isPending} onClick={() => control.killLeader.mutate()}>
          Kill the leader of partition 0
        </button>{' '}
        <button data-learn-target="failover-demo-stop" disabled={s?.state !== 'running' || control.stop.isPending} onClick={() => control.stop.mutate()}>
          Stop demo
        </button>
      </div>
      {live.reconnecting && <p className="muted small">Reconnecting: {live.reconnecting}</p>}
      {error && <ErrorView error={error} title="The failover demo refused" />}
      {s && s.state !== 'idle' && (
        <>
          <p className="muted small" data-testid="demo-status">
            {s.state} · {s.mode === 'unsafe' ? MODES.unsafe.label : MODES.safe.label} · topic <code>{s.topic}</code>, 3 partitions, replication factor 3 · one value per
            partition every few ms, read back by a consumer
            {s.sinceLastAckMs !== null && <> · last acknowledgement {fmtMs(s.sinceLastAckMs)} ago</>}
          </p>
          <Counters s={s} />
          {s.kills.length > 0 && (
            <ul aria-label="Kills" className="small">
              {s.kills.map((k) => (
                <li key={k.at} data-testid="demo-kill">
                  {new Date(k.at).toLocaleTimeString()}: kill -9 of node {k.nodeId} (leader of partition 0) → next acknowledgement{' '}
                  {k.ackAfterMs === null ? 'not yet' : `after ${fmtMs(k.ackAfterMs)}`}
                </li>
              ))}
            </ul>
          )}
          {s.producerError && <p className="muted small">Producer, last trouble: {s.producerError}</p>}
          {s.consumerError && <p className="muted small">Consumer, last trouble: {s.consumerError}</p>}
          {s.error && <p className="muted small">{s.error}</p>}
        </>
      )}
    </section>
  );
}
