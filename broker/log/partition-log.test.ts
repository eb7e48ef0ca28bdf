// The PartitionLog contract, run against FileLog and its in-memory twin alike.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { batchInfo, buildBatch, decodeRecords, type BatchOptions } from '../protocol/record-batch.ts';
import { FileLog } from './file-log.ts';
import { MemoryLog } from './memory-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig, type PartitionLog } from './types.ts';

const config: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 1024, indexIntervalBytes: 100 };

/** n records with timestamps ts, ts+1, ... */
const batch = (n: number, ts = 1000, o: BatchOptions = {}) =>
  buildBatch(
    Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `value-${ts + i}`, timestamp: ts + i })),
    o,
  );

function offsetsOf(chunks: Buffer[]): number[] {
  return chunks.flatMap((c) => decodeRecords(c).map((r) => r.offset));
}

const impls: [string, (cfg: LogConfig) => { log: PartitionLog; done: () => void }][] = [
  [
    'FileLog',
    (cfg) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-plog-'));
      const log = FileLog.open(path.join(dir, 't-0'), 't', 0, cfg);
      return {
        log,
        done: () => {
          log.delete();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  ['MemoryLog', (cfg) => ({ log: new MemoryLog('t', 0, cfg), done: () => {} })],
];

for (const [name, make] of impls) {
  const withLog = (cfg: LogConfig, fn: (log: PartitionLog) => void) => () => {
    const { log, done } = make(cfg);
    try {
      fn(log);
    } finally {
      done();
    }
  };

  test(
    `${name}: append assigns offsets and patches the leader epoch`,
    withLog(config, (log) => {
      const b = batch(3);
      const r1 = log.append(b, 7);
      assert.deepEqual(r1, { baseOffset: 0, lastOffset: 2, logAppendTime: -1, logStartOffset: 0 });
      const r2 = log.append(Buffer.concat([batch(2), batch(4)]), 7);
      assert.equal(r2.baseOffset, 3);
      assert.equal(r2.lastOffset, 8);
      assert.equal(log.logEndOffset, 9);
      const { chunks } = log.read(0, 1 << 20);
      assert.deepEqual(offsetsOf(chunks), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
      assert.deepEqual(
        chunks.map((c) => batchInfo(c, 0).leaderEpoch),
        [7, 7, 7],
      );
      assert.equal(
        log.size,
        chunks.reduce((n, c) => n + c.length, 0),
      );
    }),
  );

  test(
    `${name}: reads whole batches from the one containing the offset, within maxBytes and maxOffset`,
    withLog(config, (log) => {
      for (let i = 0; i < 20; i++) log.append(batch(5, 1000 + i * 10), 0); // offsets 0..99, rolls segments
      const mid = log.read(42, 1);
      assert.equal(mid.chunks.length, 1, 'at least one batch even when larger than maxBytes');
      assert.deepEqual(offsetsOf(mid.chunks), [40, 41, 42, 43, 44]);
      const oneSize = mid.bytes;
      assert.equal(log.read(42, oneSize * 2).chunks.length, 2);
      assert.deepEqual(offsetsOf(log.read(42, 1 << 20, 50).chunks), [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
      assert.deepEqual(log.read(100, 1 << 20), { chunks: [], bytes: 0 });
      assert.throws(() => log.read(101, 100), RangeError);
      // Sequential consumption sees every offset once.
      const seen: number[] = [];
      for (let o = 0; o < log.logEndOffset;) {
        const offs = offsetsOf(log.read(o, 300).chunks).filter((x) => x >= o);
        seen.push(...offs);
        o = offs[offs.length - 1] + 1;
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 100 }, (_, i) => i),
      );
    }),
  );

  test(
    `${name}: offsetForTimestamp finds the exact first record at or after a timestamp`,
    withLog(config, (log) => {
      // batch i holds timestamps 1000+100i .. 1000+100i+4; one gzip batch in the middle
      for (let i = 0; i < 12; i++) log.append(batch(5, 1000 + 100 * i, i === 6 ? { compression: 'gzip' } : {}), 0);
      assert.deepEqual(log.offsetForTimestamp(0), { offset: 0, timestamp: 1000 });
      assert.deepEqual(log.offsetForTimestamp(1002), { offset: 2, timestamp: 1002 });
      assert.deepEqual(log.offsetForTimestamp(1005), { offset: 5, timestamp: 1100 });
      assert.deepEqual(log.offsetForTimestamp(1603), { offset: 33, timestamp: 1603 }, 'inside a gzip batch');
      assert.deepEqual(log.offsetForTimestamp(2104), { offset: 59, timestamp: 2104 });
      assert.equal(log.offsetForTimestamp(2105), null);
      assert.deepEqual(log.maxTimestamp(), { offset: 59, timestamp: 2104 });
      log.advanceStartOffset(12);
      assert.deepEqual(log.offsetForTimestamp(1000), { offset: 12, timestamp: 1202 }, 'not below the start offset');
    }),
  );

  test(
    `${name}: maxTimestamp reports the batch with the largest timestamp, null when empty`,
    withLog(config, (log) => {
      assert.equal(log.maxTimestamp(), null);
      log.append(batch(3, 5000), 0);
      log.append(batch(3, 9000), 0);
      log.append(batch(3, 7000), 0);
      assert.deepEqual(log.maxTimestamp(), { offset: 5, timestamp: 9002 });
    }),
  );

  test(
    `${name}: LogAppendTime stamps batches with the append time`,
    withLog({ ...config, logAppendTime: true }, (log) => {
      const before = Date.now();
      const r = log.append(batch(2, 1), 0);
      assert.ok(r.logAppendTime >= before);
      const info = batchInfo(log.read(0, 1000).chunks[0], 0);
      assert.equal(info.maxTimestamp, r.logAppendTime);
      assert.deepEqual(log.offsetForTimestamp(r.logAppendTime), { offset: 0, timestamp: r.logAppendTime });
    }),
  );

  test(
    `${name}: advanceStartOffset hides earlier offsets and drops what lies wholly below`,
    withLog(config, (log) => {
      for (let i = 0; i < 20; i++) log.append(batch(5), 0);
      log.advanceStartOffset(52);
      assert.equal(log.logStartOffset, 52);
      assert.throws(() => log.read(51, 100), RangeError);
      assert.equal(offsetsOf(log.read(52, 1).chunks)[0], 50, 'the batch holding the start offset is returned whole');
      log.advanceStartOffset(10);
      assert.equal(log.logStartOffset, 52, 'never moves back');
      log.advanceStartOffset(150); // past the end: a follower catching up to its leader's start
      assert.equal(log.logStartOffset, 150);
      assert.equal(log.logEndOffset, 150);
      assert.equal(log.append(batch(1), 0).baseOffset, 150);
    }),
  );

  test(
    `${name}: truncateTo removes everything from the batch holding the offset`,
    withLog(config, (log) => {
      for (let i = 0; i < 20; i++) log.append(batch(5, 1000 + 10 * i), 0);
      log.truncateTo(60);
      assert.equal(log.logEndOffset, 60);
      assert.deepEqual(log.maxTimestamp(), { offset: 59, timestamp: 1114 });
      assert.equal(log.offsetForTimestamp(1150), null);
      assert.equal(log.append(batch(2), 0).baseOffset, 60);
      log.truncateTo(33); // inside the batch 30..34
      assert.equal(log.logEndOffset, 30);
      log.truncateTo(1000); // beyond the end: nothing to do
      assert.equal(log.logEndOffset, 30);
      assert.deepEqual(offsetsOf(log.read(0, 1 << 20).chunks).length, 30);
      log.truncateTo(0);
      assert.equal(log.logEndOffset, 0);
      assert.equal(log.size, 0);
    }),
  );

  test(
    `${name}: appendAsFollower keeps the leader's offsets, accepts a compacted leader's gaps, refuses going back`,
    withLog(config, (log) => {
      log.appendAsFollower(Buffer.concat([batch(3, 1000, { baseOffset: 0 }), batch(2, 1000, { baseOffset: 3 })]));
      assert.equal(log.logEndOffset, 5);
      assert.throws(() => log.appendAsFollower(batch(1, 1000, { baseOffset: 4 })), /log end offset is 5/);
      assert.throws(() => log.append(Buffer.from('not a batch at all, far too short......'), 0), /malformed/);
      assert.equal(log.logEndOffset, 5);
      log.appendAsFollower(batch(1, 1000, { baseOffset: 7 })); // offsets 5 and 6 were cleaned away
      assert.equal(log.logEndOffset, 8);
      assert.deepEqual(offsetsOf(log.read(5, 1 << 20).chunks), [7]);
    }),
  );

  test(
    `${name}: retention by size and by time moves logStartOffset and never empties the log`,
    withLog(config, (log) => {
      const now = 1_000_000;
      for (let i = 0; i < 30; i++) log.append(batch(5, now - 100_000 + i * 1000), 0);
      // Batch i (offsets 5i..5i+4) ends at now-100s+i s: with 85 s retention batches 0..14 expire.
      log.updateConfig({ ...config, retentionMs: 85_000 });
      assert.ok(log.applyRetention(now) > 0);
      assert.ok(log.logStartOffset > 0 && log.logStartOffset <= 75, `start ${log.logStartOffset}`);
      assert.ok(log.offsetForTimestamp(0)!.timestamp >= now - 100_000 + 8 * 1000, 'old batches gone');
      assert.throws(() => log.read(0, 100), RangeError);
      assert.equal(offsetsOf(log.read(log.logStartOffset, 1).chunks)[0], log.logStartOffset);
      const afterTime = log.logStartOffset;
      const size = log.size;
      log.updateConfig({ ...config, retentionBytes: Math.floor(size / 2) });
      assert.ok(log.applyRetention(now) > 0);
      assert.ok(log.size < size && log.size >= Math.floor(size / 2), `size ${log.size} of ${size}`);
      assert.ok(log.logStartOffset > afterTime);
      assert.equal(offsetsOf(log.read(log.logStartOffset, 1).chunks)[0], log.logStartOffset);
      log.updateConfig({ ...config, retentionMs: 0 });
      log.applyRetention(now + 10_000_000);
      assert.equal(log.logEndOffset, 150);
      assert.ok(log.size > 0, 'the newest data (active segment) stays');
      assert.equal(log.append(batch(1), 0).baseOffset, 150);
    }),
  );
}
