// Metadata records → timeline events, on the console's own model: each Partition record is the
// whole new state, so the events are the difference with the state before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterModel } from './events-metadata.ts';

const part = (partition: number, leader: number, isr: number[], replicas = [1, 2, 3], extra = {}) => ({
  partition,
  leader,
  leaderEpoch: 0,
  replicas,
  isr,
  ...extra,
});

function model() {
  const m = new ClusterModel();
  let offset = 0;
  const apply = (record: unknown, at: number | null = 1000 + offset) => m.apply(record, offset++, at);
  apply({ type: 'LeaderChange', leaderId: 2, epoch: 4 });
  for (const nodeId of [1, 2, 3]) {
    apply({ type: 'RegisterBroker', broker: { nodeId, host: '127.0.0.1', port: 9091 + nodeId, rack: null }, incarnation: 'x' });
    apply({ type: 'UnfenceBroker', nodeId });
  }
  apply({ type: 'Topic', topic: { name: 'orders', topicId: 'a'.repeat(32), internal: false, configs: {}, partitions: [part(0, 1, [1, 2, 3]), part(1, 2, [2, 3, 1])] } });
  return { m, apply };
}

test('controller, brokers and topics from their records', () => {
  const { m, apply } = model();
  assert.equal(m.controllerId, 2);
  assert.deepEqual([...m.brokers.values()].map((b) => [b.nodeId, b.fenced]), [[1, false], [2, false], [3, false]]);
  assert.equal(m.partitions().length, 2);
  const [e] = apply({ type: 'LeaderChange', leaderId: 3, epoch: 5 });
  assert.equal(e.kind, 'controller-elected');
  assert.equal(e.nodeId, 3);
  assert.match(e.text, /node 3 elected controller \(epoch 5\)/);
});

test('fencing the leader: broker-fenced, then the partition has a new leader and a smaller ISR', () => {
  const { m, apply } = model();
  const fenced = apply({ type: 'FenceBroker', nodeId: 1, at: 5 }, 5000);
  assert.deepEqual(fenced.map((e) => [e.kind, e.nodeId, e.at, e.source]), [['broker-fenced', 1, 5000, 'metadata']]);
  const events = apply({ type: 'Partition', topic: 'orders', partition: part(0, 2, [2, 3]) }, 5001);
  assert.deepEqual(events.map((e) => e.kind), ['leader-changed', 'isr-shrunk']);
  assert.deepEqual(events[0].leader, { from: 1, to: 2 });
  assert.equal(events[0].nodeId, 2);
  assert.equal(events[0].text, 'orders-0 leader 1 → 2');
  assert.deepEqual(events[1].isr, { from: [1, 2, 3], to: [2, 3] });
  assert.equal(events[1].nodeId, 1);
  assert.equal(events[1].offset, m.offset);
  assert.equal(m.partitions()[0].leader, 2);
});

test('no live in-sync replica: offline; its return: back online; a follower catching up: ISR expanded', () => {
  const { apply } = model();
  apply({ type: 'Partition', topic: 'orders', partition: part(0, 1, [1], [1]) });
  const off = apply({ type: 'Partition', topic: 'orders', partition: part(0, -1, [1], [1]) });
  assert.deepEqual(off.map((e) => e.kind), ['partition-offline']);
  assert.deepEqual(off[0].leader, { from: 1, to: -1 });
  const back = apply({ type: 'Partition', topic: 'orders', partition: part(0, 1, [1], [1]) });
  assert.deepEqual(back.map((e) => [e.kind, e.text]), [['leader-changed', 'orders-0 back online: leader 1']]);
  const grown = apply({ type: 'Partition', topic: 'orders', partition: part(1, 2, [2, 3]) });
  assert.deepEqual(grown.map((e) => e.kind), ['isr-shrunk']);
  const caughtUp = apply({ type: 'Partition', topic: 'orders', partition: part(1, 2, [2, 3, 1]) });
  assert.deepEqual(caughtUp.map((e) => [e.kind, e.nodeId]), [['isr-expanded', 1]]);
});

test('a reassignment starts when replicas are being added and completes when they are done', () => {
  const { apply } = model();
  const started = apply({ type: 'Partition', topic: 'orders', partition: part(0, 1, [1, 2, 3], [1, 2, 3, 4], { addingReplicas: [4], removingReplicas: [3] }) });
  assert.deepEqual(started.map((e) => [e.kind, e.replicas]), [['reassignment-started', { from: [1, 2, 3], to: [1, 2, 4] }]]);
  const done = apply({ type: 'Partition', topic: 'orders', partition: part(0, 1, [1, 2, 4], [1, 2, 4]) });
  assert.deepEqual(done.map((e) => e.kind), ['isr-shrunk', 'isr-expanded', 'reassignment-completed']);
  assert.deepEqual(done[2].replicas, { from: [1, 2, 3], to: [1, 2, 4] });
});

test('new partitions, deleted topics; unknown records and records without a time make no event', () => {
  const { m, apply } = model();
  assert.deepEqual(apply({ type: 'Partition', topic: 'orders', partition: part(2, 3, [3, 1, 2]) }).map((e) => e.kind), ['partitions-added']);
  assert.deepEqual(apply({ type: 'Propagated', upTo: 3 }), []);
  assert.deepEqual(apply({ type: 'TopicConfigs', name: 'orders', changes: {} }), []);
  assert.deepEqual(apply({ nonsense: true }), []);
  assert.deepEqual(apply({ type: 'Partition', topic: 'orders', partition: part(0, 3, [3]) }, null), [], 'no time, no event');
  assert.equal(m.partitions()[0].leader, 3, 'but the model has it');
  assert.deepEqual(apply({ type: 'RemoveTopic', name: 'orders' }).map((e) => e.kind), ['topic-deleted']);
  assert.equal(m.partitions().length, 0);
});

test('a snapshot replaces the state; the records after it continue from its end', () => {
  const m = new ClusterModel();
  m.restore(40, {
    brokers: [{ nodeId: 1, host: 'h', port: 1, rack: null, fenced: false, incarnation: 'i', epoch: 3 }],
    topics: [{ name: 't', topicId: 'b'.repeat(32), internal: true, configs: {}, partitions: [part(0, 1, [1], [1])] }],
    brokerConfigs: {},
  });
  assert.equal(m.offset, 39);
  assert.ok(m.isInternal('t'));
  const e = m.apply({ type: 'Partition', topic: 't', partition: part(0, -1, [1], [1]) }, 40, 9);
  assert.deepEqual(e.map((x) => x.kind), ['partition-offline']);
});
