// The Partition state machine over the in-memory log: leader appends and acks, the high
// watermark from follower fetches, ISR changes, reads per isolation, follower appends and
// truncation, and the wake-ups long-polling fetches wait on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLog } from '../log/memory-log.ts';
import { DEFAULT_LOG_CONFIG } from '../log/types.ts';
import type { PartitionMeta } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { batchInfo, buildBatch, decodeRecords, scanValidPrefix } from '../protocol/record-batch.ts';
import { EpochCache } from './epoch-cache.ts';
import { Partition, type LeaderAppendResult, type PartitionHost } from './partition.ts';
import { waitForChange } from './partitions.ts';
import { ProducerStateManager } from './producer-state.ts';

const CONFIG = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: false };

function setup(opts: { nodeId?: number; lagMs?: number } = {}) {
  const alters: number[][] = [];
  const host: PartitionHost = {
    nodeId: opts.nodeId ?? 1,
    fsync: false,
    replicaLagTimeMaxMs: opts.lagMs ?? 10000,
    producerIdExpirationMs: 86400000,
    alterIsr: async (_tp, _meta, isr) => {
      alters.push(isr);
    },
    logger: () => {},
  };
  const log = new MemoryLog('t', 0, DEFAULT_LOG_CONFIG);
  const producers = new ProducerStateManager(null);
  const p = new Partition({ topic: 't', partition: 0 }, 'a'.repeat(32), log, new EpochCache(null), producers, host);
  return { p, log, alters };
}

const meta = (leader: number, isr: number[], epoch = 1, replicas = [1, 2, 3]): PartitionMeta => ({
  partition: 0,
  leader,
  leaderEpoch: epoch,
  replicas,
  isr,
});

function records(...values: string[]) {
  const buf = buildBatch(values.map((value) => ({ value })));
  return { buf, batches: [batchInfo(buf, 0)] };
}

function sync(r: LeaderAppendResult | Promise<LeaderAppendResult>): LeaderAppendResult {
  assert.ok(!(r instanceof Promise), 'answered synchronously');
  return r;
}

function values(chunks: Buffer[]): string[] {
  const buf = Buffer.concat(chunks);
  const out: string[] = [];
  scanValidPrefix(buf, (info) => {
    for (const r of decodeRecords(buf, info)) out.push(r.value!.toString());
  });
  return out;
}

test('a leader alone in the ISR commits what it appends', () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1], 1, [1]), CONFIG);
  assert.equal(p.role, 'leader');
  const r = sync(p.appendAsLeader(records('a', 'b'), 1, 1000));
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.equal(r.baseOffset, 0);
  const r2 = sync(p.appendAsLeader(records('c'), 1, 1000));
  assert.equal(r2.baseOffset, 2);
  assert.equal(p.highWatermark, 3);
  const read = p.read(0, 1 << 20, 'high-watermark');
  assert.deepEqual(values(read.records), ['a', 'b', 'c']);
  assert.equal(read.highWatermark, 3);
});

test('acks=all settles once every ISR member has fetched past the batch', async () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1, 2, 3]), CONFIG);
  const pending = p.appendAsLeader(records('a', 'b'), -1, 5000);
  assert.ok(pending instanceof Promise);
  let settled: LeaderAppendResult | null = null;
  void pending.then((r) => (settled = r));
  assert.equal(p.highWatermark, 0);
  assert.equal(p.read(0, 1 << 20, 'high-watermark').bytes, 0, 'nothing visible to consumers yet');
  assert.deepEqual(values(p.read(0, 1 << 20, 'log-end').records), ['a', 'b'], 'followers read to the log end');
  p.onFollowerFetch(2, 2, 0);
  await Promise.resolve();
  assert.equal(p.highWatermark, 0, 'node 3 has not fetched yet');
  assert.equal(settled, null);
  p.onFollowerFetch(3, 1, 0);
  assert.equal(p.highWatermark, 1, 'the smallest ISR log end offset');
  p.onFollowerFetch(3, 2, 0);
  assert.equal(p.highWatermark, 2);
  const r = await pending;
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.equal(r.baseOffset, 0);
});

test('acks=all: NOT_ENOUGH_REPLICAS before appending, REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER on losing leadership', async () => {
  const { p, log } = setup({ lagMs: 50 });
  p.applyMetadata(meta(1, [1, 2, 3]), { ...CONFIG, minInsyncReplicas: 2 });
  await new Promise((r) => setTimeout(r, 80)); // followers never fetched: no longer caught up
  const refused = sync(p.appendAsLeader(records('x'), -1, 1000));
  assert.equal(refused.errorCode, ErrorCode.NOT_ENOUGH_REPLICAS);
  assert.equal(log.logEndOffset, 0, 'refused before appending');

  p.onFollowerFetch(2, 0, 0);
  p.onFollowerFetch(3, 0, 0);
  const timedOut = await p.appendAsLeader(records('y'), -1, 30);
  assert.equal(timedOut.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  assert.equal(timedOut.baseOffset, -1);

  p.onFollowerFetch(2, 1, 0);
  p.onFollowerFetch(3, 1, 0);
  const waiting = p.appendAsLeader(records('z'), -1, 5000);
  p.applyMetadata(meta(2, [1, 2, 3], 2), CONFIG);
  assert.equal(p.role, 'follower');
  assert.equal((await waiting).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.equal(sync(p.appendAsLeader(records('w'), 1, 0)).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('max.message.bytes is enforced per batch', () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1], 1, [1]), { ...CONFIG, maxMessageBytes: 100 });
  const r = sync(p.appendAsLeader(records('x'.repeat(200)), 1, 0));
  assert.equal(r.errorCode, ErrorCode.MESSAGE_TOO_LARGE);
  assert.match(r.errorMessage!, /exceeds max.message.bytes 100/);
  assert.equal(p.logEndOffset, 0);
});

test('the ISR shrinks after replica.lag.time.max.ms and grows when the follower catches up', async () => {
  const { p, alters } = setup({ lagMs: 50 });
  p.applyMetadata(meta(1, [1, 2, 3]), CONFIG);
  sync(p.appendAsLeader(records('a'), 1, 0));
  p.onFollowerFetch(2, 1, 0);
  await new Promise((r) => setTimeout(r, 80));
  p.onFollowerFetch(2, 1, 0);
  p.maybeUpdateIsr();
  assert.deepEqual(alters, [[1, 2]], 'node 3 never fetched: dropped');
  p.applyMetadata({ ...meta(1, [1, 2]), partitionEpoch: 2 }, CONFIG);
  assert.equal(p.highWatermark, 1, 'the HW no longer waits for node 3');
  p.onFollowerFetch(3, 1, 0); // caught up to the HW in the current epoch: back in at once
  assert.deepEqual(alters[1], [1, 2, 3]);
});

test('a follower appends with the leader offsets, takes its HW and truncates', () => {
  const leader = setup();
  leader.p.applyMetadata(meta(1, [1], 1, [1]), CONFIG);
  sync(leader.p.appendAsLeader(records('a', 'b'), 1, 0));
  sync(leader.p.appendAsLeader(records('c'), 1, 0));
  const fetched = Buffer.concat(leader.p.read(0, 1 << 20, 'log-end').records);

  const { p } = setup({ nodeId: 2 });
  p.applyMetadata(meta(1, [1, 2], 1), CONFIG);
  assert.equal(p.role, 'follower');
  p.appendAsFollower(fetched);
  assert.equal(p.logEndOffset, 3);
  assert.equal(p.epochs.latestEpoch, 1, 'epochs learnt from the batches');
  assert.equal(p.highWatermark, 0);
  p.updateFollowerHighWatermark(2);
  assert.equal(p.highWatermark, 2);
  p.updateFollowerHighWatermark(10);
  assert.equal(p.highWatermark, 3, 'never above its own log end');
  p.truncateTo(2);
  assert.equal(p.logEndOffset, 2);
  assert.equal(p.highWatermark, 2);
});

test('reads: out of range below the log start and past the log end, nothing past the HW for consumers', async () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1, 2]), CONFIG);
  sync(p.appendAsLeader(records('a'), 1, 0));
  sync(p.appendAsLeader(records('b'), 1, 0));
  p.onFollowerFetch(2, 1, 0);
  assert.deepEqual(values(p.read(0, 1 << 20, 'high-watermark').records), ['a']);
  assert.equal(p.read(1, 1 << 20, 'high-watermark').bytes, 0);
  assert.equal(p.read(3, 1 << 20, 'high-watermark').errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  p.onFollowerFetch(2, 2, 0);
  const deleting = p.deleteRecordsTo(1, 5000);
  const below = p.read(0, 1 << 20, 'high-watermark');
  assert.equal(below.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  assert.equal(below.logStartOffset, 1);
  p.onFollowerFetch(2, 2, 1);
  assert.deepEqual(await deleting, { errorCode: ErrorCode.NONE, lowWatermark: 1 });
  assert.deepEqual(p.deleteRecordsTo(5, 0), { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 }, 'beyond the HW');
});

test('DeleteRecords is answered once every ISR member has moved its log start (the low watermark)', async () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1, 2, 3]), CONFIG);
  sync(p.appendAsLeader(records('a', 'b', 'c'), 1, 0));
  p.onFollowerFetch(2, 3, 0);
  p.onFollowerFetch(3, 3, 0);
  let answer: unknown = null;
  const deleting = p.deleteRecordsTo(-1, 5000);
  assert.ok(deleting instanceof Promise, 'followers still start at 0');
  void deleting.then((r) => (answer = r));
  p.onFollowerFetch(2, 3, 3);
  await Promise.resolve();
  assert.equal(answer, null, 'node 3 has not moved yet');
  p.onFollowerFetch(3, 3, 3);
  assert.deepEqual(await deleting, { errorCode: ErrorCode.NONE, lowWatermark: 3 });
  const stuck = await p.deleteRecordsTo(3, 0);
  assert.deepEqual(stuck, { errorCode: ErrorCode.NONE, lowWatermark: 3 }, 'nothing to move: answered at once');
  // A replica that stops fetching holds it back until it leaves the ISR.
  sync(p.appendAsLeader(records('d'), 1, 0));
  p.onFollowerFetch(2, 4, 3);
  p.onFollowerFetch(3, 4, 3);
  const again = p.deleteRecordsTo(4, 5000);
  p.onFollowerFetch(2, 4, 4);
  p.applyMetadata({ ...meta(1, [1, 2]), partitionEpoch: 2 }, CONFIG);
  assert.deepEqual(await again, { errorCode: ErrorCode.NONE, lowWatermark: 4 });
  assert.deepEqual(await p.deleteRecordsTo(4, 10), { errorCode: ErrorCode.NONE, lowWatermark: 4 });
  sync(p.appendAsLeader(records('e'), 1, 0));
  p.onFollowerFetch(2, 5, 4);
  const timedOut = await p.deleteRecordsTo(-1, 20);
  assert.deepEqual(timedOut, { errorCode: ErrorCode.REQUEST_TIMED_OUT, lowWatermark: -1 }, 'node 2 never moves');
  assert.equal(p.logStartOffset, 5, 'the leader itself has moved');
});

test('a follower adopts the leader log start and, when the leader no longer has its log end, starts over at it', () => {
  const leader = setup();
  leader.p.applyMetadata(meta(1, [1], 1, [1]), CONFIG);
  for (const v of ['a', 'b', 'c', 'd']) sync(leader.p.appendAsLeader(records(v), 1, 0));
  const fetched = Buffer.concat(leader.p.read(0, 1 << 20, 'log-end').records);
  const { p } = setup({ nodeId: 2 });
  p.applyMetadata(meta(1, [1, 2], 1), CONFIG);
  p.appendAsFollower(fetched);
  p.updateFollowerLogStartOffset(2);
  assert.equal(p.logStartOffset, 0, 'not above its own high watermark');
  p.updateFollowerHighWatermark(4);
  p.updateFollowerLogStartOffset(2);
  assert.equal(p.logStartOffset, 2);
  p.truncateFullyAndStartAt(10);
  assert.deepEqual([p.logStartOffset, p.logEndOffset, p.highWatermark], [10, 10, 10]);
  assert.equal(p.epochs.latestEpoch, -1, 'no epoch of the old log is left');
});

test('a waiting fetch wakes on an append, on a HW move and on a role change', async () => {
  const { p } = setup();
  p.applyMetadata(meta(1, [1, 2]), CONFIG);
  let t = Date.now();
  const onAppend = waitForChange([p], 5000);
  sync(p.appendAsLeader(records('a'), 1, 0));
  await onAppend;
  assert.ok(Date.now() - t < 1000);
  t = Date.now();
  const onHw = waitForChange([p], 5000);
  p.onFollowerFetch(2, 1, 0);
  await onHw;
  assert.ok(Date.now() - t < 1000);
  t = Date.now();
  const onRole = waitForChange([p], 5000);
  p.applyMetadata(meta(2, [1, 2], 2), CONFIG);
  await onRole;
  assert.ok(Date.now() - t < 1000);
  t = Date.now();
  await waitForChange([p], 50);
  assert.ok(Date.now() - t >= 45, 'nothing happened: waits out its timeout');
});
