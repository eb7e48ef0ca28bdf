// The log cleaner on FileLog: what survives a clean (bytes on disk and records read back),
// the configs that decide when a log is cleaned, batch metadata, compression, retention under
// cleanup.policy, crash recovery of an interrupted swap, and a follower copying a cleaned log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ATTR,
  batchInfo,
  buildBatch,
  decodeRecords,
  type BatchOptions,
  type Record,
} from '../protocol/record-batch.ts';
import { LogCleaner, type CleanerOptions } from './cleaner.ts';
import { CLEAN_SHUTDOWN_FILE, CLEANER_CHECKPOINT_FILE, FileLog } from './file-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './types.ts';

const compacted: LogConfig = {
  ...DEFAULT_LOG_CONFIG,
  segmentBytes: 4096,
  indexIntervalBytes: 256,
  compact: true,
  delete: false,
  minCleanableDirtyRatio: 0.01,
};

function withLog(cfg: LogConfig, fn: (log: FileLog, dir: string, root: string) => Promise<void> | void) {
  return async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-cleaner-'));
    const dir = path.join(root, 'kv-0');
    const log = FileLog.open(dir, 'kv', 0, cfg);
    try {
      await fn(log, dir, root);
    } finally {
      if (!log.isClosed) log.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

const cleanerFor = (log: FileLog, o: Partial<CleanerOptions> = {}) =>
  new LogCleaner(() => [log], { tickBytes: 1024, ...o });

const put = (log: FileLog, key: string | null, value: string | null, ts = 1000, o: BatchOptions = {}) =>
  log.append(buildBatch([{ key, value, timestamp: ts }], o), 0);

/** Every record from the log start, in offset order. */
function records(log: FileLog): Record[] {
  const out: Record[] = [];
  for (let o = log.logStartOffset; o < log.logEndOffset;) {
    const { chunks } = log.read(o, 1 << 20);
    if (!chunks.length) break;
    for (const c of chunks) {
      out.push(...decodeRecords(c).filter((r) => r.offset >= o));
      o = batchInfo(c, 0).baseOffset + batchInfo(c, 0).lastOffsetDelta + 1;
    }
  }
  return out;
}

const kv = (rs: Record[]) => rs.map((r) => `${r.key}=${r.value === null ? 'null' : r.value.toString()}`);

/** The records below the active segment (what the cleaner may touch). */
const sealedRecords = (log: FileLog) => {
  const active = log.segmentList[log.segmentList.length - 1].baseOffset;
  return records(log).filter((r) => r.offset < active);
};

/** 1 000 updates to 10 keys, then one record of another key that rolls the segment. */
function thousandUpdates(log: FileLog): Map<string, { offset: number; value: string }> {
  const latest = new Map<string, { offset: number; value: string }>();
  for (let i = 0; i < 1000; i++) {
    const key = `k${i % 10}`;
    const value = `v${i}`;
    const { baseOffset } = put(log, key, value, 1000 + i);
    latest.set(key, { offset: baseOffset, value });
  }
  // segment.ms counts in record time: a much later record starts a new active segment.
  put(log, 'roll', 'x', 1000 + 10 * 86400000);
  return latest;
}

test(
  '1 000 updates to 10 keys clean to 10 records with their offsets and latest values, on disk and after reopen',
  withLog(compacted, async (log, dir) => {
    const latest = thousandUpdates(log);
    const leo = log.logEndOffset;
    const before = log.size;
    const segments = log.segmentList.length;
    assert.ok(segments > 5, 'many sealed segments to clean');
    const stats = await cleanerFor(log).cleanFilthiest();
    assert.ok(stats, 'a clean ran');
    const expect = [...latest].sort((a, b) => a[1].offset - b[1].offset);
    const sealed = sealedRecords(log);
    assert.deepEqual(
      sealed.map((r) => [r.key!.toString(), r.offset, r.value!.toString()]),
      expect.map(([k, v]) => [k, v.offset, v.value]),
    );
    assert.equal(log.logEndOffset, leo, 'offsets are kept');
    assert.ok(log.size < before / 10, `${log.size} bytes left of ${before}`);
    // Groups are formed by source size (as Kafka): this first clean shrinks each segment in place.
    assert.equal(log.segmentList.length, segments);
    assert.deepEqual(kv(records(log)).slice(-1), ['roll=x']);
    // Nothing of the swap is left; the checkpoint says where the dirty section starts.
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => /cleaned|swap/.test(n)),
      [],
    );
    const activeBase = log.segmentList[log.segmentList.length - 1].baseOffset;
    assert.equal(fs.readFileSync(path.join(dir, CLEANER_CHECKPOINT_FILE), 'utf8'), `0\n1\nkv 0 ${activeBase}\n`);
    // Reading from an offset inside a gap starts at the next kept record.
    assert.equal(records(log)[0].offset, expect[0][1].offset);
    assert.equal(log.read(0, 1).chunks.length, 1);
    const all = kv(records(log));
    log.close();
    const again = FileLog.open(dir, 'kv', 0, compacted);
    try {
      assert.deepEqual(kv(records(again)), all);
      assert.equal(again.firstDirtyOffset, activeBase);
      assert.equal(await cleanerFor(again).cleanFilthiest(), null, 'a clean log is not cleaned again');
    } finally {
      again.close();
    }
  }),
);

test(
  'tombstones remove older values at once and vanish themselves after delete.retention.ms',
  withLog({ ...compacted, deleteRetentionMs: 1000 }, async (log) => {
    let now = 5_000_000;
    const cleaner = cleanerFor(log, { now: () => now });
    for (let i = 0; i < 200; i++) put(log, `k${i % 10}`, `v${i}`, 1000 + i);
    for (let k = 0; k < 5; k++) put(log, `k${k}`, null, 2000 + k);
    put(log, 'roll', 'x', 1000 + 10 * 86400000);
    assert.ok(await cleaner.cleanFilthiest());
    const first = sealedRecords(log);
    assert.deepEqual(kv(first).sort(), [
      'k0=null',
      'k1=null',
      'k2=null',
      'k3=null',
      'k4=null',
      'k5=v195',
      'k6=v196',
      'k7=v197',
      'k8=v198',
      'k9=v199',
    ]);
    // The batch holding a tombstone now carries its delete horizon; record timestamps are unchanged.
    const tomb = log.read(first.find((r) => r.value === null)!.offset, 1).chunks[0];
    assert.ok(batchInfo(tomb, 0).attributes & ATTR.deleteHorizon);
    assert.equal(batchInfo(tomb, 0).baseTimestamp, now + 1000);
    assert.equal(decodeRecords(tomb)[0].timestamp, 2000);
    now += 999;
    assert.equal(await cleaner.cleanFilthiest(), null, 'before the horizon nothing is due');
    now += 2;
    assert.ok(await cleaner.cleanFilthiest(), 'the passed horizon makes the log cleanable without new writes');
    assert.deepEqual(kv(sealedRecords(log)).sort(), ['k5=v195', 'k6=v196', 'k7=v197', 'k8=v198', 'k9=v199']);
  }),
);

test(
  'the active segment, records above the high watermark and within min.compaction.lag.ms are never cleaned',
  withLog(compacted, async (log) => {
    for (let i = 0; i < 300; i++) put(log, `k${i % 3}`, `v${i}`, 1000 + i);
    const activeBase = log.segmentList[log.segmentList.length - 1].baseOffset;
    const activeRecords = records(log).filter((r) => r.offset >= activeBase).length;
    assert.ok(activeRecords > 3);
    // High watermark below the second segment: only the first may be cleaned.
    const second = log.segmentList[1].baseOffset;
    assert.ok(await cleanerFor(log, { upperBound: () => second }).cleanFilthiest());
    assert.ok(records(log).filter((r) => r.offset >= second).length > 100, 'above the HW untouched');
    // min.compaction.lag.ms: records younger than the lag (record time vs now) wait.
    log.updateConfig({ ...compacted, minCompactionLagMs: 60_000 });
    assert.equal(await cleanerFor(log, { now: () => 1000 + 300 + 59_000 }).cleanFilthiest(), null);
    assert.ok(await cleanerFor(log, { now: () => 1000 + 300 + 61_000 }).cleanFilthiest());
    const left = records(log);
    assert.equal(left.filter((r) => r.offset < activeBase).length, 3, 'one record per key below the active segment');
    assert.equal(left.filter((r) => r.offset >= activeBase).length, activeRecords, 'the active segment as written');
  }),
);

test(
  'min.cleanable.dirty.ratio gates a clean; max.compaction.lag.ms forces one',
  withLog({ ...compacted, minCleanableDirtyRatio: 0.9 }, async (log) => {
    for (let i = 0; i < 300; i++) put(log, `u${i}`, `v${i}`, 1000 + i); // 300 distinct keys: all stay
    put(log, 'roll', 'x', 1000 + 10 * 86400000);
    assert.ok(await cleanerFor(log).cleanFilthiest(), 'all dirty: ratio 1 > 0.9');
    // A little new dirty data against the large clean section: ratio well below 0.9.
    for (let i = 0; i < 60; i++) put(log, `k${i % 3}`, `w${i}`, 5000 + i);
    put(log, 'roll', 'x', 1000 + 10 * 86400000);
    assert.equal(await cleanerFor(log, { now: () => 10_000 }).cleanFilthiest(), null, 'not dirty enough');
    log.updateConfig({ ...compacted, minCleanableDirtyRatio: 0.9, maxCompactionLagMs: 1000 });
    const s = await cleanerFor(log, { now: () => 10_000 }).cleanFilthiest();
    assert.ok(s, 'a dirty segment older than max.compaction.lag.ms is cleaned whatever the ratio');
    assert.deepEqual(
      kv(sealedRecords(log))
        .filter((r) => r.startsWith('k'))
        .sort(),
      ['k0=w57', 'k1=w58', 'k2=w59'],
    );
    assert.equal(sealedRecords(log).length, 300 + 1 + 3);
  }),
);

test(
  'rewritten batches keep producer id, epoch, sequence and last offset; a producer keeps its last batch even when emptied',
  withLog(compacted, async (log) => {
    const pid = { producerId: 4242, producerEpoch: 3 };
    let seq = 0;
    const batch = (keys: string[], tag: string) => {
      const b = buildBatch(
        keys.map((k) => ({ key: k, value: `${tag}-${k}`, timestamp: 1000 })),
        { ...pid, baseSequence: seq },
      );
      seq += keys.length;
      return log.append(b, 7);
    };
    for (let i = 0; i < 40; i++) batch(['a', 'b', 'c'], `r${i}`);
    const last = batch(['a', 'b'], 'final'); // 'c' survives from the batch before
    for (let i = 0; i < 40; i++) put(log, `other${i % 4}`, `o${i}`, 1000 + i); // a non-idempotent writer
    // The producer's last batch is superseded entirely by later plain writes to its keys.
    put(log, 'a', 'plain-a', 2000);
    put(log, 'b', 'plain-b', 2000);
    put(log, 'roll', 'x', 1000 + 10 * 86400000);
    assert.ok(await cleanerFor(log).cleanFilthiest());
    const batches: ReturnType<typeof batchInfo>[] = [];
    for (const seg of log.segmentList.slice(0, -1)) {
      const buf = seg.readBytes(0, seg.size);
      for (let p = 0; p < buf.length; p += batchInfo(buf, p).size) batches.push(batchInfo(buf, p));
    }
    const ofPid = batches.filter((b) => b.producerId === pid.producerId);
    const lastOfPid = ofPid[ofPid.length - 1];
    assert.equal(lastOfPid.baseOffset, last.baseOffset, 'the last batch of the producer is kept');
    assert.equal(lastOfPid.recordsCount, 0, '... emptied of its superseded records');
    assert.deepEqual(
      [lastOfPid.producerEpoch, lastOfPid.baseSequence, lastOfPid.lastOffsetDelta, lastOfPid.leaderEpoch],
      [3, 120, 1, 7],
    );
    const withC = ofPid.find((b) => b.recordsCount > 0)!;
    assert.equal(withC.baseSequence, 117, 'the batch keeping c keeps its sequence');
    assert.equal(withC.lastOffsetDelta, 2, 'and its last offset delta, though only its last record is left');
    assert.equal(ofPid.length, 2, 'older emptied batches of the producer are dropped');
    assert.deepEqual(
      kv(sealedRecords(log))
        .filter((r) => /^[abc]=/.test(r))
        .sort(),
      ['a=plain-a', 'b=plain-b', 'c=r39-c'],
    );
  }),
);

test(
  'gzip batches are filtered and recompressed with gzip; keyless records are dropped',
  withLog(compacted, async (log) => {
    for (let i = 0; i < 30; i++)
      log.append(
        buildBatch(
          Array.from({ length: 10 }, (_, j) => ({
            key: j === 9 ? null : `k${j % 5}`,
            value: `g${i}-${j}`,
            timestamp: 1000 + i,
          })),
          { compression: 'gzip' },
        ),
        0,
      );
    put(log, 'roll', 'x', 1000 + 10 * 86400000);
    assert.ok(await cleanerFor(log).cleanFilthiest());
    const kept = log.read(sealedRecords(log)[0].offset, 1).chunks[0];
    assert.equal(batchInfo(kept, 0).attributes & ATTR.compressionMask, 1, 'still gzip');
    assert.equal(batchInfo(kept, 0).recordsCount, 5);
    assert.deepEqual(kv(sealedRecords(log)), ['k4=g29-4', 'k0=g29-5', 'k1=g29-6', 'k2=g29-7', 'k3=g29-8']);
  }),
);

test(
  'cleanup.policy=compact alone never deletes by retention; compact,delete does',
  withLog({ ...compacted, retentionMs: 1000, retentionBytes: 100 }, (log) => {
    for (let i = 0; i < 200; i++) put(log, `k${i % 10}`, `v${i}`, 1000 + i);
    const segs = log.segmentList.length;
    assert.equal(log.applyRetention(10 * 86400000), 0);
    assert.equal(log.segmentList.length, segs);
    log.updateConfig({ ...compacted, retentionMs: 1000, delete: true });
    assert.equal(log.applyRetention(10 * 86400000), segs - 1);
  }),
);

test(
  'an interrupted clean recovers on open: .cleaned files are dropped, a .log.swap completes its swap',
  withLog(compacted, async (log, dir, root) => {
    thousandUpdates(log);
    const expected = kv(records(log)).reduce((m, e) => m.set(e.split('=')[0], e), new Map<string, string>());
    const pre = path.join(root, 'pre');
    log.flush();
    fs.cpSync(dir, pre, { recursive: true });
    const oldBases = log.segmentList.slice(0, -1).map((s) => s.baseOffset);
    log.updateConfig({ ...compacted, segmentBytes: 1 << 20 }); // one group: one .swap replaces them all
    await cleanerFor(log).cleanFilthiest();
    assert.equal(log.segmentList.length, 2);
    const post = kv(records(log));
    const cleanedBase = log.segmentList[0].baseOffset;
    const seg = (d: string, base: number, ext: string) => path.join(d, `${String(base).padStart(20, '0')}${ext}`);
    const open = (d: string) => {
      fs.rmSync(path.join(d, CLEAN_SHUTDOWN_FILE), { force: true }); // as after kill -9
      return FileLog.open(d, 'kv', 0, compacted);
    };
    const latestOf = (l: FileLog) => [
      ...kv(records(l))
        .reduce((m, e) => m.set(e.split('=')[0], e), new Map<string, string>())
        .values(),
    ];

    // 1. Killed while writing the .cleaned files: the old segments are the log.
    const a = path.join(root, 'a');
    fs.cpSync(pre, a, { recursive: true });
    fs.copyFileSync(seg(dir, cleanedBase, '.log'), seg(a, cleanedBase, '.log.cleaned'));
    fs.writeFileSync(seg(a, cleanedBase, '.index.cleaned'), '');
    const la = open(a);
    assert.equal(records(la).length, 1001, 'nothing lost, nothing cleaned');
    assert.deepEqual(latestOf(la).sort(), [...expected.values()].sort());
    assert.deepEqual(
      fs.readdirSync(a).filter((n) => n.endsWith('.cleaned')),
      [],
    );
    la.close();

    // 2. Killed after the rename to .swap, before (or while) the old segments were deleted.
    for (const deletedOld of [0, 3]) {
      const b = path.join(root, `b${deletedOld}`);
      fs.cpSync(pre, b, { recursive: true });
      fs.copyFileSync(seg(dir, cleanedBase, '.log'), seg(b, cleanedBase, '.log.swap'));
      fs.copyFileSync(seg(dir, cleanedBase, '.index'), seg(b, cleanedBase, '.index.swap'));
      for (const base of oldBases.slice(0, deletedOld))
        for (const ext of ['.log', '.index', '.timeindex']) fs.rmSync(seg(b, base, ext));
      const lb = open(b);
      assert.deepEqual(kv(records(lb)), post, `swap completed with ${deletedOld} old segments already deleted`);
      assert.deepEqual(latestOf(lb).sort(), [...expected.values()].sort());
      assert.deepEqual(
        fs.readdirSync(b).filter((n) => /swap|cleaned/.test(n)),
        [],
      );
      lb.close();
    }
  }),
);

test(
  'a clean is aborted, leaving no .cleaned files, when the log is truncated meanwhile',
  withLog(compacted, async (log, dir) => {
    thousandUpdates(log);
    const cleaner = cleanerFor(log, { tickBytes: 64 });
    const running = cleaner.cleanFilthiest();
    const deadline = Date.now() + 10_000;
    while (!fs.readdirSync(dir).some((n) => n.endsWith('.log.cleaned')) && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    assert.ok(
      fs.readdirSync(dir).some((n) => n.endsWith('.log.cleaned')),
      'caught mid-clean',
    );
    log.truncateTo(500);
    assert.equal(await running, null, 'aborted');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.cleaned')),
      [],
    );
    assert.equal(records(log).length, 500);
    assert.ok(await cleaner.cleanFilthiest(), 'the next turn cleans the truncated log');
    assert.equal(
      new Set(sealedRecords(log).map((r) => r.key!.toString())).size,
      sealedRecords(log).length,
      'one record per key',
    );
  }),
);

test(
  'a follower copies a cleaned leader log across its offset gaps, from scratch and from inside a gap',
  withLog(compacted, async (leader, _dir, root) => {
    const latest = thousandUpdates(leader);
    await cleanerFor(leader).cleanFilthiest();
    const copyFrom = (follower: FileLog) => {
      while (follower.logEndOffset < leader.logEndOffset) {
        const { chunks } = leader.read(follower.logEndOffset, 4096);
        follower.appendAsFollower(Buffer.concat(chunks));
      }
    };
    const f1 = FileLog.open(path.join(root, 'f1', 'kv-0'), 'kv', 0, compacted);
    copyFrom(f1);
    assert.deepEqual(kv(records(f1)), kv(records(leader)));
    assert.equal(f1.logEndOffset, leader.logEndOffset);
    f1.close();
    // A follower that had the first 500 records before the leader cleaned: it resumes at 500,
    // which the leader no longer has.
    const f2 = FileLog.open(path.join(root, 'f2', 'kv-0'), 'kv', 0, compacted);
    for (let i = 0; i < 500; i++) put(f2, `k${i % 10}`, `v${i}`, 1000 + i);
    copyFrom(f2);
    const byKey = new Map(records(f2).map((r) => [r.key!.toString(), r.value!.toString()]));
    for (const [k, v] of latest) assert.equal(byKey.get(k), v.value);
    assert.equal(f2.logEndOffset, leader.logEndOffset);
    f2.close();
  }),
);

test(
  'a crash between any two turns of a clean (a copy of the files opened as after kill -9) keeps every latest value',
  withLog(compacted, async (log, _dir, root) => {
    const latest = thousandUpdates(log);
    const cleaner = cleanerFor(log, { tickBytes: 2048 });
    let done = false;
    const running = cleaner.cleanFilthiest().then((s) => {
      done = true;
      return s;
    });
    let snapshots = 0;
    for (let turn = 0; !done; turn++) {
      if (turn % 20) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const snap = path.join(root, `crash-${snapshots}`, 'kv-0');
      try {
        fs.cpSync(log.dir, snap, { recursive: true });
      } catch {
        // a `.deleted` file was unlinked under the copy: take the next one
        fs.rmSync(path.dirname(snap), { recursive: true, force: true });
        await new Promise((r) => setImmediate(r));
        continue;
      }
      fs.rmSync(path.join(snap, CLEAN_SHUTDOWN_FILE), { force: true });
      const reopened = FileLog.open(snap, 'kv', 0, compacted);
      const seen = new Map(records(reopened).map((r) => [r.key!.toString(), r.value!.toString()]));
      reopened.close();
      for (const [k, v] of latest) assert.equal(seen.get(k), v.value, `crash ${snapshots}: ${k}`);
      assert.deepEqual(
        fs.readdirSync(snap).filter((n) => /cleaned|swap|deleted/.test(n)),
        [],
        'recovery tidied up',
      );
      fs.rmSync(path.dirname(snap), { recursive: true });
      snapshots++;
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(await running);
    assert.ok(snapshots >= 10, `${snapshots} crash points`);
  }),
);
