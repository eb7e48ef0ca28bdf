// The leader's in-memory tail of acks=all appends (tail-cache.ts): follower reads answered from
// it are the log's bytes, batch for batch, whatever the offsets and limits asked; batches leave
// it once every ISR member has them; it never answers across a batch it did not hold.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLog } from '../log/memory-log.ts';
import { DEFAULT_LOG_CONFIG } from '../log/types.ts';
import type { PartitionMeta } from '../metadata/types.ts';
import { batchInfo, buildBatch } from '../protocol/record-batch.ts';
import { EpochCache } from './epoch-cache.ts';
import { Partition, type PartitionHost } from './partition.ts';
import { ProducerStateManager } from './producer-state.ts';
import { TailCache } from './tail-cache.ts';

const CONFIG = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: false };
const meta = (isr: number[]): PartitionMeta => ({ partition: 0, leader: 1, leaderEpoch: 1, replicas: [1, 2, 3], isr });

function leader() {
  const host: PartitionHost = {
    nodeId: 1,
    fsync: false,
    replicaLagTimeMaxMs: 10000,
    producerIdExpirationMs: 86400000,
    alterIsr: async () => {},
    logger: () => {},
  };
  const log = new MemoryLog('t', 0, DEFAULT_LOG_CONFIG);
  const p = new Partition({ topic: 't', partition: 0 }, 'a'.repeat(32), log, new EpochCache(null), new ProducerStateManager(null), host);
  p.applyMetadata(meta([1, 2, 3]), CONFIG);
  return { p, log };
}

/** Appends n batches of `per` records each, as a producer would send them (one per request). */
function produce(p: Partition, n: number, per: number, acks: number): void {
  for (let i = 0; i < n; i++) {
    const buf = buildBatch(Array.from({ length: per }, (_, j) => ({ value: `v${i}-${j}-${'x'.repeat(100)}` })));
    void p.appendAsLeader({ buf, batches: [batchInfo(buf, 0)] }, acks, 60000);
  }
}

test('follower reads from the tail are the bytes the log would return, for any offset and limit', () => {
  const { p, log } = leader();
  produce(p, 20, 5, -1); // offsets 0..99 in batches of 5
  for (const offset of [0, 3, 5, 47, 95, 99]) {
    for (const maxBytes of [1, 700, 2000, 1 << 20]) {
      const fromLeader = p.read(offset, maxBytes, 'log-end');
      const fromLog = log.read(offset, maxBytes, log.logEndOffset);
      assert.deepEqual(Buffer.concat(fromLeader.records), Buffer.concat(fromLog.chunks), `offset ${offset} maxBytes ${maxBytes}`);
      assert.equal(fromLeader.bytes, fromLog.bytes);
    }
  }
  p.close(); // fails the acks=all waiters
});

test('batches every ISR member has are dropped, and consumers read below the high watermark from the log', () => {
  const { p, log } = leader();
  produce(p, 10, 5, -1);
  p.onFollowerFetch(2, 25, 0);
  p.onFollowerFetch(3, 40, 0);
  assert.equal(p.highWatermark, 25);
  // What the slower follower asks for next still comes out right, and so does a consumer's read.
  assert.deepEqual(p.read(25, 1 << 20, 'log-end').records, log.read(25, 1 << 20, 50).chunks);
  assert.deepEqual(Buffer.concat(p.read(0, 1 << 20, 'high-watermark').records), Buffer.concat(log.read(0, 1 << 20, 25).chunks));
  p.close();
});

test('the cache holds only contiguous batches from the first it holds', () => {
  const c = new TailCache();
  const batch = (base: number, count: number) => {
    const b = buildBatch(Array.from({ length: count }, () => ({ value: 'v' })));
    b.writeBigInt64BE(BigInt(base), 0);
    return b;
  };
  c.add(batch(0, 2));
  c.add(batch(2, 3));
  assert.equal(c.read(1, 1 << 20, 100)?.chunks.length, 2);
  assert.equal(c.read(4, 1 << 20, 100)?.chunks.length, 1);
  assert.equal(c.read(5, 1 << 20, 100), null, 'beyond what it holds');
  assert.equal(c.read(2, 1 << 20, 2)?.chunks.length, 1, 'the first batch always, none from maxOffset on');
  c.trimBelow(2);
  assert.equal(c.read(1, 1 << 20, 100), null, 'dropped');
  assert.equal(c.read(2, 1 << 20, 100)?.chunks.length, 1);
  c.clear();
  assert.equal(c.read(2, 1 << 20, 100), null);
});

test('acks=1 appends are read from the log, and leaving leadership empties the cache', () => {
  const { p, log } = leader();
  produce(p, 4, 5, 1);
  produce(p, 4, 5, -1);
  assert.deepEqual(Buffer.concat(p.read(0, 1 << 20, 'log-end').records), Buffer.concat(log.read(0, 1 << 20, 40).chunks));
  p.applyMetadata({ ...meta([1, 2, 3]), leader: 2, leaderEpoch: 2 }, CONFIG);
  assert.equal(p.role, 'follower');
  p.applyMetadata({ ...meta([1, 2, 3]), leaderEpoch: 3 }, CONFIG);
  assert.deepEqual(Buffer.concat(p.read(20, 1 << 20, 'log-end').records), Buffer.concat(log.read(20, 1 << 20, 40).chunks));
  p.close();
});
