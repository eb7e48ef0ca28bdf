import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IsrChanges } from './isr-changes.ts';

const view = (leader: number, isr: number[], partition = 0) => ({ topic: 't', partition, leader, isr });

test('ISR changes of partitions led here count once per change; others and the first sight do not', () => {
  const c = new IsrChanges(1);
  c.observe([view(1, [1, 2, 3]), view(2, [2, 3, 1], 1)]); // first sight: nothing to compare
  assert.deepEqual([c.shrinks, c.expands], [0, 0]);
  c.observe([view(1, [1, 2])]); // node 3 dropped
  c.observe([view(2, [2, 3], 1)]); // shrink of a partition led elsewhere
  assert.deepEqual([c.shrinks, c.expands], [1, 0]);
  c.observe([view(1, [1, 2])]); // unchanged (another field of the topic changed)
  c.observe([view(1, [1, 2, 3])]);
  assert.deepEqual([c.shrinks, c.expands], [1, 1]);
  c.observe([view(1, [1, 3, 4])]); // 2 out, 4 in: both
  assert.deepEqual([c.shrinks, c.expands], [2, 2]);
});

test('a partition this node takes over while its ISR shrinks counts here (the fenced leader dropped)', () => {
  const c = new IsrChanges(2);
  c.observe([view(1, [1, 2, 3])]);
  c.observe([view(2, [2, 3])]);
  assert.equal(c.shrinks, 1);
});

test('a deleted and re-created topic starts afresh', () => {
  const c = new IsrChanges(1);
  c.observe([view(1, [1, 2, 3])]);
  c.forget('t');
  c.observe([view(1, [1])]);
  assert.equal(c.shrinks, 0);
});
