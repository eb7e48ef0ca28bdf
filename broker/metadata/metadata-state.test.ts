// The creation and visibility stamps of the materialized metadata (visibility.ts): partitions
// stay hidden until a Propagated record covers their creation, changes keep the stamps, and a
// snapshot carries them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetadataState } from './metadata-state.ts';
import type { TopicMeta } from './types.ts';
import { isBeingCreated, visiblePartitions } from './visibility.ts';

const topic = (name: string, n: number): TopicMeta => ({
  name,
  topicId: 'ab'.repeat(16),
  internal: false,
  configs: {},
  partitions: Array.from({ length: n }, (_, i) => ({ partition: i, leader: 1, leaderEpoch: 0, replicas: [1], isr: [1] })),
});

test('a new topic is hidden until a Propagated record covers its creation', () => {
  const s = new MetadataState();
  s.apply({ type: 'Topic', topic: topic('t', 2) }, 5);
  const t = () => s.topics.get('t')!;
  assert.ok(isBeingCreated(t()));
  assert.equal(s.firstHidden(), 5);
  s.apply({ type: 'Propagated', upTo: 5 }, 6); // offset 5 itself not yet applied everywhere
  assert.ok(isBeingCreated(t()));
  assert.deepEqual(s.apply({ type: 'Propagated', upTo: 6 }, 7).names(), ['t']);
  assert.ok(!isBeingCreated(t()));
  assert.equal(visiblePartitions(t()).length, 2);
  assert.deepEqual(
    t().partitions.map((p) => [p.createdAt, p.visibleAt]),
    [
      [5, 7],
      [5, 7],
    ],
  );
  assert.equal(s.firstHidden(), Infinity);
});

test('added partitions stay hidden (the visible count never goes down); changes keep the stamps', () => {
  const s = new MetadataState();
  s.apply({ type: 'Topic', topic: topic('t', 1) }, 1);
  s.apply({ type: 'Propagated', upTo: 2 }, 2);
  const p0 = s.topics.get('t')!.partitions[0];
  s.apply({ type: 'Partition', topic: 't', partition: { ...p0, partition: 1, createdAt: undefined, visibleAt: undefined } }, 3);
  assert.equal(visiblePartitions(s.topics.get('t')!).length, 1);
  // A leader change carrying stale (or no) stamps does not hide or reveal anything.
  s.apply({ type: 'Partition', topic: 't', partition: { ...p0, leader: 2, leaderEpoch: 1, visibleAt: undefined } }, 4);
  assert.equal(s.topics.get('t')!.partitions[0].visibleAt, 2);
  assert.equal(visiblePartitions(s.topics.get('t')!).length, 1);
  s.apply({ type: 'Propagated', upTo: 5 }, 5);
  assert.equal(visiblePartitions(s.topics.get('t')!).length, 2);

  const copy = new MetadataState();
  copy.restore(s.snapshot());
  assert.deepEqual(copy.topics.get('t'), s.topics.get('t'));
});

test('partitions without stamps (single-node metadata, older logs) are visible', () => {
  const t = topic('old', 3);
  assert.ok(!isBeingCreated(t));
  assert.equal(visiblePartitions(t).length, 3);
});

test('SCRAM credential records upsert and remove per mechanism, and a snapshot carries them', () => {
  const s = new MetadataState();
  const cred = (mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', key: string) =>
    ({ mechanism, salt: 'c2FsdA==', storedKey: key, serverKey: key, iterations: 4096 }) as const;
  s.apply({ type: 'UserScramCredential', name: 'alice', ...cred('SCRAM-SHA-256', 'a1') }, 1);
  s.apply({ type: 'UserScramCredential', name: 'alice', ...cred('SCRAM-SHA-512', 'a2') }, 2);
  s.apply({ type: 'UserScramCredential', name: 'alice', ...cred('SCRAM-SHA-256', 'a3') }, 3); // a new password
  s.apply({ type: 'UserScramCredential', name: 'bob', ...cred('SCRAM-SHA-256', 'b1') }, 4);
  s.apply({ type: 'RemoveUserScramCredential', name: 'bob', mechanism: 'SCRAM-SHA-256' }, 5);
  assert.deepEqual([...s.scram.keys()], ['alice']);
  assert.equal(s.scram.get('alice')!.get('SCRAM-SHA-256')!.storedKey, 'a3');

  const copy = new MetadataState();
  copy.restore(s.snapshot());
  assert.deepEqual(copy.scram, s.scram);
  // A snapshot from before SCRAM credentials existed restores with none.
  const { scram: _, ...old } = s.snapshot();
  copy.restore(old);
  assert.equal(copy.scram.size, 0);
});

test('ACL records add and remove bindings by id, and a snapshot carries them', () => {
  const s = new MetadataState();
  const binding = { resourceType: 2, resourceName: 'orders', patternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 };
  s.apply({ type: 'AccessControlEntry', id: 'a', ...binding }, 1);
  s.apply({ type: 'AccessControlEntry', id: 'b', ...binding, operation: 4 }, 2);
  s.apply({ type: 'RemoveAccessControlEntry', id: 'a' }, 3);
  assert.deepEqual([...s.acls.values()], [{ id: 'b', ...binding, operation: 4 }]);

  const copy = new MetadataState();
  copy.restore(s.snapshot());
  assert.deepEqual(copy.acls, s.acls);
  const { acls: _, ...old } = s.snapshot();
  copy.restore(old);
  assert.equal(copy.acls.size, 0);
});
