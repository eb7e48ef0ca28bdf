// Transactions on one partition, through Partition (the one append path): the last stable
// offset with open and unreplicated transactions, read_committed with its aborted-transactions
// list, the `.txnindex` in Kafka's layout (34-byte entries) and its recovery, producer-state
// snapshots that keep open transactions, followers building the same state, and the leader's
// checks on transactional writes and markers.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FileLog } from '../log/file-log.ts';
import { MemoryLog } from '../log/memory-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig, type PartitionLog } from '../log/types.ts';
import { readMarker } from '../protocol/control-record.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { ATTR, batchInfo, buildBatch, decodeRecords, scanValidPrefix } from '../protocol/record-batch.ts';
import { EpochCache } from './epoch-cache.ts';
import { Partition, type LeaderAppendResult, type PartitionHost } from './partition.ts';
import { ProducerStateManager } from './producer-state.ts';

const CONFIG = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: false };
const host: PartitionHost = { nodeId: 1, fsync: false, replicaLagTimeMaxMs: 10000, producerIdExpirationMs: 86400000, logger: () => {} };
const A = 5001;
const B = 6002;

function partitionOver(log: PartitionLog, dir: string | null, replicas = [1]): Partition {
  const p = new Partition({ topic: 't', partition: 0 }, 'a'.repeat(32), log, new EpochCache(dir), new ProducerStateManager(dir), host);
  p.applyMetadata({ partition: 0, leader: 1, leaderEpoch: 1, replicas, isr: replicas }, CONFIG);
  return p;
}

const seqs = new Map<number, number>();
/** A transactional (or idempotent) batch of `values` from producer pid at epoch 0, in sequence. */
function txnBatch(pid: number, values: string[], transactional = true, epoch = 0) {
  const baseSequence = seqs.get(pid) ?? 0;
  seqs.set(pid, baseSequence + values.length);
  const buf = buildBatch(values.map((value) => ({ value })), { producerId: pid, producerEpoch: epoch, baseSequence, transactional });
  return { buf, batches: [batchInfo(buf, 0)] };
}

function sync(r: LeaderAppendResult | Promise<LeaderAppendResult>): LeaderAppendResult {
  assert.ok(!(r instanceof Promise), 'answered synchronously');
  return r;
}

const marker = (producerId: number, commit: boolean, producerEpoch = 0, coordinatorEpoch = 1) => ({
  producerId,
  producerEpoch,
  coordinatorEpoch,
  commit,
});

/** Values of the data records in chunks, skipping control batches (as a read_uncommitted consumer does). */
function values(chunks: Buffer[]): string[] {
  const buf = Buffer.concat(chunks);
  const out: string[] = [];
  scanValidPrefix(buf, (info) => {
    if (info.attributes & ATTR.control) return;
    for (const r of decodeRecords(buf, info)) out.push(r.value!.toString());
  });
  return out;
}

/** Everything a consumer of this isolation reads from offset 0, segment by segment, and the aborted list. */
function readAll(p: Partition, isolation: 'committed' | 'high-watermark') {
  const chunks: Buffer[] = [];
  const aborted: { producerId: number; firstOffset: number }[] = [];
  for (let offset = 0; ; ) {
    const r = p.read(offset, 1 << 20, isolation);
    if (r.bytes === 0) break;
    chunks.push(...r.records);
    aborted.push(...(r.abortedTransactions ?? []).filter((t) => !aborted.some((x) => x.firstOffset === t.firstOffset)));
    const last = r.records[r.records.length - 1];
    const info = batchInfo(last, 0);
    offset = info.baseOffset + info.lastOffsetDelta + 1;
  }
  return { values: values(chunks), aborted };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-txn-'));

test('the last stable offset stops at the first open transaction; read_committed lists aborted transactions', () => {
  seqs.clear();
  const p = partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null);
  sync(p.appendAsLeader(txnBatch(A, ['a0', 'a1']), 1, 0)); // 0-1, A opens at 0
  sync(p.appendAsLeader(txnBatch(B, ['b0']), 1, 0)); // 2, B opens at 2
  sync(p.appendAsLeader(txnBatch(A, ['a2']), 1, 0)); // 3
  assert.equal(p.highWatermark, 4);
  assert.equal(p.lastStableOffset, 0, 'A is open from offset 0');
  assert.equal(p.read(0, 1 << 20, 'committed').bytes, 0, 'read_committed sees nothing yet');
  assert.deepEqual(values(p.read(0, 1 << 20, 'high-watermark').records), ['a0', 'a1', 'b0', 'a2'], 'read_uncommitted sees all');

  sync(p.appendTxnMarker(marker(A, false), 1, 0)); // 4: abort A
  assert.equal(p.lastStableOffset, 2, 'B is still open');
  let r = p.read(0, 1 << 20, 'committed');
  assert.equal(r.lastStableOffset, 2);
  assert.deepEqual(values(r.records), ['a0', 'a1'], 'batches below the LSO');
  assert.deepEqual(r.abortedTransactions, [{ producerId: A, firstOffset: 0 }]);
  assert.deepEqual(p.log.collectAbortedTxns(0, 10), [{ producerId: A, firstOffset: 0, lastOffset: 4, lastStableOffset: 2 }], 'LSO at the abort: B open from 2');

  sync(p.appendTxnMarker(marker(B, true), 1, 0)); // 5: commit B
  assert.equal(p.lastStableOffset, 6);
  r = p.read(0, 1 << 20, 'committed');
  assert.deepEqual(values(r.records), ['a0', 'a1', 'b0', 'a2']);
  assert.deepEqual(r.abortedTransactions, [{ producerId: A, firstOffset: 0 }]);
  const fromFive = p.read(5, 1 << 20, 'committed');
  assert.deepEqual(fromFive.abortedTransactions, [], 'A ended before offset 5: not listed (kafkajs would drop later records)');
  assert.equal(p.read(0, 1 << 20, 'high-watermark').abortedTransactions, null, 'read_uncommitted has no list');
});

test('a completed transaction stays unstable until the high watermark passes its marker', () => {
  seqs.clear();
  const p = partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null, [1, 2]);
  sync(p.appendAsLeader(txnBatch(A, ['a']), 1, 0)); // 0
  p.onFollowerFetch(2, 1, 0);
  assert.equal(p.highWatermark, 1);
  assert.equal(p.lastStableOffset, 0);
  sync(p.appendTxnMarker(marker(A, true), 1, 0)); // 1
  assert.equal(p.highWatermark, 1);
  assert.equal(p.lastStableOffset, 0, 'the marker at 1 is not replicated: a new leader might not have it');
  p.onFollowerFetch(2, 2, 0);
  assert.equal(p.highWatermark, 2);
  assert.equal(p.lastStableOffset, 2);
});

test('leader checks: INVALID_TXN_STATE, markers with old producer or coordinator epochs, control batches from clients', () => {
  seqs.clear();
  const p = partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null);
  sync(p.appendAsLeader(txnBatch(A, ['a']), 1, 0));
  const plain = sync(p.appendAsLeader(txnBatch(A, ['x'], false), 1, 0));
  assert.equal(plain.errorCode, ErrorCode.INVALID_TXN_STATE, 'a non-transactional write while the transaction is open');
  // The coordinator fences with a bumped epoch (abort marker at epoch 1, coordinator epoch 3).
  assert.equal(sync(p.appendTxnMarker(marker(A, false, 1, 3), 1, 0)).errorCode, ErrorCode.NONE);
  assert.equal(sync(p.appendTxnMarker(marker(A, false, 0, 3), 1, 0)).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(sync(p.appendTxnMarker(marker(A, false, 1, 2), 1, 0)).errorCode, ErrorCode.TRANSACTION_COORDINATOR_FENCED);
  const zombie = sync(p.appendAsLeader(txnBatch(A, ['late']), 1, 0));
  assert.equal(zombie.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH, 'the fenced producer cannot write any more');
  const ctrl = buildBatch([{ key: Buffer.alloc(4), value: Buffer.alloc(6) }], { control: true });
  assert.equal(sync(p.appendAsLeader({ buf: ctrl, batches: [batchInfo(ctrl, 0)] }, 1, 0)).errorCode, ErrorCode.INVALID_RECORD);
  const txnNoPid = buildBatch([{ value: 'v' }], { transactional: true });
  assert.equal(sync(p.appendAsLeader({ buf: txnNoPid, batches: [batchInfo(txnNoPid, 0)] }, 1, 0)).errorCode, ErrorCode.INVALID_RECORD);
  // A marker for a producer with no open transaction here moves nothing.
  const before = p.lastStableOffset;
  assert.equal(sync(p.appendTxnMarker(marker(B, true), 1, 0)).errorCode, ErrorCode.NONE);
  assert.equal(p.lastStableOffset, before + 1);
  assert.deepEqual(p.log.collectAbortedTxns(0, 100).map((t) => t.producerId), [A]);
});

test('markers in the log are control batches in Kafka format', () => {
  seqs.clear();
  const p = partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null);
  sync(p.appendAsLeader(txnBatch(A, ['a']), 1, 0));
  sync(p.appendTxnMarker(marker(A, true, 0, 7), 1, 0));
  const [, ctrl] = p.read(0, 1 << 20, 'log-end').records;
  const info = batchInfo(ctrl, 0);
  assert.equal(info.attributes & (ATTR.control | ATTR.transactional), ATTR.control | ATTR.transactional);
  assert.equal(info.producerId, A);
  assert.equal(info.baseOffset, 1);
  assert.equal(info.baseSequence, -1);
  const [rec] = decodeRecords(ctrl, info);
  assert.deepEqual([...rec.key!], [0, 0, 0, 1], 'key: version 0, type 1 (COMMIT)');
  assert.deepEqual([...rec.value!], [0, 0, 0, 0, 0, 7], 'value: version 0, coordinator epoch 7');
  assert.deepEqual(readMarker(ctrl, info), { commit: true, coordinatorEpoch: 7 });
});

test('.txnindex on disk in Kafka layout; open transactions survive a restart through the producer snapshot', () => {
  seqs.clear();
  const dir = tmp();
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 250 };
  try {
    let log = FileLog.open(dir, 't', 0, config);
    let p = partitionOver(log, dir);
    sync(p.appendAsLeader(txnBatch(A, ['a0']), 1, 0)); // 0
    sync(p.appendAsLeader(txnBatch(B, ['b0']), 1, 0)); // 1
    for (let i = 0; i < 4; i++) sync(p.appendAsLeader(txnBatch(B, [`b${i + 1}`]), 1, 0)); // 2-5: rolls segments
    assert.ok(log.segmentBaseOffsets().length > 1, 'rolled');
    sync(p.appendTxnMarker(marker(A, false), 1, 0)); // 6
    assert.equal(p.lastStableOffset, 1);
    const active = log.segmentBaseOffsets().at(-1)!;
    const file = path.join(dir, `${String(active).padStart(20, '0')}.txnindex`);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.length, 34);
    assert.equal(bytes.readInt16BE(0), 0, 'version');
    assert.equal(Number(bytes.readBigInt64BE(2)), A, 'producer id');
    assert.equal(Number(bytes.readBigInt64BE(10)), 0, 'first offset');
    assert.equal(Number(bytes.readBigInt64BE(18)), 6, 'last offset (the marker)');
    assert.equal(Number(bytes.readBigInt64BE(26)), 1, 'last stable offset at the abort (B open from 1)');

    p.close();
    log.close();
    log = FileLog.open(dir, 't', 0, config);
    p = partitionOver(log, dir);
    assert.equal(p.lastStableOffset, 1, 'B is still open after a clean restart');
    assert.deepEqual(p.producers.entry(B)?.currentTxnFirstOffset, 1);
    sync(p.appendTxnMarker(marker(B, true), 1, 0));
    assert.equal(p.lastStableOffset, log.logEndOffset);
    assert.deepEqual(readAll(p, 'committed'), { values: ['a0', 'b0', 'b1', 'b2', 'b3', 'b4'], aborted: [{ producerId: A, firstOffset: 0 }] });
    log.close();

    // A crash that lost the index entry (kill -9 between the marker and its entry): the replay
    // from the last snapshot finds the abort again.
    fs.rmSync(file);
    fs.rmSync(path.join(dir, '.kafka_cleanshutdown'), { force: true });
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.snapshot') && Number(f.slice(0, 20)) > active) fs.rmSync(path.join(dir, f));
    log = FileLog.open(dir, 't', 0, config);
    p = partitionOver(log, dir);
    assert.deepEqual(log.collectAbortedTxns(0, 100), [{ producerId: A, firstOffset: 0, lastOffset: 6, lastStableOffset: 1 }]);
    assert.equal(fs.readFileSync(file).length, 34);
    log.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('truncation removes the index entries of markers it cuts, and the transaction is open again', () => {
  seqs.clear();
  const dir = tmp();
  try {
    const log = FileLog.open(dir, 't', 0, DEFAULT_LOG_CONFIG);
    const p = partitionOver(log, dir);
    sync(p.appendAsLeader(txnBatch(A, ['a']), 1, 0)); // 0
    sync(p.appendTxnMarker(marker(A, false), 1, 0)); // 1
    assert.equal(log.collectAbortedTxns(0, 10).length, 1);
    p.applyMetadata({ partition: 0, leader: 2, leaderEpoch: 2, replicas: [1, 2], isr: [1, 2] }, CONFIG);
    p.truncateTo(1);
    assert.equal(log.collectAbortedTxns(0, 10).length, 0);
    assert.equal(p.producers.entry(A)?.currentTxnFirstOffset, 0, 'open again without its marker');
    assert.equal(p.lastStableOffset, 0);
    log.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a follower builds the same transactions and index from what it fetches', () => {
  seqs.clear();
  const leader = partitionOver(new MemoryLog('t', 0, DEFAULT_LOG_CONFIG), null);
  sync(leader.appendAsLeader(txnBatch(A, ['a']), 1, 0));
  sync(leader.appendAsLeader(txnBatch(B, ['b']), 1, 0));
  sync(leader.appendTxnMarker(marker(A, false), 1, 0));
  const followerLog = new MemoryLog('t', 0, DEFAULT_LOG_CONFIG);
  const follower = new Partition({ topic: 't', partition: 0 }, 'a'.repeat(32), followerLog, new EpochCache(null), new ProducerStateManager(null), host);
  follower.applyMetadata({ partition: 0, leader: 2, leaderEpoch: 1, replicas: [1, 2], isr: [1, 2] }, CONFIG);
  follower.appendAsFollower(Buffer.concat(leader.read(0, 1 << 20, 'log-end').records));
  assert.deepEqual(followerLog.collectAbortedTxns(0, 10), leader.log.collectAbortedTxns(0, 10));
  follower.updateFollowerHighWatermark(3);
  assert.equal(follower.lastStableOffset, 1, 'B is open on the follower too');
  // Becoming leader, it serves read_committed as the old leader did.
  follower.applyMetadata({ partition: 0, leader: 1, leaderEpoch: 2, replicas: [1], isr: [1] }, CONFIG);
  assert.deepEqual(follower.read(0, 1 << 20, 'committed').abortedTransactions, [{ producerId: A, firstOffset: 0 }]);
});
