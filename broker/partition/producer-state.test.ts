// The idempotent producer state machine with hand-built batches, through Partition (the one
// append path): duplicates answered with their original offsets, sequence gaps and epochs as
// Kafka's ProducerAppendInfo, state built by followers, snapshots in Kafka's layout at segment
// roll and close, recovery from the log tail, truncation, expiry.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FileLog } from '../log/file-log.ts';
import { MemoryLog } from '../log/memory-log.ts';
import { DEFAULT_LOG_CONFIG, type PartitionLog } from '../log/types.ts';
import { crc32c } from '../protocol/crc32c.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { idempotentBatch } from '../testing/records.ts';
import { EpochCache } from './epoch-cache.ts';
import { Partition, type LeaderAppendResult, type PartitionHost } from './partition.ts';
import { ProducerStateManager } from './producer-state.ts';

const CONFIG = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: false };
const PID = 4097;

function host(nodeId = 1, producerIdExpirationMs = 86400000): PartitionHost {
  return { nodeId, fsync: false, replicaLagTimeMaxMs: 10000, producerIdExpirationMs, logger: () => {} };
}

function partitionOver(log: PartitionLog, dir: string | null, nodeId = 1, expirationMs?: number): Partition {
  const p = new Partition(
    { topic: 't', partition: 0 },
    'a'.repeat(32),
    log,
    new EpochCache(dir),
    new ProducerStateManager(dir),
    host(nodeId, expirationMs),
  );
  p.applyMetadata({ partition: 0, leader: nodeId, leaderEpoch: 1, replicas: [nodeId], isr: [nodeId] }, CONFIG);
  return p;
}

const memoryLeader = (expirationMs?: number) =>
  partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null, 1, expirationMs);

function append(p: Partition, epoch: number, seq: number, count = 1): LeaderAppendResult {
  const r = p.appendAsLeader(idempotentBatch(PID, epoch, seq, count), 1, 0);
  assert.ok(!(r instanceof Promise));
  return r;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-pstate-'));
}

test('in-sequence batches append; a retry of any of the last five gets its original offsets', () => {
  const p = memoryLeader();
  const offsets = [0, 2, 4, 6, 8, 10].map((_, i) => append(p, 0, i * 2, 2).baseOffset);
  assert.deepEqual(offsets, [0, 2, 4, 6, 8, 10]);
  for (let i = 1; i < 6; i++) {
    const again = append(p, 0, i * 2, 2);
    assert.equal(again.errorCode, ErrorCode.NONE);
    assert.equal(again.baseOffset, offsets[i], `batch ${i} answered with its first offset`);
  }
  assert.equal(p.logEndOffset, 12, 'no duplicate was appended');
  const oldest = append(p, 0, 0, 2);
  assert.equal(oldest.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 'the sixth-last batch is no longer cached');
  const overlapping = append(p, 0, 10, 1);
  assert.equal(overlapping.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 'not an exact duplicate');
  assert.equal(p.logEndOffset, 12);
});

test('a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER and appends nothing', () => {
  const p = memoryLeader();
  append(p, 0, 0, 3);
  const gap = append(p, 0, 4);
  assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal(gap.baseOffset, -1);
  assert.match(gap.errorMessage!, /out of order sequence number.*4 \(incoming\), 2 \(current end\)/);
  assert.equal(p.logEndOffset, 3);
  assert.equal(append(p, 0, 3).baseOffset, 3, 'the right next sequence is still accepted');
});

test('epochs: an older epoch is INVALID_PRODUCER_EPOCH; a newer one must start at sequence 0', () => {
  const p = memoryLeader();
  append(p, 1, 0, 2);
  assert.equal(append(p, 0, 2).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(append(p, 2, 5).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal(append(p, 2, 0).errorCode, ErrorCode.NONE);
  assert.equal(append(p, 1, 2).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH, 'epoch 1 is fenced now');
  assert.equal(p.logEndOffset, 3);
});

test('an unknown producer id is accepted at any sequence (KIP-360), never UNKNOWN_PRODUCER_ID', () => {
  const p = memoryLeader();
  assert.equal(append(p, 3, 1234).errorCode, ErrorCode.NONE);
  assert.equal(append(p, 3, 1235).errorCode, ErrorCode.NONE);
  assert.equal(append(p, 3, 1237).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 'known from here on');
});

test('sequences wrap from 2^31-1 to 0', () => {
  const p = memoryLeader();
  assert.equal(append(p, 0, 0x7fffffff - 1, 2).errorCode, ErrorCode.NONE);
  assert.equal(append(p, 0, 0).errorCode, ErrorCode.NONE);
  assert.equal(append(p, 0, 0).baseOffset, 2, 'the batch after the wrap is de-duplicated too');
});

test('an idempotent payload of two batches is INVALID_RECORD, as Kafka requires one per partition', () => {
  const p = memoryLeader();
  const a = idempotentBatch(PID, 0, 0);
  const b = idempotentBatch(PID, 0, 1);
  const r = p.appendAsLeader({ buf: Buffer.concat([a.buf, b.buf]), batches: [...a.batches, ...b.batches] }, 1, 0);
  assert.ok(!(r instanceof Promise));
  assert.equal(r.errorCode, ErrorCode.INVALID_RECORD);
});

test('a follower builds the same state from what it fetches: as the new leader it de-duplicates retries', () => {
  const leader = memoryLeader();
  append(leader, 0, 0, 2);
  append(leader, 0, 2, 2);
  const fetched = Buffer.concat(leader.read(0, 1 << 20, 'log-end').records);
  const follower = new Partition(
    { topic: 't', partition: 0 },
    'a'.repeat(32),
    new MemoryLog('t', 0, DEFAULT_LOG_CONFIG),
    new EpochCache(null),
    new ProducerStateManager(null),
    host(2),
  );
  follower.applyMetadata({ partition: 0, leader: 1, leaderEpoch: 1, replicas: [1, 2], isr: [1, 2] }, CONFIG);
  follower.appendAsFollower(fetched);
  follower.applyMetadata({ partition: 0, leader: 2, leaderEpoch: 2, replicas: [1, 2], isr: [2] }, CONFIG);
  assert.equal(follower.role, 'leader');
  assert.equal(append(follower, 0, 2, 2).baseOffset, 2, 'the retry after failover gets its original offset');
  assert.equal(append(follower, 0, 4).baseOffset, 4);
  assert.equal(follower.logEndOffset, 5);
});

test('snapshots in Kafka layout at segment roll and close; recovery loads them and replays the tail', () => {
  const dir = tmpDir();
  try {
    const config = { ...DEFAULT_LOG_CONFIG, segmentBytes: 300 };
    let p = partitionOver(FileLog.open(dir, 't', 0, config), dir);
    for (let i = 0; i < 6; i++) assert.equal(append(p, 0, i * 2, 2).errorCode, ErrorCode.NONE);
    const rolled = fs.readdirSync(dir).filter((f) => f.endsWith('.snapshot'));
    assert.ok(rolled.length >= 1, 'a snapshot per roll');
    const segments = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    for (const s of rolled) assert.ok(segments.includes(s.replace('.snapshot', '.log')), `${s} sits at a segment base`);
    // Kafka's layout: version 1, CRC-32C of the rest, count, 46-byte entries.
    const bytes = fs.readFileSync(path.join(dir, rolled[rolled.length - 1]));
    assert.equal(bytes.readInt16BE(0), 1);
    assert.equal(bytes.readUInt32BE(2), crc32c(bytes, 6));
    assert.equal(bytes.readInt32BE(6), 1);
    assert.equal(bytes.length, 10 + 46);
    assert.equal(bytes.readBigInt64BE(10), BigInt(PID));

    // kill -9: no snapshot at the log end; the tail after the last roll is replayed.
    p = partitionOver(FileLog.open(dir, 't', 0, config), dir);
    assert.equal(append(p, 0, 10, 2).baseOffset, 10, 'the last batch is known after an unclean restart');
    assert.equal(append(p, 0, 12).errorCode, ErrorCode.NONE);
    p.close();
    assert.ok(fs.existsSync(path.join(dir, `${String(13).padStart(20, '0')}.snapshot`)), 'clean close snapshots the log end');

    const log = FileLog.open(dir, 't', 0, config);
    p = partitionOver(log, dir);
    const entry = p.producers.entry(PID)!;
    assert.equal(entry.epoch, 0);
    assert.equal(entry.batches.length, 1, 'a snapshot keeps the last batch of each producer, as Kafka');
    assert.equal(append(p, 0, 12).baseOffset, 12, 'the last batch is de-duplicated after a clean restart');
    assert.equal(append(p, 0, 10, 2).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assert.equal(append(p, 0, 13).baseOffset, 13);
    log.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn snapshot is ignored and the state is rebuilt from the log', () => {
  const dir = tmpDir();
  try {
    let log = FileLog.open(dir, 't', 0, DEFAULT_LOG_CONFIG);
    let p = partitionOver(log, dir);
    append(p, 0, 0, 3);
    p.close();
    log.close();
    const snap = path.join(dir, `${String(3).padStart(20, '0')}.snapshot`);
    const bytes = fs.readFileSync(snap);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(snap, bytes);
    log = FileLog.open(dir, 't', 0, DEFAULT_LOG_CONFIG);
    p = partitionOver(log, dir);
    assert.equal(fs.existsSync(snap), false, 'the corrupt snapshot is deleted');
    assert.equal(append(p, 0, 0, 3).baseOffset, 0, 'state rebuilt from the log: the batch is known');
    log.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('truncation reloads the state: a truncated batch is no longer a duplicate', () => {
  const p = memoryLeader();
  append(p, 0, 0, 2);
  append(p, 0, 2, 2);
  p.applyMetadata({ partition: 0, leader: 2, leaderEpoch: 2, replicas: [1, 2], isr: [1, 2] }, CONFIG);
  p.truncateTo(2);
  p.applyMetadata({ partition: 0, leader: 1, leaderEpoch: 3, replicas: [1, 2], isr: [1] }, CONFIG);
  const r = append(p, 0, 2, 2);
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.equal(r.baseOffset, 2, 'appended again, at the truncation point');
  assert.equal(p.logEndOffset, 4);
});

test('producers idle for producer.id.expiration.ms are forgotten', () => {
  const p = memoryLeader(1000);
  const r = p.appendAsLeader(idempotentBatch(PID, 0, 0, 1, Date.now() - 5000), 1, 0);
  assert.ok(!(r instanceof Promise) && r.errorCode === ErrorCode.NONE);
  assert.ok(p.producers.entry(PID));
  p.expireProducers(Date.now());
  assert.equal(p.producers.entry(PID), undefined);
  assert.equal(append(p, 0, 77).errorCode, ErrorCode.NONE, 'an expired producer is unknown: any sequence');
});
