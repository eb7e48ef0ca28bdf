// The confirmation of a node action: what the button does and what will follow, computed by the
// console server from the metadata now ("3 partitions led by node 2 will elect new leaders"),
// with the supervisor's refusal when it will refuse. Confirm is a real button (Enter/Space).
// A removal runs until the node's replicas have moved: the dialog counts them off from the live
// cluster state (the partitions that still list the node) until the supervisor answers.
import { useState } from 'react';
import type { ClusterState, ImpactAction } from '../../../main/contract/index.ts';
import { useImpact, useNodeControl, type ControlRequest } from '../../api/cluster-control.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorView } from '../../components/error-view.tsx';

export const ACTION_LABEL: Record<ImpactAction, string> = {
  kill: 'Kill -9',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  restart: 'Restart',
  add: 'Add node',
  remove: 'Remove node',
};

const hostedOn = (s: ClusterState | null, id: number | null) => (s && id !== null ? s.partitions.filter((p) => p.replicas.includes(id)).length : 0);

export function NodeActionDialog({
  clusterId,
  request,
  state,
  onClose,
}: {
  clusterId: string;
  request: ControlRequest;
  state: ClusterState | null;
  onClose: () => void;
}) {
  const nodeId = request.action === 'add' ? null : request.nodeId;
  const [moving, setMoving] = useState<number | null>(null);
  const impact = useImpact(clusterId, request.action, nodeId);
  const control = useNodeControl(clusterId);
  const i = impact.data;
  const label = ACTION_LABEL[request.action];
  return (
    <Dialog
      title={nodeId === null ? label : `${label} node ${nodeId}`}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button
            className={i?.severity === 'danger' ? 'danger' : 'primary'}
            disabled={!i || i.refusal !== null || control.isPending}
            onClick={() => {
              if (request.action === 'remove') setMoving(hostedOn(state, nodeId));
              control.mutate(request, { onSuccess: onClose });
            }}
          >
            {control.isPending ? 'Working…' : label}
          </button>
        </>
      }
    >
      {impact.isPending && <p className="muted">Working out what will happen…</p>}
      <ErrorView error={impact.error} title="Cannot tell what will happen" />
      {i && (
        <div data-testid="impact" className={`impact ${i.severity}`}>
          <p>{i.summary}</p>
          {i.consequences.length > 0 && (
            <ul>
              {i.consequences.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
          {i.refusal && <p className="warn-note">Not possible: {i.refusal}.</p>}
        </div>
      )}
      {control.isPending && moving !== null && moving > 0 && (
        <p role="status" data-testid="removal-progress">
          Moving {moving} partition{moving === 1 ? '' : 's'} off node {nodeId} … {Math.max(0, moving - hostedOn(state, nodeId))}/{moving}
        </p>
      )}
      <ErrorView error={control.error} title={`${label} failed`} />
    </Dialog>
  );
}
