// The Cluster screen of the bundled cluster: its nodes with their actions, the failover demo,
// the live replica map and the event timeline. The feeds are pushed over the stream socket;
// during a failover (a node killed, the socket or a source reconnecting) what was read last stays on screen, marked
// stale, and is replaced as soon as the next state arrives: never an error page.
import { useState } from 'react';
import { useSession } from '../../api/cluster.ts';
import { useClusterEvents, useClusterState, type ControlRequest } from '../../api/cluster-control.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NODE_CHARTS } from '../metrics/chart-specs.ts';
import { MetricsPanel } from '../metrics/metrics-panel.tsx';
import { EventTimeline } from './event-timeline.tsx';
import { FailoverDemoPanel } from './failover-demo-panel.tsx';
import { NodeActionDialog } from './node-action-dialog.tsx';
import { NodeTable } from './node-table.tsx';
import { ReplicaMap } from './replica-map.tsx';
import { staleReason } from './replica-map-model.ts';

function Stale({ reason }: { reason: string | null }) {
  if (!reason) return null;
  return (
    <div className="reconnecting" role="status" data-testid="stale">
      <span className="dot" /> Stale: <span className="muted">{reason}</span> Showing the last state read; it updates by itself.
    </div>
  );
}

export function ClusterPage({ clusterId }: { clusterId: string }) {
  const session = useSession();
  const bundled = session.data?.bundledClusterId === clusterId;
  const state = useClusterState(clusterId);
  const events = useClusterEvents(clusterId, bundled);
  const [request, setRequest] = useState<ControlRequest | null>(null);
  const s = state.data;

  if (session.data && !bundled)
    return (
      <div className="page">
        <PageHeader title="Cluster" />
        <p>Node control, the replica map and the timeline are for the bundled cluster: a remote cluster&apos;s processes and metadata log are not reachable through Kafka.</p>
      </div>
    );

  return (
    <div className="page">
      <PageHeader
        title="Cluster"
        subtitle={
          s ? (
            <>
              {s.clusterId && <>Cluster id <code>{s.clusterId}</code> · </>}
              controller {s.controllerId === -1 ? 'none' : `node ${s.controllerId}`} · quorum {s.quorum.liveVoters} of {s.quorum.voters.length} voters live (needs{' '}
              {s.quorum.majority})
            </>
          ) : undefined
        }
        actions={
          <button data-learn-target="add-node" onClick={() => setRequest({ action: 'add' })}>
            Add node
          </button>
        }
      />
      {/* A feed the server will not retry: without data it is all there is to show; with data, the data stays. */}
      {!s && <ErrorView error={state.error} title="Cannot read the cluster state" />}
      <Stale reason={state.error && s ? state.error.message : staleReason(state.reconnecting, s)} />
      {!s && !state.error && <p className="muted">Reading the cluster state…</p>}
      {s && (
        <>
          <h2 className="section">Nodes</h2>
          <NodeTable nodes={s.nodes} onAction={setRequest} />
          <p className="muted small">
            Added nodes are brokers, not metadata voters: the quorum of {s.quorum.voters.length} voters tolerates {s.quorum.voters.length - s.quorum.majority} voter
            failure(s) whatever the number of brokers.
          </p>
          <h2 className="section">Failover demo</h2>
          <FailoverDemoPanel clusterId={clusterId} />
          <h2 className="section">Node metrics</h2>
          <MetricsPanel clusterId={clusterId} view="nodes" charts={NODE_CHARTS} />
          <h2 className="section">Replica map</h2>
          <ReplicaMap clusterId={clusterId} state={s} />
        </>
      )}
      <h2 className="section">Event timeline</h2>
      <Stale reason={events.data && (events.reconnecting ?? events.error?.message ?? null)} />
      {!events.data && <ErrorView error={events.error} title="Cannot read the timeline" />}
      {events.data && <EventTimeline events={events.data} />}
      {request && <NodeActionDialog clusterId={clusterId} request={request} state={s} onClose={() => setRequest(null)} />}
    </div>
  );
}
