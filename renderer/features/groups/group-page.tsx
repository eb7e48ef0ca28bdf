// One consumer group: members and their assignments, per-partition committed offset and lag,
// reset offsets and delete; members the console runs in it (also before the group exists).
import { useState } from 'react';
import { useDeleteGroup, useGroup } from '../../api/groups.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Link, navigate } from '../../router.tsx';
import { GROUP_CHARTS } from '../metrics/chart-specs.ts';
import { MetricsPanel } from '../metrics/metrics-panel.tsx';
import { ConsoleMembers } from './console-members.tsx';
import { GroupState } from './group-state.tsx';
import { ResetOffsetsDialog } from './reset-offsets-dialog.tsx';

export function GroupPage({ clusterId, groupId }: { clusterId: string; groupId: string }) {
  const group = useGroup(clusterId, groupId);
  const del = useDeleteGroup(clusterId);
  const [resetting, setResetting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const g = group.data;
  const totalLag = g?.offsets.reduce((s, o) => s + (o.lag ?? 0), 0) ?? 0;
  const topics = [...new Set(g?.offsets.map((o) => o.topic) ?? [])];
  const clientOf = (memberId: string | null) => g?.members.find((m) => m.memberId === memberId)?.clientId ?? '';

  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/groups">Consumer groups</Link> / <span>{groupId}</span>
      </nav>
      <PageHeader
        title={groupId}
        subtitle={
          g ? (
            <>
              <GroupState state={g.state} /> · {g.members.length} members · total lag <strong data-testid="total-lag">{formatNumber(totalLag)}</strong>
              {g.protocol && ` · ${g.protocol}`}
            </>
          ) : undefined
        }
        actions={
          g && (
            <>
              <button data-learn-target="reset-offsets" onClick={() => setResetting(true)} disabled={topics.length === 0}>
                Reset offsets
              </button>
              <button className="danger" onClick={() => setDeleting(true)}>
                Delete group
              </button>
            </>
          )
        }
      />
      <ErrorView error={group.error} />
      <ConsoleMembers clusterId={clusterId} groupId={groupId} topics={topics} />
      {g && (
        <>
          <h2 className="section">Offsets and lag</h2>
          <table className="table" aria-label="Group offsets" data-learn-target="group-offsets">
            <thead>
              <tr>
                <th>Topic</th>
                <th className="num">Partition</th>
                <th className="num">Committed</th>
                <th className="num">End offset</th>
                <th className="num">Lag</th>
                <th>Consumer</th>
              </tr>
            </thead>
            <tbody>
              {g.offsets.map((o) => (
                <tr key={`${o.topic}-${o.partition}`}>
                  <td>
                    <Link to={`/topics/${encodeURIComponent(o.topic)}`}>{o.topic}</Link>
                  </td>
                  <td className="num">{o.partition}</td>
                  <td className="num mono">{formatNumber(o.committed)}</td>
                  <td className="num mono">{formatNumber(o.endOffset)}</td>
                  <td className={`num ${o.lag ? 'strong' : ''}`}>{formatNumber(o.lag)}</td>
                  <td className="ellipsis">{clientOf(o.memberId)}</td>
                </tr>
              ))}
              {g.offsets.length === 0 && (
                <tr>
                  <td colSpan={6} className="empty">
                    No committed offsets.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <h2 className="section">Members</h2>
          <table className="table" aria-label="Group members" data-learn-target="group-members">
            <thead>
              <tr>
                <th>Client id</th>
                <th>Host</th>
                <th>Member id</th>
                <th>Assignment</th>
              </tr>
            </thead>
            <tbody>
              {g.members.map((m) => (
                <tr key={m.memberId}>
                  <td>{m.clientId}</td>
                  <td>{m.host}</td>
                  <td className="mono small">{m.memberId}</td>
                  <td>{m.assignments.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ') || '—'}</td>
                </tr>
              ))}
              {g.members.length === 0 && (
                <tr>
                  <td colSpan={4} className="empty">
                    No active members.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <h2 className="section">Lag over time</h2>
          <MetricsPanel clusterId={clusterId} view="group" group={groupId} charts={GROUP_CHARTS} />
        </>
      )}
      {resetting && <ResetOffsetsDialog clusterId={clusterId} groupId={groupId} topics={topics} onClose={() => setResetting(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete group ${groupId}`}
          name={groupId}
          action="Delete group"
          busy={del.isPending}
          error={del.error}
          onClose={() => setDeleting(false)}
          onConfirm={() => del.mutate(groupId, { onSuccess: () => navigate('/groups') })}
        >
          <p>The group's committed offsets are deleted. Kafka refuses while the group has active members.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
