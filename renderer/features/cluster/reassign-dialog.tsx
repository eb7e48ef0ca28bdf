// "Reassign to…" from the replica map: the user types the partition's new replica set in order
// (the first is the preferred leader), the console submits it (AlterPartitionReassignments),
// then shows it in progress as ListPartitionReassignments reports it (replicas joining, leaving)
// until the live cluster state shows the new replica set.
import { useState } from 'react';
import type { ClusterNode, PartitionRow } from '../../../main/contract/index.ts';
import { useReassign, useReassignment } from '../../api/cluster-control.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';

/** The replica list typed by the user, or why it cannot be sent. */
export function parseReplicas(text: string, nodes: number[]): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return 'Type at least one node id.';
  const ids = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isInteger(ids[i]) || ids[i] < 1);
  if (bad !== undefined) return `"${bad}" is not a node id.`;
  const unknown = ids.find((id) => !nodes.includes(id));
  if (unknown !== undefined) return `Node ${unknown} is not in this cluster (nodes ${nodes.join(', ')}).`;
  if (new Set(ids).size !== ids.length) return 'A node can hold only one replica of a partition.';
  return ids;
}

const list = (ids: number[]) => `[${ids.join(', ')}]`;

export function ReassignDialog({ clusterId, row, nodes, onClose }: { clusterId: string; row: PartitionRow; nodes: ClusterNode[]; onClose: () => void }) {
  const name = `${row.topic}-${row.partition}`;
  const [text, setText] = useState(row.replicas.filter((r) => !row.removing.includes(r)).join(', '));
  const [target, setTarget] = useState<number[] | null>(null);
  const reassign = useReassign(clusterId);
  const parsed = parseReplicas(text, nodes.map((n) => n.id));
  const result = reassign.data?.results.find((r) => r.topic === row.topic && r.partition === row.partition);
  const accepted = result?.code === 'NONE';
  const done = accepted && target !== null && row.adding.length === 0 && row.removing.length === 0 && list(row.replicas) === list(target);
  const progress = useReassignment(clusterId, row.topic, row.partition, accepted && !done);
  const current = progress.data?.reassignments.find((r) => r.topic === row.topic && r.partition === row.partition);
  const submit = () => {
    if (typeof parsed === 'string') return;
    setTarget(parsed);
    reassign.mutate({ partitions: [{ topic: row.topic, partition: row.partition, replicas: parsed }] });
  };
  return (
    <Dialog
      title={`Reassign ${name}`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>{accepted ? 'Close' : 'Cancel'}</button>
          {!accepted && (
            <button className="primary" disabled={typeof parsed === 'string' || reassign.isPending} onClick={submit}>
              {reassign.isPending ? 'Submitting…' : 'Reassign'}
            </button>
          )}
        </>
      }
    >
      <p>
        Replicas now {list(row.replicas)}, leader {row.leader === -1 ? 'none' : `node ${row.leader}`}. New replicas catch up from the leader and join the ISR;
        then the replicas left out leave and drop their copy. Producers and consumers keep working.
      </p>
      <label className="field">
        New replicas, in order (the first is the preferred leader)
        <input
          aria-label="New replicas"
          value={text}
          disabled={accepted}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && !accepted && submit()}
          placeholder={nodes.map((n) => n.id).join(', ')}
        />
      </label>
      <p className="muted small">Nodes: {nodes.map((n) => `${n.id} (${n.state})`).join(', ')}</p>
      {typeof parsed === 'string' && !accepted && <p className="warn-note">{parsed}</p>}
      <ErrorView error={reassign.error} title="Reassignment failed" />
      {result && !accepted && <p className="warn-note">Refused: {result.message ?? result.code}</p>}
      {accepted && (
        <p role="status" data-testid="reassign-status">
          {done
            ? `Done: ${name} has replicas ${list(row.replicas)}, leader ${row.leader === -1 ? 'none' : `node ${row.leader}`}.`
            : current
              ? `In progress: replicas ${list(current.replicas)}, adding ${list(current.adding)}, removing ${list(current.removing)}.`
              : `Submitted: moving ${name} to ${list(target ?? [])}…`}
        </p>
      )}
    </Dialog>
  );
}
