// What the replica map and the timeline show, computed from the cluster state and the events
// alone (no React), so the rules are tested without a browser: which state each cell is in,
// which cells changed since the last state (they flash), how rows are grouped and filtered, and
// whether what is on screen is stale.
import type { ClusterEvent, ClusterNode, ClusterState, PartitionRow } from '../../../main/contract/index.ts';

/**
 * leader / in-sync follower / out-of-sync follower (a replica not in the ISR); offline: a replica
 * on a node that is not running (dead, paused, stopped), or any replica of a partition with no
 * leader; none: the node holds no replica of the partition.
 */
export type CellState = 'leader' | 'in-sync' | 'out-of-sync' | 'offline' | 'none';

export const CELL_LABEL: Record<CellState, string> = {
  leader: 'leader',
  'in-sync': 'in-sync follower',
  'out-of-sync': 'out-of-sync follower',
  offline: 'offline',
  none: 'not a replica',
};

export function cellState(row: PartitionRow, node: Pick<ClusterNode, 'id' | 'state'>): CellState {
  if (!row.replicas.includes(node.id)) return 'none';
  if (node.state !== 'running' || row.leader === -1) return 'offline';
  if (row.leader === node.id) return 'leader';
  return row.isr.includes(node.id) ? 'in-sync' : 'out-of-sync';
}

export const cellKey = (topic: string, partition: number, nodeId: number) => `${topic}\u0000${partition}\u0000${nodeId}`;

/** Every replica map cell's state, by cellKey. */
export function cellStates(state: { nodes: Pick<ClusterNode, 'id' | 'state'>[]; partitions: PartitionRow[] }): Map<string, CellState> {
  const cells = new Map<string, CellState>();
  for (const row of state.partitions) for (const n of state.nodes) cells.set(cellKey(row.topic, row.partition, n.id), cellState(row, n));
  return cells;
}

/** Keys of the cells whose state differs from `before` (a cell that did not exist before has changed only if it is a replica). */
export function changedCells(before: Map<string, CellState> | null, after: Map<string, CellState>): Set<string> {
  const changed = new Set<string>();
  if (!before) return changed;
  for (const [k, s] of after) if ((before.get(k) ?? 'none') !== s) changed.add(k);
  return changed;
}

export interface TopicGroup {
  topic: string;
  internal: boolean;
  rows: PartitionRow[];
}

/** Rows grouped by topic (sorted, internal topics last), partitions in order; `filter` matches topic names, case-insensitively. */
export function groupPartitions(rows: PartitionRow[], opts: { filter: string; showInternal: boolean }): TopicGroup[] {
  const needle = opts.filter.trim().toLowerCase();
  const groups = new Map<string, TopicGroup>();
  for (const r of rows) {
    if (r.internal && !opts.showInternal) continue;
    if (needle && !r.topic.toLowerCase().includes(needle)) continue;
    let g = groups.get(r.topic);
    if (!g) groups.set(r.topic, (g = { topic: r.topic, internal: r.internal, rows: [] }));
    g.rows.push(r);
  }
  for (const g of groups.values()) g.rows.sort((a, b) => a.partition - b.partition);
  return [...groups.values()].sort((a, b) => Number(a.internal) - Number(b.internal) || a.topic.localeCompare(b.topic));
}

/** One line about a partition's health for the map's row header. */
export function partitionHealth(row: PartitionRow): 'offline' | 'under-min-isr' | 'under-replicated' | 'reassigning' | 'ok' {
  if (row.leader === -1) return 'offline';
  if (row.isr.length < row.minInsyncReplicas) return 'under-min-isr';
  if (row.isr.length < row.replicas.length) return 'under-replicated';
  if (row.adding.length || row.removing.length) return 'reassigning';
  return 'ok';
}

export type EventGroup = 'nodes' | 'controller' | 'brokers' | 'leaders' | 'isr' | 'topics' | 'reassignments';

export function eventGroup(kind: ClusterEvent['kind']): EventGroup {
  if (kind.startsWith('node-')) return 'nodes';
  if (kind === 'controller-elected') return 'controller';
  if (kind.startsWith('broker-')) return 'brokers';
  if (kind === 'leader-changed' || kind === 'partition-offline') return 'leaders';
  if (kind.startsWith('isr-')) return 'isr';
  if (kind.startsWith('reassignment-')) return 'reassignments';
  return 'topics';
}

/** Newest first; `groups` empty = every kind; `text` matches the line, the topic and the node id. */
export function filterEvents(events: ClusterEvent[], opts: { groups: ReadonlySet<EventGroup>; text: string }): ClusterEvent[] {
  const needle = opts.text.trim().toLowerCase();
  const out: ClusterEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (opts.groups.size && !opts.groups.has(eventGroup(e.kind))) continue;
    if (needle && !`${e.text} ${e.topic ?? ''} node ${e.nodeId ?? ''}`.toLowerCase().includes(needle)) continue;
    out.push(e);
  }
  return out;
}

/**
 * Why what is on screen may be behind the cluster, or null when it is live: the console's socket
 * is reconnecting, or the console server cannot reach the supervisor or read the metadata log
 * (e.g. right after the node it read from was killed, until it switches to another).
 */
export function staleReason(reconnecting: string | null, state: Pick<ClusterState, 'sources'> | null): string | null {
  if (reconnecting) return reconnecting;
  if (!state) return null;
  const { supervisor, metadata, nodes } = state.sources;
  if (!supervisor.startsWith('live')) return `Supervisor: ${supervisor}`;
  if (!metadata.startsWith('live')) return `Metadata log: ${metadata}`;
  if (!nodes.startsWith('live')) return `Nodes: ${nodes}`;
  return null;
}
