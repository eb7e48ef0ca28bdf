// FileLog on disk: file names and bytes, rolls, reopen, crash recovery, index rebuild.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { batchInfo, buildBatch, decodeRecords, readInt64, type BatchOptions } from '../protocol/record-batch.ts';
import { CLEAN_SHUTDOWN_FILE, FileLog, LOG_START_OFFSET_FILE } from './file-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './types.ts';

const config: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 1024, indexIntervalBytes: 100 };

const batch = (n: number, ts = 1000, o: BatchOptions = {}) =>
  buildBatch(
    Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `value-${ts + i}`, timestamp: ts + i })),
    o,
  );

const name = (base: number, ext: string) => `${String(base).padStart(20, '0')}${ext}`;

function withDir(fn: (dir: string) => void) {
  return () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-filelog-'));
    try {
      fn(path.join(root, 'orders-3'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

/** Simulates kill -9 after the writes: files stay as written, no clean-shutdown marker. */
function crash(log: FileLog): void {
  log.close();
  fs.rmSync(path.join(log.dir, CLEAN_SHUTDOWN_FILE));
}

function allOffsets(log: FileLog): number[] {
  const out: number[] = [];
  for (let o = log.logStartOffset; o < log.logEndOffset;) {
    const offs = log
      .read(o, 1 << 20)
      .chunks.flatMap((c) => decodeRecords(c).map((r) => r.offset))
      .filter((x) => x >= o);
    out.push(...offs);
    o = offs[offs.length - 1] + 1;
  }
  return out;
}

interface Entry {
  rel: number;
  pos: number;
}
function offsetIndex(file: string): Entry[] {
  const b = fs.readFileSync(file);
  return Array.from({ length: b.length / 8 }, (_, i) => ({ rel: b.readInt32BE(i * 8), pos: b.readInt32BE(i * 8 + 4) }));
}
function timeIndex(file: string): { ts: number; rel: number }[] {
  const b = fs.readFileSync(file);
  return Array.from({ length: b.length / 12 }, (_, i) => ({
    ts: readInt64(b, i * 12),
    rel: b.readInt32BE(i * 12 + 8),
  }));
}

test(
  'segment files: Kafka names, batches stored as appended, index entries byte-exact',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, { ...config, segmentBytes: 1 << 20 });
    const appended: Buffer[] = [];
    for (let i = 0; i < 12; i++) {
      const b = batch(1 + (i % 3), 1000 + 10 * i);
      log.append(b, 4);
      appended.push(Buffer.from(b)); // patched in place by append
    }
    log.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), [
      CLEAN_SHUTDOWN_FILE,
      name(0, '.index'),
      name(0, '.log'),
      name(0, '.timeindex'),
    ]);
    const bytes = fs.readFileSync(path.join(dir, name(0, '.log')));
    assert.ok(bytes.equals(Buffer.concat(appended)));
    // Kafka's rule: before a batch, if more than index.interval.bytes were appended since the
    // last entry, add (batch lastOffset, batch position) and (max timestamp so far, its offset).
    const wantIdx: Entry[] = [];
    const wantTime: { ts: number; rel: number }[] = [];
    let since = 0;
    let maxTs = -1;
    let maxOff = -1;
    for (let pos = 0; pos < bytes.length;) {
      const info = batchInfo(bytes, pos);
      const last = info.baseOffset + info.lastOffsetDelta;
      if (info.maxTimestamp > maxTs) [maxTs, maxOff] = [info.maxTimestamp, last];
      if (since > config.indexIntervalBytes) {
        wantIdx.push({ rel: last, pos });
        if (!wantTime.length || maxTs > wantTime[wantTime.length - 1].ts) wantTime.push({ ts: maxTs, rel: maxOff });
        since = 0;
      }
      since += info.size;
      pos += info.size;
    }
    if (maxTs > wantTime[wantTime.length - 1].ts) wantTime.push({ ts: maxTs, rel: maxOff }); // sealed on close
    assert.ok(wantIdx.length >= 3);
    assert.deepEqual(offsetIndex(path.join(dir, name(0, '.index'))), wantIdx);
    assert.deepEqual(timeIndex(path.join(dir, name(0, '.timeindex'))), wantTime);
    assert.equal(fs.statSync(path.join(dir, name(0, '.index'))).size, wantIdx.length * 8);
  }),
);

test(
  'rolls segments at segment.bytes and reads across them, before and after reopen',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    for (let i = 0; i < 40; i++) log.append(batch(4, 1000 + i * 10), 0);
    const bases = log.segmentBaseOffsets();
    assert.ok(bases.length >= 5, `segments ${bases}`);
    for (const b of bases) assert.ok(fs.existsSync(path.join(dir, name(b, '.log'))));
    for (const b of bases) assert.ok(fs.statSync(path.join(dir, name(b, '.log'))).size <= config.segmentBytes);
    const expected = Array.from({ length: 160 }, (_, i) => i);
    assert.deepEqual(allOffsets(log), expected);
    const size = log.size;
    log.close();
    assert.ok(fs.existsSync(path.join(dir, CLEAN_SHUTDOWN_FILE)));
    const again = FileLog.open(dir, 'orders', 3, config);
    assert.ok(!fs.existsSync(path.join(dir, CLEAN_SHUTDOWN_FILE)), 'marker removed on open');
    assert.deepEqual(again.segmentBaseOffsets(), bases);
    assert.equal(again.logEndOffset, 160);
    assert.equal(again.size, size);
    assert.deepEqual(allOffsets(again), expected);
    assert.deepEqual(again.offsetForTimestamp(1253), { offset: 103, timestamp: 1253 });
    assert.deepEqual(again.maxTimestamp(), { offset: 159, timestamp: 1393 });
    assert.equal(again.append(batch(1), 0).baseOffset, 160);
    again.close();
  }),
);

test(
  'rolls by segment.ms, measured on record timestamps as Kafka does',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, { ...config, segmentBytes: 1 << 20, segmentMs: 1000 });
    log.append(batch(1, 10_000), 0);
    log.append(batch(1, 10_900), 0);
    log.append(batch(1, 11_001), 0);
    log.append(batch(1, 11_500), 0);
    assert.deepEqual(log.segmentBaseOffsets(), [0, 2]);
    log.close();
  }),
);

test(
  'a torn tail is cut on open; the next append continues at the right offset',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    for (let i = 0; i < 10; i++) log.append(batch(3), 0); // offsets 0..29
    const lastBase = log.segmentBaseOffsets().at(-1)!;
    const file = path.join(dir, name(lastBase, '.log'));
    crash(log);
    const good = fs.statSync(file).size;
    const half = batch(3, 1000, { baseOffset: 30 });
    fs.appendFileSync(file, half.subarray(0, half.length - 7)); // half-written batch
    const reopened = FileLog.open(dir, 'orders', 3, config);
    assert.equal(reopened.logEndOffset, 30);
    assert.equal(fs.statSync(file).size, good);
    assert.deepEqual(
      allOffsets(reopened),
      Array.from({ length: 30 }, (_, i) => i),
    );
    assert.equal(reopened.append(batch(2), 0).baseOffset, 30);
    const lastFile = path.join(dir, name(reopened.segmentBaseOffsets().at(-1)!, '.log'));
    crash(reopened);

    // Garbage that frames like a batch but fails its CRC, then random bytes.
    const bad = batch(3, 1000, { baseOffset: 32 });
    bad[bad.length - 1] ^= 0xff;
    fs.appendFileSync(lastFile, Buffer.concat([bad, Buffer.from('garbage garbage garbage')]));
    const third = FileLog.open(dir, 'orders', 3, config);
    assert.equal(third.logEndOffset, 32);
    assert.deepEqual(
      allOffsets(third),
      Array.from({ length: 32 }, (_, i) => i),
    );
    assert.equal(third.append(batch(1), 0).baseOffset, 32);
    third.close();
  }),
);

test(
  'deleted or damaged index files are rebuilt identically',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    for (let i = 0; i < 30; i++) log.append(batch(1 + (i % 4), 1000 + i * 10), 0);
    const bases = log.segmentBaseOffsets();
    log.close();
    const snapshot = () =>
      Object.fromEntries(
        fs
          .readdirSync(dir)
          .filter((f) => /index$/.test(f))
          .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('hex')]),
      );
    const before = snapshot();
    // Unclean (no marker) with every index gone.
    fs.rmSync(path.join(dir, CLEAN_SHUTDOWN_FILE));
    for (const f of fs.readdirSync(dir)) if (/index$/.test(f)) fs.rmSync(path.join(dir, f));
    let reopened = FileLog.open(dir, 'orders', 3, config);
    assert.deepEqual(reopened.segmentBaseOffsets(), bases);
    const offsets = allOffsets(reopened);
    assert.equal(offsets.length, reopened.logEndOffset);
    reopened.close();
    assert.deepEqual(snapshot(), before);
    // Clean marker present but one middle index truncated mid-entry: detected and rebuilt.
    const idx = path.join(dir, name(bases[1], '.index'));
    fs.truncateSync(idx, fs.statSync(idx).size - 3);
    reopened = FileLog.open(dir, 'orders', 3, config);
    assert.deepEqual(allOffsets(reopened), offsets);
    reopened.close();
    assert.deepEqual(snapshot(), before);
  }),
);

test(
  'start offset survives reopen via its checkpoint file',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    for (let i = 0; i < 20; i++) log.append(batch(5), 0);
    log.advanceStartOffset(47);
    assert.ok(log.segmentBaseOffsets()[0] <= 47 && log.segmentBaseOffsets()[1] > 47);
    assert.equal(fs.readFileSync(path.join(dir, LOG_START_OFFSET_FILE), 'utf8'), '0\n47\n');
    crash(log);
    const reopened = FileLog.open(dir, 'orders', 3, config);
    assert.equal(reopened.logStartOffset, 47);
    assert.equal(reopened.logEndOffset, 100);
    reopened.close();
  }),
);

test(
  'retention deletes whole segment files and the start offset follows',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, { ...config, retentionMs: 60_000 });
    const now = 10_000_000;
    for (let i = 0; i < 30; i++) log.append(batch(2, now - 120_000 + i * 4000), 0); // ends at now-4s
    const bases = log.segmentBaseOffsets();
    const deleted = log.applyRetention(now);
    const left = log.segmentBaseOffsets();
    assert.equal(left.length, bases.length - deleted);
    assert.equal(log.logStartOffset, left[0]);
    for (const b of bases.slice(0, deleted))
      for (const ext of ['.log', '.index', '.timeindex']) assert.ok(!fs.existsSync(path.join(dir, name(b, ext))));
    // every deleted segment was wholly expired, the first kept one is not
    assert.ok(log.offsetForTimestamp(0)!.timestamp < now - 60_000 + 4000 * 10);
    assert.ok(log.read(left[0], 1 << 20).chunks.some((c) => batchInfo(c, 0).maxTimestamp >= now - 60_000));
    log.close();
    const reopened = FileLog.open(dir, 'orders', 3, config);
    assert.equal(reopened.logStartOffset, left[0]);
    reopened.delete();
    assert.ok(!fs.existsSync(dir));
  }),
);

test(
  'truncateTo across segments deletes later files; survives reopen',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    for (let i = 0; i < 30; i++) log.append(batch(3), 0);
    const bases = log.segmentBaseOffsets();
    const target = bases[2] + 3;
    log.truncateTo(target);
    assert.equal(log.logEndOffset, target);
    assert.deepEqual(log.segmentBaseOffsets(), bases.slice(0, 3));
    for (const b of bases.slice(3)) assert.ok(!fs.existsSync(path.join(dir, name(b, '.log'))));
    const idx = offsetIndex(path.join(dir, name(bases[2], '.index')));
    assert.ok(idx.every((e) => e.rel + bases[2] < target));
    log.append(batch(2), 0);
    crash(log);
    const reopened = FileLog.open(dir, 'orders', 3, config);
    assert.equal(reopened.logEndOffset, target + 2);
    assert.deepEqual(
      allOffsets(reopened),
      Array.from({ length: target + 2 }, (_, i) => i),
    );
    reopened.close();
  }),
);

test(
  'flush.messages forces fsync without changing behaviour; closed logs refuse work',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, { ...config, flushMessages: 1 });
    for (let i = 0; i < 5; i++) log.append(batch(2), 0);
    assert.equal(log.logEndOffset, 10);
    log.close();
    assert.throws(() => log.append(batch(1), 0), /closed/);
  }),
);

test(
  'a large batch bigger than the scan window and segment.bytes is stored and read whole',
  withDir((dir) => {
    const log = FileLog.open(dir, 'orders', 3, config);
    log.append(batch(2), 0);
    const big = buildBatch([{ value: Buffer.alloc(200_000, 7), timestamp: 5 }]);
    log.append(big, 0);
    log.append(batch(2), 0);
    const r = log.read(2, 10);
    assert.equal(r.chunks.length, 1);
    assert.equal(r.bytes, big.length);
    assert.deepEqual(decodeRecords(r.chunks[0])[0].value, Buffer.alloc(200_000, 7));
    crash(log);
    const reopened = FileLog.open(dir, 'orders', 3, config);
    assert.equal(reopened.logEndOffset, 5);
    assert.deepEqual(allOffsets(reopened), [0, 1, 2, 3, 4]);
    reopened.close();
  }),
);
