import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterEvent, PartitionRow } from '../../../main/contract/index.ts';
import { cellKey, cellState, cellStates, changedCells, filterEvents, groupPartitions, partitionHealth, staleReason } from './replica-map-model.ts';

const row = (o: Partial<PartitionRow> = {}): PartitionRow => ({
  topic: 'orders',
  partition: 0,
  internal: false,
  leader: 1,
  leaderEpoch: 0,
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  adding: [],
  removing: [],
  minInsyncReplicas: 2,
  ...o,
});
const running = (id: number) => ({ id, state: 'running' as const });

test('a cell is leader, in-sync, out-of-sync, offline or not a replica', () => {
  const r = row({ replicas: [1, 2, 3], isr: [1, 2], leader: 1 });
  assert.equal(cellState(r, running(1)), 'leader');
  assert.equal(cellState(r, running(2)), 'in-sync');
  assert.equal(cellState(r, running(3)), 'out-of-sync');
  assert.equal(cellState(r, running(4)), 'none');
  // a replica on a killed or paused node is offline even while the metadata still lists it in the ISR
  assert.equal(cellState(r, { id: 2, state: 'dead' }), 'offline');
  assert.equal(cellState(r, { id: 1, state: 'paused' }), 'offline');
  // a partition without a leader: every replica is offline
  assert.equal(cellState(row({ leader: -1, isr: [3] }), running(3)), 'offline');
});

test('failover: the cells that changed are the old leader, the new leader and nothing else', () => {
  const nodes = [running(1), running(2), running(3)];
  const before = cellStates({ nodes, partitions: [row({ leader: 1 }), row({ partition: 1, leader: 2 })] });
  const after = cellStates({
    nodes: [{ id: 1, state: 'dead' }, running(2), running(3)],
    partitions: [row({ leader: 2, isr: [2, 3] }), row({ partition: 1, leader: 2, isr: [2, 3] })],
  });
  assert.deepEqual(
    [...changedCells(before, after)].sort(),
    [cellKey('orders', 0, 1), cellKey('orders', 0, 2), cellKey('orders', 1, 1)].sort(),
  );
  assert.equal(after.get(cellKey('orders', 0, 2)), 'leader');
  // the first state has nothing to compare with: nothing flashes
  assert.equal(changedCells(null, after).size, 0);
});

test('rows are grouped by topic, filtered by name, internal topics hidden unless asked for', () => {
  const rows = [row({ topic: 'zeta', partition: 1 }), row({ topic: 'zeta', partition: 0 }), row({ topic: '__consumer_offsets', internal: true }), row({ topic: 'Alpha' })];
  assert.deepEqual(
    groupPartitions(rows, { filter: '', showInternal: false }).map((g) => [g.topic, g.rows.map((r) => r.partition)]),
    [
      ['Alpha', [0]],
      ['zeta', [0, 1]],
    ],
  );
  assert.deepEqual(groupPartitions(rows, { filter: 'ALP', showInternal: true }).map((g) => g.topic), ['Alpha']);
  assert.deepEqual(groupPartitions(rows, { filter: '', showInternal: true }).map((g) => g.topic), ['Alpha', 'zeta', '__consumer_offsets']);
});

test('partition health', () => {
  assert.equal(partitionHealth(row({ leader: -1 })), 'offline');
  assert.equal(partitionHealth(row({ isr: [1] })), 'under-min-isr');
  assert.equal(partitionHealth(row({ isr: [1, 2] })), 'under-replicated');
  assert.equal(partitionHealth(row({ adding: [4] })), 'reassigning');
  assert.equal(partitionHealth(row()), 'ok');
});

const event = (seq: number, kind: ClusterEvent['kind'], text: string, o: Partial<ClusterEvent> = {}): ClusterEvent => ({
  seq,
  at: 1000 + seq,
  source: kind.startsWith('node-') ? 'supervisor' : 'metadata',
  kind,
  nodeId: null,
  topic: null,
  partition: null,
  leader: null,
  isr: null,
  replicas: null,
  offset: null,
  text,
  ...o,
});

test('the timeline is newest first and filters by kind and text', () => {
  const events = [
    event(1, 'node-killed', 'node 2 killed (SIGKILL)', { nodeId: 2 }),
    event(2, 'broker-fenced', 'broker 2 fenced', { nodeId: 2 }),
    event(3, 'leader-changed', 'orders-0: leader 2 → 3', { topic: 'orders', partition: 0, nodeId: 3 }),
    event(4, 'isr-shrunk', 'payments-1: ISR [1,2,3] → [1,3]', { topic: 'payments', partition: 1 }),
  ];
  assert.deepEqual(filterEvents(events, { groups: new Set(), text: '' }).map((e) => e.seq), [4, 3, 2, 1]);
  assert.deepEqual(filterEvents(events, { groups: new Set(['leaders', 'isr']), text: '' }).map((e) => e.seq), [4, 3]);
  assert.deepEqual(filterEvents(events, { groups: new Set(), text: 'ORDERS' }).map((e) => e.seq), [3]);
  assert.deepEqual(filterEvents(events, { groups: new Set(['nodes']), text: 'node 2' }).map((e) => e.seq), [1]);
});

test('stale: the socket is reconnecting or a source is not live', () => {
  const live = { sources: { supervisor: 'live', metadata: 'live, reading the metadata log from node 1', nodes: 'live' } };
  assert.equal(staleReason(null, live), null);
  assert.equal(staleReason(null, null), null);
  assert.match(staleReason('The live connection to the console server was lost; reconnecting…', live) ?? '', /reconnecting/);
  assert.equal(
    staleReason(null, { sources: { ...live.sources, metadata: 'reconnecting (connect ECONNREFUSED)' } }),
    'Metadata log: reconnecting (connect ECONNREFUSED)',
  );
  assert.match(staleReason(null, { sources: { ...live.sources, supervisor: 'cannot reach the supervisor (x); retrying' } }) ?? '', /^Supervisor:/);
});
