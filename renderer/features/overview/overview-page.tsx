// Cluster at a glance: brokers (controller marked, down ones kept and marked), topic/partition
// counts, replication health. During an outage the numbers are what the cluster says now
// (offline and under-replicated partitions are counted, never an error page); if a refresh
// fails, the last numbers stay under a "reconnecting" notice. Below: live charts (metrics/).
import type { Overview } from '../../../main/contract/index.ts';
import { useOverview } from '../../api/cluster.ts';
import { QueryStatus } from '../../components/query-status.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { OVERVIEW_CHARTS } from '../metrics/chart-specs.ts';
import { MetricsPanel } from '../metrics/metrics-panel.tsx';

// Plain cards, not links: the sidebar is the one "Topics" link on the page (scripts and tests
// look it up by name).
function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className={`stat ${tone ?? ''}`}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function brokersValue(brokers: Overview['brokers']): string {
  const down = brokers.filter((b) => b.status === 'down').length;
  return down ? `${formatNumber(brokers.length - down)} of ${formatNumber(brokers.length)}` : formatNumber(brokers.length);
}

export function OverviewPage({ clusterId }: { clusterId: string }) {
  const o = useOverview(clusterId);
  const d = o.data;
  return (
    <div className="page">
      <PageHeader title="Overview" subtitle={d ? <>Cluster id <code>{d.clusterId}</code></> : undefined} />
      <QueryStatus query={o} title="Cannot read the cluster" />
      {d && (
        <>
          <div className="stats">
            <Stat label="Brokers" value={brokersValue(d.brokers)} tone={d.brokers.some((b) => b.status === 'down') ? 'bad' : undefined} />
            <Stat label="Topics" value={formatNumber(d.topicCount)} />
            <Stat label="Partitions" value={formatNumber(d.partitionCount)} />
            <Stat label="Consumer groups" value={formatNumber(d.groupCount)} />
            <Stat label="Under-replicated" value={formatNumber(d.underReplicatedPartitions)} tone={d.underReplicatedPartitions ? 'warn' : 'ok'} />
            <Stat label="Offline partitions" value={formatNumber(d.offlinePartitions)} tone={d.offlinePartitions ? 'bad' : 'ok'} />
          </div>
          <h2 className="section">Brokers</h2>
          <table className="table" aria-label="Brokers">
            <thead>
              <tr>
                <th className="num">Id</th>
                <th>Host</th>
                <th className="num">Port</th>
                <th>Rack</th>
                <th>Role</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {d.brokers.map((b) => (
                <tr key={b.id} className={b.status === 'down' ? 'down' : undefined} data-testid="broker-row">
                  <td className="num">{b.id}</td>
                  <td className="mono">{b.host ?? '—'}</td>
                  <td className="num mono">{b.port ?? '—'}</td>
                  <td>{b.rack ?? '—'}</td>
                  <td>{b.controller ? <span className="badge info">controller</span> : 'broker'}</td>
                  <td>
                    {b.status === 'up' ? (
                      <span className="badge ok">up</span>
                    ) : (
                      <span className="badge bad" title="Not in the cluster's metadata any more (it was seen earlier, or hosts replicas)">
                        down
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2 className="section">Live metrics</h2>
      <MetricsPanel clusterId={clusterId} view="overview" charts={OVERVIEW_CHARTS} />
    </div>
  );
}
