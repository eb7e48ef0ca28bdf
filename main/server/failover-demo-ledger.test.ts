import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ledger, SeqBits } from './failover-demo-ledger.ts';

test('SeqBits grows and remembers every bit', () => {
  const b = new SeqBits();
  assert.equal(b.add(5), false);
  assert.equal(b.add(5), true);
  assert.equal(b.add(1_000_000), false);
  assert.equal(b.has(1_000_000), true);
  assert.equal(b.has(999_999), false);
  assert.ok(b.bytes >= 1_000_000 / 8 && b.bytes < 1_000_000);
});

test('an acknowledged value the consumer passes without reading is lost; one read in any order is not', () => {
  const l = new Ledger();
  l.read(0); // read before its acknowledgement arrived (acks=all: the high watermark moved first)
  l.ack(0, 0, 10);
  l.ack(1, 0, 11);
  l.ack(2, 1, 3);
  l.passed(0, 11);
  assert.equal(l.lost, 0);
  assert.equal(l.unread, 2);
  // Offset 11 now holds another value (the log was cut and rewritten): value 1 is gone.
  l.read(7);
  l.passed(0, 12);
  assert.equal(l.lost, 1);
  l.read(2);
  l.read(2);
  l.passed(1, 4);
  assert.deepEqual([l.acknowledged, l.consumedCount, l.duplicates, l.lost, l.unread], [3, 3, 1, 1, 0]);
});
