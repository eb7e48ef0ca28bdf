import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelOwnTask, inOwnTask } from './one-per-task.ts';

const settled = () => new Promise((r) => setTimeout(r, 30));

test('jobs run in the order asked, each in a task of its own (microtasks of one run before the next job)', async () => {
  const order: string[] = [];
  const a = {};
  const b = {};
  const c = {};
  for (const [key, name] of [
    [a, 'a'],
    [b, 'b'],
    [c, 'c'],
  ] as const)
    inOwnTask(key, () => {
      order.push(name);
      void Promise.resolve().then(() => order.push(`${name} micro`));
    });
  assert.deepEqual(order, [], 'nothing runs in the caller’s task');
  await settled();
  assert.deepEqual(order, ['a', 'a micro', 'b', 'b micro', 'c', 'c micro']);
});

test('a key asked again before its turn runs once, its newest job, in its first place; a cancelled key not at all', async () => {
  const ran: string[] = [];
  const a = {};
  const b = {};
  const c = {};
  inOwnTask(a, () => ran.push('a1'));
  inOwnTask(b, () => ran.push('b1'));
  inOwnTask(c, () => ran.push('c1'));
  inOwnTask(a, () => ran.push('a2'));
  cancelOwnTask(c);
  await settled();
  assert.deepEqual(ran, ['a2', 'b1']);
});
