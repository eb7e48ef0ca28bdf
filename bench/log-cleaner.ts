// `npm run bench -- cleaner`: the log cleaner on a 100 MB compacted log (1 KiB values, 1 000
// keys, batches of 100 records, 16 MiB segments) in this process, as a node runs it. Prints the
// cleaning throughput as a ratio to a plain copy of the same segment files (read + write, the
// ceiling for recopying them) and the longest event-loop stall while cleaning next to the
// longest one of the same event loop left idle for as long (the baseline), from a 1 ms timer.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogCleaner } from '../broker/log/cleaner.ts';
import { FileLog } from '../broker/log/file-log.ts';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../broker/log/types.ts';
import { buildBatch } from '../broker/protocol/record-batch.ts';

const TOTAL_MB = Number(process.env.BENCH_CLEANER_MB ?? 100);
const KEYS = 1000;
const PER_BATCH = 100;
const VALUE = 'x'.repeat(1024);

/** Longest gap between 1 ms timer ticks while fn runs (ms). */
async function longestStall<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    const result = await fn();
    return { result, stallMs: worst };
  } finally {
    clearInterval(t);
  }
}

export async function runCleanerBench(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-cleaner-'));
  const cfg: LogConfig = { ...DEFAULT_LOG_CONFIG, segmentBytes: 16 << 20, compact: true, delete: false, minCleanableDirtyRatio: 0.01 };
  try {
    const log = FileLog.open(path.join(root, 'bench-0'), 'bench', 0, cfg);
    let i = 0;
    while (log.size < TOTAL_MB * 1024 * 1024) {
      const recs = Array.from({ length: PER_BATCH }, () => ({ key: `key-${i++ % KEYS}`, value: VALUE, timestamp: 1000 }));
      log.append(buildBatch(recs), 0);
    }
    log.append(buildBatch([{ key: 'roll', value: 'x', timestamp: 1000 + 30 * 86400000 }]), 0);
    log.flush();
    const before = log.size;
    const sealed = log.segmentList.slice(0, -1).map((s) => path.join(log.dir, `${String(s.baseOffset).padStart(20, '0')}.log`));

    // Baseline 1: copying the sealed segment files (read + write of the same bytes).
    const copyStart = performance.now();
    for (const f of sealed) fs.copyFileSync(f, `${f}.benchcopy`, fs.constants.COPYFILE_EXCL);
    const copySecs = (performance.now() - copyStart) / 1000;
    for (const f of sealed) fs.rmSync(`${f}.benchcopy`);

    const cleaner = new LogCleaner(() => [log]);
    const start = performance.now();
    const { result: stats, stallMs } = await longestStall(() => cleaner.cleanFilthiest());
    const secs = (performance.now() - start) / 1000;
    if (!stats) throw new Error('nothing was cleaned');
    // Baseline 2: the same event loop, idle, for as long.
    const idle = await longestStall(() => new Promise((r) => setTimeout(r, secs * 1000)));
    const mbps = stats.bytesRead / (1024 * 1024) / secs;
    const copyMbps = stats.bytesRead / (1024 * 1024) / copySecs;
    console.log(
      `log cleaner: ${(before / (1024 * 1024)).toFixed(1)} MB (${stats.recordsRead} records) -> ` +
        `${(log.size / (1024 * 1024)).toFixed(2)} MB (${stats.recordsKept} records) in ${secs.toFixed(2)} s: ` +
        `${mbps.toFixed(0)} MB/s = ${(mbps / copyMbps).toFixed(2)}x a plain file copy (${copyMbps.toFixed(0)} MB/s)`,
    );
    console.log(
      `log cleaner: longest event-loop stall ${stallMs.toFixed(1)} ms while cleaning ` +
        `(idle loop: ${idle.stallMs.toFixed(1)} ms; ${(stallMs / Math.max(idle.stallMs, 0.001)).toFixed(1)}x)`,
    );
    log.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCleanerBench();
