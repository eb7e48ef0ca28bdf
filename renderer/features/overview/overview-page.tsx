// Cluster at a glance: brokers (controller marked), topic/partition counts, replication health.
import { useOverview } from '../../api/cluster.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';

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

export function OverviewPage({ clusterId }: { clusterId: string }) {
  const o = useOverview(clusterId);
  const d = o.data;
  return (
    <div className="page">
      <PageHeader title="Overview" subtitle={d ? <>Cluster id <code>{d.clusterId}</code></> : undefined} />
      <ErrorView error={o.error} title="Cannot read the cluster" />
      {d && (
        <>
          <div className="stats">
            <Stat label="Brokers" value={formatNumber(d.brokers.length)} />
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
              </tr>
            </thead>
            <tbody>
              {d.brokers.map((b) => (
                <tr key={b.id}>
                  <td className="num">{b.id}</td>
                  <td className="mono">{b.host}</td>
                  <td className="num mono">{b.port}</td>
                  <td>{b.rack ?? '—'}</td>
                  <td>{b.controller ? <span className="badge info">controller</span> : 'broker'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
