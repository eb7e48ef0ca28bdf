// The log cleaner on a compacted log with transactions, through a Partition (which keeps the
// `.txnindex`), as Kafka's cleaner: it never cleans past the last stable offset; an aborted
// transaction's records are removed whatever their keys and never hide a committed value of
// the same key; an abort marker keeps its `.txnindex` entry in the cleaned segment while its
// data is removed, then, like a commit marker whose data is gone, gets a delete horizon and is
// emptied once that passed (kept, empty, as its producer's last batch).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EpochCache } from '../partition/epoch-cache.ts';
import { Partition, type PartitionHost } from '../partition/partition.ts';
import { ProducerStateManager } from '../partition/producer-state.ts';
import { readMarker } from '../protocol/control-record.ts';
import { ATTR, batchInfo, buildBatch, decodeRecords, scanValidPrefix } from '../protocol/record-batch.ts';
import { LogCleaner } from './cleaner.ts';
import { deleteHorizonOf } from './compacted-batch.ts';
import { FileLog } from './file-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './types.ts';

const cfg: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 600, compact: true, delete: false, minCleanableDirtyRatio: 0.01, deleteRetentionMs: 1000 };
const host: PartitionHost = { nodeId: 1, fsync: false, replicaLagTimeMaxMs: 10000, producerIdExpirationMs: 86400000, logger: () => {} };
const CONFIG = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: true };
const A = 7001; // aborts
const B = 8002; // commits

async function withPartition(fn: (p: Partition, log: FileLog, dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-cleaner-txn-'));
  const log = FileLog.open(dir, 't', 0, cfg);
  const p = new Partition({ topic: 't', partition: 0 }, 'a'.repeat(32), log, new EpochCache(dir), new ProducerStateManager(dir), host);
  p.applyMetadata({ partition: 0, leader: 1, leaderEpoch: 1, replicas: [1], isr: [1] }, CONFIG);
  try {
    await fn(p, log, dir);
  } finally {
    if (!log.isClosed) log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const seqs = new Map<number, number>();
function write(p: Partition, key: string, value: string, pid = -1) {
  const o = pid < 0 ? {} : { producerId: pid, producerEpoch: 0, baseSequence: seqs.get(pid) ?? 0, transactional: true };
  if (pid >= 0) seqs.set(pid, (seqs.get(pid) ?? 0) + 1);
  const buf = buildBatch([{ key, value, timestamp: 1000 }], o);
  const r = p.appendAsLeader({ buf, batches: [batchInfo(buf, 0)] }, 1, 0);
  assert.ok(!(r instanceof Promise) && r.errorCode === 0, 'appended');
}
const end = (p: Partition, pid: number, commit: boolean) => {
  const r = p.appendTxnMarker({ producerId: pid, producerEpoch: 0, coordinatorEpoch: 1, commit }, 1, 0);
  assert.ok(!(r instanceof Promise) && r.errorCode === 0, 'marker appended');
};

/** Everything in the sealed segments: data records as key=value, markers as <COMMIT|ABORT pid horizon?>, emptied batches as <empty pid>. */
function contents(log: FileLog): string[] {
  const out: string[] = [];
  for (const seg of log.segmentList.slice(0, -1)) {
    const buf = seg.readBytes(0, seg.size);
    scanValidPrefix(buf, (info) => {
      if (info.recordsCount === 0) out.push(`<empty ${info.producerId}>`);
      else if (info.attributes & ATTR.control) {
        const m = readMarker(buf, info)!;
        out.push(`<${m.commit ? 'COMMIT' : 'ABORT'} ${info.producerId}${deleteHorizonOf(info) >= 0 ? ' horizon' : ''}>`);
      } else for (const r of decodeRecords(buf, info)) out.push(`${r.key}=${r.value}`);
    });
  }
  return out;
}

const filler = (p: Partition, n: number, from = 0) => {
  for (let i = 0; i < n; i++) write(p, `f${from + i}`, 'x'.repeat(40));
};

test('aborted records go whatever their keys; markers wait for their horizon; the cleaned index keeps live aborts', async () => {
  await withPartition(async (p, log) => {
    seqs.clear();
    write(p, 'k1', 'c1', B); // committed
    end(p, B, true);
    write(p, 'k2', 'p2'); // plain
    write(p, 'k1', 'a1', A); // aborted: must not hide c1
    write(p, 'k2', 'a2', A);
    end(p, A, false);
    filler(p, 12); // rolls segments: all of the above is sealed
    assert.equal(p.lastStableOffset, p.logEndOffset, 'all decided');
    let now = 10_000;
    const cleaner = new LogCleaner(() => [log], { tickBytes: 1024, now: () => now, upperBound: () => p.lastStableOffset });

    assert.ok(await cleaner.cleanFilthiest());
    const first = contents(log).filter((x) => !x.startsWith('f'));
    assert.deepEqual(first, ['k1=c1', `<COMMIT ${B}>`, 'k2=p2', `<ABORT ${A}>`], 'the aborted batches are gone, k1 keeps its committed value');
    assert.deepEqual(
      log.collectAbortedTxns(0, log.logEndOffset).map((t) => t.producerId),
      [A],
      'the abort stays in the cleaned segment\'s .txnindex while it was removing its data',
    );

    filler(p, 12, 100);
    assert.ok(await cleaner.cleanFilthiest());
    assert.deepEqual(contents(log).filter((x) => !x.startsWith('f')), ['k1=c1', `<COMMIT ${B}>`, 'k2=p2', `<ABORT ${A} horizon>`], "no data left: the abort marker gets its horizon; B's commit still has k1=c1");
    assert.deepEqual(log.collectAbortedTxns(0, log.logEndOffset), []);

    now += 2000; // past the horizon
    filler(p, 12, 200);
    assert.ok(await cleaner.cleanFilthiest());
    assert.deepEqual(contents(log).filter((x) => !x.startsWith('f')), ['k1=c1', `<COMMIT ${B}>`, 'k2=p2', `<empty ${A}>`], "emptied: kept as A's last batch");
  });
});

test('the cleaner stops at the last stable offset: an open transaction and what follows stay dirty', async () => {
  await withPartition(async (p, log) => {
    seqs.clear();
    write(p, 'k', 'v1');
    write(p, 'k', 'open', A); // open transaction from here
    filler(p, 12);
    const lso = p.lastStableOffset;
    assert.equal(lso, 1);
    const cleaner = new LogCleaner(() => [log], { tickBytes: 1024, upperBound: () => p.lastStableOffset });
    const stats = await cleaner.cleanFilthiest();
    assert.ok(!stats || stats.endOffset <= lso, `cleaned below ${stats?.endOffset}, past the LSO ${lso}`);
    assert.deepEqual(contents(log).slice(0, 2), ['k=v1', 'k=open'], 'nothing decided on undecided data');
    end(p, A, true); // the marker lands after the filler
    filler(p, 12, 100);
    assert.ok(await cleaner.cleanFilthiest());
    const after = contents(log);
    assert.deepEqual(after.slice(0, 1), ['k=open'], 'committed: the latest value of k, v1 is gone');
    assert.ok(after.includes(`<COMMIT ${A}>`), 'its marker stays: the transaction still has data');
  });
});
