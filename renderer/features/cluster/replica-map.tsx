// Partitions (rows, grouped by topic) × nodes (columns): where every replica is and what it is
// doing, from the cluster state pushed on every metadata change. A cell whose state changed
// flashes briefly; a partition whose first replica does not lead can get its preferred leader
// back from here, and any partition can be reassigned to another replica set ("Reassign to…").
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ClusterState, PartitionRow } from '../../../main/contract/index.ts';
import { useElectLeaders } from '../../api/cluster-control.ts';
import { ErrorView } from '../../components/error-view.tsx';
import { ReassignDialog } from './reassign-dialog.tsx';
import { CELL_LABEL, cellKey, cellStates, changedCells, groupPartitions, partitionHealth, type CellState } from './replica-map-model.ts';

const CELL_MARK: Record<CellState, string> = { leader: 'L', 'in-sync': '●', 'out-of-sync': '○', offline: '✕', none: '' };
const HEALTH_BADGE: Record<ReturnType<typeof partitionHealth>, { text: string; tone: string } | null> = {
  offline: { text: 'offline', tone: 'bad' },
  'under-min-isr': { text: 'below min ISR', tone: 'bad' },
  'under-replicated': { text: 'under-replicated', tone: 'warn' },
  reassigning: { text: 'reassigning', tone: 'info' },
  ok: null,
};

function Legend() {
  return (
    <div className="replica-legend" aria-label="Legend">
      {(Object.keys(CELL_MARK) as CellState[]).map((s) => (
        <span key={s}>
          <span className={`replica-cell ${s}`}>{CELL_MARK[s]}</span> {CELL_LABEL[s]}
        </span>
      ))}
    </div>
  );
}

export function ReplicaMap({ clusterId, state }: { clusterId: string; state: ClusterState }) {
  const [filter, setFilter] = useState('');
  const [showInternal, setShowInternal] = useState(false);
  const elect = useElectLeaders(clusterId);
  const [reassigning, setReassigning] = useState<{ topic: string; partition: number } | null>(null);
  const closeReassign = useCallback(() => setReassigning(null), []);
  const reassignRow = reassigning && state.partitions.find((p) => p.topic === reassigning.topic && p.partition === reassigning.partition);
  const cells = useMemo(() => cellStates(state), [state]);
  // The previous state's cells, to flash what changed; a changed cell gets a fresh key so its
  // animation replays even when it changes twice in a row.
  const previous = useRef<{ cells: Map<string, CellState>; changed: Set<string>; generation: number } | null>(null);
  const flashes = useMemo(() => {
    const prev = previous.current;
    const changed = changedCells(prev?.cells ?? null, cells);
    const next = { cells, changed, generation: (prev?.generation ?? 0) + 1 };
    previous.current = next;
    return next;
  }, [cells]);
  const groups = groupPartitions(state.partitions, { filter, showInternal });
  const electOne = (r: PartitionRow) => elect.mutate({ partitions: [{ topic: r.topic, partition: r.partition }] });
  const needsElection = state.partitions.some((r) => r.leader !== -1 && r.leader !== r.replicas[0]);

  return (
    <section aria-label="Replica map">
      <div className="toolbar">
        <label>
          Filter topics
          <input aria-label="Filter topics" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="topic name" />
        </label>
        <label className="check">
          <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} /> Internal topics
        </label>
        <button disabled={!needsElection || elect.isPending} onClick={() => elect.mutate({ partitions: null })} title="Every partition whose first replica is in sync gets it back as leader">
          Elect preferred leaders
        </button>
        <Legend />
      </div>
      <ErrorView error={elect.error} title="Leader election failed" />
      {elect.data && (
        <p className="muted small" role="status">
          Election: {elect.data.results.filter((r) => r.code === 'NONE').length} partition(s) got their preferred leader back
          {elect.data.results.some((r) => r.code !== 'NONE' && r.code !== 'ELECTION_NOT_NEEDED') &&
            `; ${elect.data.results
              .filter((r) => r.code !== 'NONE' && r.code !== 'ELECTION_NOT_NEEDED')
              .map((r) => `${r.topic}-${r.partition}: ${r.message ?? r.code}`)
              .join('; ')}`}
        </p>
      )}
      <table className="table replica-map" aria-label="Replica map">
        <thead>
          <tr>
            <th>Partition</th>
            {state.nodes.map((n) => (
              <th key={n.id} className={`num ${n.state === 'running' ? '' : 'node-down'}`}>
                Node {n.id}
              </th>
            ))}
            <th>Leader</th>
            <th className="row-actions" />
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.topic} data-learn-target={`replica-topic:${g.topic}`}>
            <tr className="topic-row">
              <th colSpan={state.nodes.length + 3} scope="rowgroup">
                {g.topic}
                {g.internal && <span className="badge">internal</span>}
              </th>
            </tr>
            {g.rows.map((r) => {
              const name = `${r.topic}-${r.partition}`;
              const health = HEALTH_BADGE[partitionHealth(r)];
              return (
                <tr key={name} data-testid="partition-row" data-partition={name} data-learn-target={`replica-row:${name}`}>
                  <th scope="row" className="mono">
                    {name}
                    {health && <span className={`badge ${health.tone}`}>{health.text}</span>}
                  </th>
                  {state.nodes.map((n) => {
                    const k = cellKey(r.topic, r.partition, n.id);
                    const s = cells.get(k) ?? 'none';
                    const changed = flashes.changed.has(k);
                    return (
                      <td
                        key={changed ? `${n.id}-${flashes.generation}` : n.id}
                        className={`num replica-cell ${s}${changed ? ' changed' : ''}`}
                        data-node={n.id}
                        data-state={s}
                        title={`${name} on node ${n.id}: ${CELL_LABEL[s]}`}
                        aria-label={`${name} on node ${n.id}: ${CELL_LABEL[s]}`}
                      >
                        {CELL_MARK[s]}
                      </td>
                    );
                  })}
                  <td className="num" data-testid="leader">
                    {r.leader === -1 ? 'none' : r.leader}
                  </td>
                  <td className="row-actions">
                    {r.leader !== -1 && r.leader !== r.replicas[0] && (
                      <button className="small" aria-label={`Elect preferred leader of ${name}`} disabled={elect.isPending} onClick={() => electOne(r)}>
                        Preferred leader ({r.replicas[0]})
                      </button>
                    )}
                    <button className="small" aria-label={`Reassign ${name}`} onClick={() => setReassigning({ topic: r.topic, partition: r.partition })}>
                      Reassign to…
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
      {reassignRow && <ReassignDialog clusterId={clusterId} row={reassignRow} nodes={state.nodes} onClose={closeReassign} />}
      {groups.length === 0 && (
        <p className="muted">
          {filter.trim() ? 'No topic matches the filter.' : state.partitions.length ? 'Only internal topics so far: tick “Internal topics” to see them.' : 'No partitions yet.'}
        </p>
      )}
    </section>
  );
}
