// ReadArena: reads carved one after another from pooled slabs, the unused tail of a read lent
// again, slabs reused only after release(), small and huge reads outside the pool.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pooledBytes, ReadArena } from './read-buffers.ts';

test('reads of one arena follow each other in a slab; trim lends the unused tail again', () => {
  const a = new ReadArena();
  const x = a.take(20_000);
  a.trim(x, 15_000);
  const y = a.take(10_000);
  assert.equal(y.buffer, x.buffer, 'same slab');
  assert.equal(y.byteOffset, x.byteOffset + 15_000, 'right after the part of x kept');
  a.release();
});

test('a released slab is lent again; one still lent is not', () => {
  const a = new ReadArena();
  const x = a.take(100_000);
  x.fill(1);
  const b = new ReadArena();
  const y = b.take(100_000);
  assert.notEqual(y.buffer, x.buffer, 'a slab still lent is never handed out twice');
  y.fill(2);
  a.release();
  assert.ok(pooledBytes() >= x.buffer.byteLength);
  const c = new ReadArena();
  const z = c.take(100_000);
  assert.equal(z.buffer, x.buffer, 'the released slab is reused');
  assert.ok(y.every((v) => v === 2), 'the other arena keeps its bytes');
  b.release();
  c.release();
});

test('slabs grow within an arena; reads under 4 KiB without room and huge reads stay outside the pool', () => {
  const a = new ReadArena();
  const first = a.take(60 << 10);
  const second = a.take(60 << 10); // no room left in the first 64 KiB slab
  assert.notEqual(second.buffer, first.buffer);
  assert.ok(second.buffer.byteLength >= 2 * first.buffer.byteLength, 'the next slab is at least twice the last');
  const huge = a.take(17 << 20);
  assert.equal(huge.buffer.byteLength >= 17 << 20, true);
  const before = pooledBytes();
  a.release();
  assert.equal(pooledBytes() - before <= (64 << 10) + (128 << 10), true, 'the huge read is not pooled');
  const fresh = new ReadArena();
  const small = fresh.take(100);
  assert.equal(small.length, 100);
  fresh.release();
});
