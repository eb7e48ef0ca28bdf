// The Workloads screen: every demo workload with its topic and consumer group, a rate input,
// Start/Stop and its live rates (sent/s, consumed/s, errors) and what its group computed, and for
// a pipeline its flow view (records/s per hop). On a
// cluster other than the bundled one, Start first says what it will write where and asks.
// Below them, the producer lab (producer-lab-panel.tsx).
import { useState } from 'react';
import { WORKLOAD_RATE, type ClusterSummary, type WorkloadStats } from '../../../main/contract/index.ts';
import { useClusters } from '../../api/cluster.ts';
import { useWorkloadControl, useWorkloads } from '../../api/workloads.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Link } from '../../router.tsx';
import { PipelineFlow } from './pipeline-flow.tsx';
import { ProducerLabPanel } from './producer-lab-panel.tsx';

const ACTIVE = new Set(['starting', 'running', 'stopping']);
const TONE: Record<WorkloadStats['state'], string> = {
  idle: '',
  starting: 'info',
  running: 'ok',
  stopping: 'warn',
  stopped: '',
  failed: 'bad',
};

function Rate({ name, label, value }: { name: string; label: string; value: number }) {
  return (
    <div className="stat">
      <div className="stat-value" data-testid={`workload-${name}`}>
        {value.toFixed(1)}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function WorkloadCard({
  w,
  cluster,
  control,
}: {
  w: WorkloadStats;
  cluster: ClusterSummary | undefined;
  control: ReturnType<typeof useWorkloadControl>;
}) {
  const [rate, setRate] = useState(String(w.rate ?? WORKLOAD_RATE.default));
  const [confirming, setConfirming] = useState(false);
  const active = ACTIVE.has(w.state);
  const remote = cluster !== undefined && !cluster.bundled;
  const start = (confirmRemote: boolean) =>
    control.start.mutate(
      { name: w.name, rate: Number(rate), confirmRemote },
      { onSuccess: () => setConfirming(false) },
    );
  const startError = control.start.variables?.name === w.name ? control.start.error : null;
  const stopError = control.stop.variables === w.name ? control.stop.error : null;
  return (
    <section
      className="card workload-card"
      aria-label={w.title}
      data-testid="workload"
      data-workload={w.name}
      data-state={w.state}
    >
      <div className="page-header">
        <div>
          <h2 className="section">{w.title}</h2>
          <p className="muted small">{w.description}</p>
        </div>
        <span className={`badge ${TONE[w.state]}`} data-testid="workload-state">
          {w.state}
        </span>
      </div>
      <p className="small">
        Topic <Link to={`/topics/${encodeURIComponent(w.topic)}`}>{w.topic}</Link>
        {w.group && (
          <>
            {' '}
            · group <Link to={`/groups/${encodeURIComponent(w.group)}`}>{w.group}</Link>
          </>
        )}
        {w.outputTopic && (
          <>
            {' '}
            → writes to <Link to={`/topics/${encodeURIComponent(w.outputTopic)}`}>{w.outputTopic}</Link>
          </>
        )}
      </p>
      <div className="toolbar">
        <label>
          <span>Rate (msg/s)</span>
          <input
            aria-label={`${w.title} rate`}
            type="number"
            min={WORKLOAD_RATE.min}
            max={WORKLOAD_RATE.max}
            step={1}
            value={rate}
            onChange={(e) => setRate(e.target.value)}
          />
        </label>
        <button
          className="primary"
          data-learn-target={`workload-start:${w.name}`}
          disabled={w.state === 'starting' || w.state === 'stopping'}
          onClick={() => (remote && !active ? setConfirming(true) : start(remote))}
        >
          {active ? `Set rate of ${w.title}` : `Start ${w.title}`}
        </button>
        <button data-learn-target={`workload-stop:${w.name}`} disabled={!active || w.state === 'stopping'} onClick={() => control.stop.mutate(w.name)}>
          Stop {w.title}
        </button>
      </div>
      {w.stages.length > 1 && <PipelineFlow w={w} />}
      <div className="stats">
        <Rate name="sent-per-sec" label="sent/s" value={w.sentPerSec} />
        <Rate name="consumed-per-sec" label="consumed/s" value={w.consumedPerSec} />
        <div className={`stat ${w.errors > 0 ? 'bad' : ''}`}>
          <div className="stat-value" data-testid="workload-errors">
            {formatNumber(w.errors)}
          </div>
          <div className="stat-label">errors</div>
        </div>
        <div className="stat">
          <div className="stat-value" data-testid="workload-sent">
            {formatNumber(w.sent)}
          </div>
          <div className="stat-label">sent in total</div>
        </div>
      </div>
      {w.summary && (
        <p className="small" data-testid="workload-summary" data-learn-target={`workload-summary:${w.name}`}>
          {w.summary}
        </p>
      )}
      {w.lastError && <p className="muted small">Last trouble: {w.lastError}</p>}
      <ErrorView error={startError ?? stopError} />
      {confirming && cluster && (
        <ConfirmDialog
          title={`Write to ${cluster.name}?`}
          action={`Write to ${cluster.name}`}
          busy={control.start.isPending}
          error={startError}
          onConfirm={() => start(true)}
          onClose={() => setConfirming(false)}
        >
          <p>
            <strong>{cluster.name}</strong> ({cluster.bootstrap.join(', ')}) is not the bundled cluster. {w.title} will
            create topic <code>{w.topic}</code> there if it is missing, write about {rate} messages a second to it
            {w.group ? (
              <>
                {' '}
                and join consumer group <code>{w.group}</code>
              </>
            ) : null}
            {w.outputTopic ? (
              <>
                , which writes to <code>{w.outputTopic}</code>,
              </>
            ) : null}{' '}
            until you stop it.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

export function WorkloadsPage({ clusterId }: { clusterId: string }) {
  const workloads = useWorkloads(clusterId);
  const clusters = useClusters();
  const control = useWorkloadControl(clusterId);
  const cluster = clusters.data?.clusters.find((c) => c.id === clusterId);
  return (
    <div className="page">
      <PageHeader
        title="Workloads"
        subtitle={`Demo producers and consumer groups writing to demo.* topics with a real Kafka client, ${WORKLOAD_RATE.min}–${WORKLOAD_RATE.max} messages a second. They stop when the console quits.`}
      />
      <ErrorView error={workloads.error} />
      {(workloads.data?.workloads ?? []).map((w) => (
        <WorkloadCard key={`${clusterId}-${w.name}`} w={w} cluster={cluster} control={control} />
      ))}
      <ProducerLabPanel key={`${clusterId}-producer-lab`} clusterId={clusterId} cluster={cluster} />
    </div>
  );
}
