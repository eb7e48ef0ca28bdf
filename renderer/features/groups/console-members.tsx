// "Members run by the console" on a group's screen: the console server runs that many real
// consumers of this group on a topic (contract/group-members.ts); each row is one member with
// the partitions the coordinator assigned it and the records it read. Setting 0 makes them all
// leave. On a cluster other than the bundled one, the first join asks first.
import { useState } from 'react';
import { GROUP_MEMBERS_MAX } from '../../../main/contract/index.ts';
import { useClusters } from '../../api/cluster.ts';
import { useGroupMembers, useSetGroupMembers } from '../../api/group-members.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';
import { formatNumber } from '../../components/format.ts';

export function ConsoleMembers({ clusterId, groupId, topics }: { clusterId: string; groupId: string; topics: string[] }) {
  const list = useGroupMembers(clusterId);
  const set = useSetGroupMembers(clusterId);
  const cluster = useClusters().data?.clusters.find((c) => c.id === clusterId);
  const mine = list.data?.groups.find((g) => g.group === groupId);
  const members = mine?.members ?? [];
  const [topicInput, setTopic] = useState<string | null>(null);
  const [count, setCount] = useState(String(Math.min(GROUP_MEMBERS_MAX, members.length + 1)));
  const [confirming, setConfirming] = useState(false);
  const topic = topicInput ?? mine?.topic ?? topics[0] ?? '';
  const remote = cluster !== undefined && !cluster.bundled;
  const apply = (confirmRemote: boolean) =>
    set.mutate({ group: groupId, topic, count: Number(count), confirmRemote }, { onSuccess: () => setConfirming(false) });
  return (
    <section className="card console-members" aria-label="Members run by the console" data-learn-target="group-console-members">
      <h2 className="section">Members run by the console</h2>
      <p className="muted small">
        Real consumers of this group, run by the console server: they start where the group committed (at the earliest offset
        where it has not) and commit what they read.
      </p>
      <div className="toolbar">
        <label>
          <span>Topic</span>
          <input aria-label="Topic the members read" value={topic} disabled={members.length > 0} onChange={(e) => setTopic(e.target.value)} />
        </label>
        <label>
          <span>Members</span>
          <input aria-label="Number of members" type="number" min={0} max={GROUP_MEMBERS_MAX} step={1} value={count} onChange={(e) => setCount(e.target.value)} />
        </label>
        <button
          className="primary"
          data-learn-target="group-members-set"
          disabled={set.isPending || topic === ''}
          onClick={() => (remote && Number(count) > 0 ? setConfirming(true) : apply(false))}
        >
          Set members
        </button>
      </div>
      {members.length > 0 && (
        <table className="table" aria-label="Console members">
          <thead>
            <tr>
              <th>Member</th>
              <th>Client id</th>
              <th>State</th>
              <th>Partitions</th>
              <th className="num">Records read</th>
              <th className="num">Since rebalance</th>
              <th className="num">Records/s</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.name} data-testid="console-member">
                <td>{m.name}</td>
                <td>{m.clientId}</td>
                <td>{m.state}</td>
                <td>{m.partitions.length > 0 ? m.partitions.join(', ') : 'none (idle)'}</td>
                <td className="num">{formatNumber(m.consumed)}</td>
                <td className="num">{formatNumber(m.consumedThisGeneration)}</td>
                <td className="num">{m.consumedPerSec.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mine?.lastError && <p className="muted small">Last trouble: {mine.lastError}</p>}
      <ErrorView error={set.error} />
      {confirming && cluster && (
        <ConfirmDialog
          title={`Join ${groupId} on ${cluster.name}?`}
          action={`Join on ${cluster.name}`}
          busy={set.isPending}
          error={set.error}
          onConfirm={() => apply(true)}
          onClose={() => setConfirming(false)}
        >
          <p>
            <strong>{cluster.name}</strong> is not the bundled cluster. {count} console member(s) will join group <code>{groupId}</code>{' '}
            there, read <code>{topic}</code> and commit offsets for it until you set 0.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
