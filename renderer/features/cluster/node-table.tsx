// The bundled cluster's nodes as the supervisor and the controller see them: every node stays
// listed whatever its state (running / paused / stopped / dead, in colour), with its role, load
// and the actions its state allows.
import type { ClusterNode, NodeAction } from '../../../main/contract/index.ts';
import type { ControlRequest } from '../../api/cluster-control.ts';
import { formatBytes, formatNumber } from '../../components/format.ts';
import { ACTION_LABEL } from './node-action-dialog.tsx';

const STATE_TONE: Record<ClusterNode['state'], string> = {
  starting: 'info',
  running: 'ok',
  paused: 'warn',
  stopping: 'warn',
  stopped: 'muted',
  dead: 'bad',
};

/** What a node in this state can be asked to do (the supervisor refuses the others). */
export function actionsFor(state: ClusterNode['state']): NodeAction[] {
  switch (state) {
    case 'running':
      return ['kill', 'pause', 'stop', 'restart'];
    case 'paused':
      return ['resume', 'kill'];
    case 'stopped':
    case 'dead':
      return ['restart'];
    default:
      return ['kill'];
  }
}

export function formatUptime(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

const perSecond = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${formatBytes(Math.round(n))}/s`);

export function NodeTable({ nodes, onAction }: { nodes: ClusterNode[]; onAction: (r: ControlRequest) => void }) {
  return (
    <table className="table" aria-label="Nodes" data-learn-target="node-table">
      <thead>
        <tr>
          <th className="num">Node</th>
          <th>State</th>
          <th className="num">Pid</th>
          <th>Listening</th>
          <th>Role</th>
          <th className="num">Uptime</th>
          <th className="num">Leaders</th>
          <th className="num">Partitions</th>
          <th className="num">In</th>
          <th className="num">Out</th>
          <th className="num">CPU</th>
          <th className="num">RSS</th>
          <th className="row-actions">Actions</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr key={n.id} data-testid="node-row" data-node={n.id} className={n.state === 'running' ? undefined : 'down'}>
            <td className="num">{n.id}</td>
            <td>
              <span className={`badge ${STATE_TONE[n.state]}`} data-testid="node-state">
                {n.state}
              </span>
              {n.fenced && n.state === 'running' && <span className="badge warn">fenced</span>}
            </td>
            <td className="num mono">{n.pid}</td>
            <td className="mono">
              {n.host}:{n.port}
            </td>
            <td>
              {n.controller && <span className="badge info">controller</span>}
              <span className="badge" title={n.role === 'voter' ? 'A member of the metadata quorum' : 'A broker that follows the metadata quorum without voting'}>
                {n.role}
              </span>
            </td>
            <td className="num">{formatUptime(n.uptimeMs)}</td>
            <td className="num">{formatNumber(n.leaders)}</td>
            <td className="num">{formatNumber(n.partitions)}</td>
            <td className="num">{perSecond(n.metrics?.bytesInPerSec)}</td>
            <td className="num">{perSecond(n.metrics?.bytesOutPerSec)}</td>
            <td className="num">{n.metrics?.cpuPercent === null || n.metrics === null ? '—' : `${n.metrics.cpuPercent.toFixed(0)}%`}</td>
            <td className="num">{formatBytes(n.metrics?.rssBytes)}</td>
            <td className="row-actions">
              {actionsFor(n.state).map((a) => (
                <button key={a} className={a === 'kill' ? 'danger small' : 'small'} aria-label={`${ACTION_LABEL[a]} node ${n.id}`} onClick={() => onAction({ action: a, nodeId: n.id })}>
                  {ACTION_LABEL[a]}
                </button>
              ))}
              {n.role === 'observer' && (
                <button className="small" aria-label={`Remove node ${n.id}`} onClick={() => onAction({ action: 'remove', nodeId: n.id })}>
                  Remove
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
