// The partition log on disk, in Kafka's layout: `<dataDir>/<topic>-<partition>/` holding
// segments (see segment.ts), a `log-start-offset` checkpoint and, between a clean close and the
// next open, a `.kafka_cleanshutdown` marker.
//
// Durability: appends go to the page cache with one write per Produce payload; a killed process
// loses nothing. flush.messages / flush.ms (or flush() from the broker's --fsync mode) fsync the
// segments written since the last flush, and the directory when a segment was created.
// Recovery: without the marker, the last segment is CRC-scanned, cut at the first torn or
// invalid batch and its indexes rebuilt; every other segment's indexes are checked against its
// file (and rebuilt if missing or inconsistent). With the marker, indexes are trusted.
//
// Deviations from Kafka:
// - The clean-shutdown marker is per partition directory, not one per log directory, and the
//   log start offset is a per-partition checkpoint (`log-start-offset`: version line, offset)
//   instead of the broker-wide `log-start-offset-checkpoint`. No recovery-point checkpoint: an
//   unclean open always rescans the last segment only (Kafka rescans from the recovery point).
// - flush.ms is checked on append and on each retention pass, not by a separate scheduler;
//   rolled segments are not fsynced in the background unless a flush policy asks for it.
// - Retention never deletes the active segment (Kafka rolls it first when it alone is expired).
// - maxTimestamp() reports the last offset of the batch with the largest timestamp (Kafka's
//   shallow "offset of max timestamp"), not the exact record.
// - truncateTo(offset) removes the whole batch containing offset (as Kafka's segment truncation)
//   and logEndOffset becomes the end of the last batch kept, even inside an offset gap; Kafka
//   would set it to offset exactly. Followers truncate at batch boundaries, where both agree.
// - There is no `.txnindex` here; producer-state `.snapshot` files and the leader-epoch
//   checkpoint are written by the partition above (partition/), through onRoll.

import fs from 'node:fs';
import path from 'node:path';
import { HEADER_SIZE, OFF, patchBatch, readInt64, setLogAppendTime } from '../protocol/record-batch.ts';
import { recordAtTimestamp } from './record-at-timestamp.ts';
import { Segment } from './segment.ts';
import type { AppendResult, LogConfig, PartitionLog, ReadResult } from './types.ts';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const LOG_START_OFFSET_FILE = 'log-start-offset';
const SEGMENT_LOG = /^(\d{20})\.log$/;
const SEGMENT_INDEX = /^(\d{20})\.(index|timeindex)$/;
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export class FileLog implements PartitionLog {
  private _logStartOffset = 0;
  private unflushedMessages = 0;
  private lastFlush = Date.now();
  private dirDirty = false;
  private closed = false;
  onRoll: ((baseOffset: number) => void) | null = null;

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    private config: LogConfig,
    private segments: Segment[],
  ) {}

  /** Opens (creating if needed) and recovers the log in dir. */
  static open(dir: string, topic: string, partition: number, config: LogConfig): FileLog {
    fs.mkdirSync(dir, { recursive: true });
    const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
    const clean = fs.existsSync(marker);
    const names = fs.readdirSync(dir);
    const bases = names
      .map((n) => SEGMENT_LOG.exec(n)?.[1])
      .filter((b): b is string => b !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    // Index files without their .log are leftovers of an interrupted delete.
    for (const n of names) {
      const m = SEGMENT_INDEX.exec(n);
      if ((m && !bases.includes(Number(m[1]))) || n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
    }
    const segments: Segment[] = [];
    for (let i = 0; i < bases.length; i++) {
      const { segment, truncated } = Segment.open(
        dir,
        bases[i],
        config.indexIntervalBytes,
        !clean && i === bases.length - 1,
      );
      segments.push(segment);
      // A damaged segment before the last: what follows it no longer continues the log.
      if (truncated > 0 && i < bases.length - 1) {
        for (const b of bases.slice(i + 1)) {
          for (const ext of ['.log', '.index', '.timeindex'])
            fs.rmSync(path.join(dir, `${String(b).padStart(20, '0')}${ext}`), { force: true });
        }
        break;
      }
    }
    const checkpoint = readStartOffset(path.join(dir, LOG_START_OFFSET_FILE));
    if (segments.length === 0) segments.push(Segment.create(dir, checkpoint ?? 0, config.indexIntervalBytes));
    const log = new FileLog(dir, topic, partition, config, segments);
    log._logStartOffset = Math.min(Math.max(checkpoint ?? 0, segments[0].baseOffset), log.logEndOffset);
    // From here on the files change: a crash must not be mistaken for a clean shutdown.
    fs.rmSync(marker, { force: true });
    return log;
  }

  get logStartOffset(): number {
    return this._logStartOffset;
  }
  get logEndOffset(): number {
    return this.active.nextOffset;
  }
  get size(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }
  /** Base offsets of the segments, oldest first (for tests and the console). */
  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  // ------------------------------------------------------------------ appends

  append(batches: Buffer, leaderEpoch: number): AppendResult {
    this.ensureOpen();
    const now = Date.now();
    const baseOffset = this.logEndOffset;
    let offset = baseOffset;
    let records = 0;
    let maxTs = -1;
    forEachBatch(batches, (p) => {
      patchBatch(batches, p, offset, leaderEpoch);
      if (this.config.logAppendTime) setLogAppendTime(batches, p, now);
      offset += batches.readInt32BE(p + OFF.lastOffsetDelta) + 1;
      records += batches.readInt32BE(p + OFF.recordsCount);
      maxTs = Math.max(maxTs, readInt64(batches, p + OFF.maxTimestamp));
    });
    this.write(batches, baseOffset, offset - 1, maxTs, records, now);
    return {
      baseOffset,
      lastOffset: offset - 1,
      logAppendTime: this.config.logAppendTime ? now : -1,
      logStartOffset: this._logStartOffset,
    };
  }

  appendAsFollower(batches: Buffer): void {
    this.ensureOpen();
    if (batches.length === 0) return;
    let next = this.logEndOffset;
    let records = 0;
    let maxTs = -1;
    forEachBatch(batches, (p) => {
      const base = readInt64(batches, p);
      if (p === 0 ? base !== next : base < next)
        throw new Error(`${this.topic}-${this.partition}: follower batch at offset ${base}, log end offset is ${next}`);
      next = base + batches.readInt32BE(p + OFF.lastOffsetDelta) + 1;
      records += batches.readInt32BE(p + OFF.recordsCount);
      maxTs = Math.max(maxTs, readInt64(batches, p + OFF.maxTimestamp));
    });
    this.write(batches, readInt64(batches, 0), next - 1, maxTs, records, Date.now());
  }

  private write(
    batches: Buffer,
    baseOffset: number,
    lastOffset: number,
    maxTs: number,
    records: number,
    now: number,
  ): void {
    this.ensureOpen();
    let seg = this.active;
    const waited = seg.firstTimestamp >= 0 ? maxTs - seg.firstTimestamp : now - seg.created;
    if (
      seg.size > 0 &&
      (seg.size + batches.length > this.config.segmentBytes ||
        waited > this.config.segmentMs ||
        lastOffset - seg.baseOffset > MAX_RELATIVE_OFFSET)
    ) {
      seg = this.roll(baseOffset);
    }
    seg.append(batches);
    this.unflushedMessages += records;
    if (this.unflushedMessages >= this.config.flushMessages || now - this.lastFlush >= this.config.flushMs)
      this.flush();
  }

  private roll(baseOffset: number): Segment {
    this.active.seal();
    const seg = Segment.create(this.dir, baseOffset, this.config.indexIntervalBytes);
    this.segments.push(seg);
    this.dirDirty = true;
    this.onRoll?.(baseOffset);
    return seg;
  }

  // ------------------------------------------------------------------ reads

  read(offset: number, maxBytes: number, maxOffset = Number.MAX_SAFE_INTEGER): ReadResult {
    this.ensureOpen();
    if (offset < this._logStartOffset || offset > this.logEndOffset)
      throw new RangeError(
        `${this.topic}-${this.partition}: offset ${offset} outside [${this._logStartOffset}, ${this.logEndOffset}]`,
      );
    if (offset >= maxOffset) return { chunks: [], bytes: 0 };
    for (let i = this.segmentFor(offset); i < this.segments.length; i++) {
      const chunks = this.segments[i].read(offset, maxBytes, maxOffset);
      if (chunks.length) return { chunks, bytes: chunks.reduce((n, c) => n + c.length, 0) };
    }
    return { chunks: [], bytes: 0 };
  }

  /** Index of the last segment whose base offset <= offset (0 if none). */
  private segmentFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid].baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    this.ensureOpen();
    for (const seg of this.segments) {
      const batch = seg.findBatchByTimestamp(ts, this._logStartOffset);
      if (batch) return recordAtTimestamp(batch, ts, this._logStartOffset);
    }
    return null;
  }

  maxTimestamp(): { offset: number; timestamp: number } | null {
    let best: { offset: number; timestamp: number } | null = null;
    for (const seg of this.segments) {
      if (seg.maxTimestampOffset >= 0 && (!best || seg.maxTimestamp > best.timestamp))
        best = { offset: seg.maxTimestampOffset, timestamp: seg.maxTimestamp };
    }
    return best;
  }

  // ------------------------------------------------------------------ deletion

  advanceStartOffset(offset: number): void {
    this.ensureOpen();
    if (offset <= this._logStartOffset) return;
    // Beyond the end (a follower behind its leader's start): nothing here is worth keeping.
    if (offset > this.logEndOffset) return this.truncateFullyAndStartAt(offset);
    this.setStartOffset(offset);
    while (this.segments.length > 1 && this.segments[1].baseOffset <= offset) this.segments.shift()!.delete();
  }

  truncateTo(offset: number): void {
    this.ensureOpen();
    if (offset >= this.logEndOffset) return;
    if (this.segments[0].baseOffset > offset) return this.truncateFullyAndStartAt(offset);
    while (this.active.baseOffset > offset) this.segments.pop()!.delete();
    this.active.truncateTo(offset);
    if (this._logStartOffset > this.logEndOffset) this.setStartOffset(this.logEndOffset);
  }

  private truncateFullyAndStartAt(offset: number): void {
    this.setStartOffset(offset); // first: a crash below still reopens at offset
    for (const seg of this.segments.splice(0)) seg.delete();
    this.segments.push(Segment.create(this.dir, offset, this.config.indexIntervalBytes));
    this.dirDirty = true;
  }

  applyRetention(now: number): number {
    this.ensureOpen();
    let deleted = 0;
    const dropOldest = () => {
      this.segments.shift()!.delete();
      deleted++;
    };
    // Segments entirely below the start offset (DeleteRecords).
    while (this.segments.length > 1 && this.segments[1].baseOffset <= this._logStartOffset) dropOldest();
    const { retentionMs, retentionBytes } = this.config;
    if (retentionMs >= 0) {
      while (this.segments.length > 1) {
        const s = this.segments[0];
        const largest = s.maxTimestampOffset >= 0 && s.maxTimestamp >= 0 ? s.maxTimestamp : s.lastModified();
        if (largest >= now - retentionMs) break;
        dropOldest();
      }
    }
    if (retentionBytes >= 0) {
      let excess = this.size - retentionBytes;
      while (this.segments.length > 1 && excess - this.segments[0].size >= 0) {
        excess -= this.segments[0].size;
        dropOldest();
      }
    }
    if (this.segments[0].baseOffset > this._logStartOffset) this.setStartOffset(this.segments[0].baseOffset);
    if (now - this.lastFlush >= this.config.flushMs && this.unflushedMessages > 0) this.flush();
    return deleted;
  }

  private setStartOffset(offset: number): void {
    this._logStartOffset = offset;
    writeStartOffset(path.join(this.dir, LOG_START_OFFSET_FILE), offset);
  }

  // ------------------------------------------------------------------ lifecycle

  updateConfig(config: LogConfig): void {
    this.config = config;
    for (const s of this.segments) s.indexIntervalBytes = config.indexIntervalBytes;
  }

  flush(): void {
    this.ensureOpen();
    for (const s of this.segments) s.flush();
    if (this.dirDirty) {
      fsyncDir(this.dir);
      this.dirDirty = false;
    }
    this.unflushedMessages = 0;
    this.lastFlush = Date.now();
  }

  /** Flushes, closes and writes the clean-shutdown marker so the next open skips recovery. */
  close(): void {
    if (this.closed) return;
    this.active.seal(); // its final time index entry belongs in the flush
    this.flush();
    for (const s of this.segments) s.close();
    this.closed = true;
    const marker = path.join(this.dir, CLEAN_SHUTDOWN_FILE);
    fs.writeFileSync(marker, '');
    fsyncDir(this.dir);
  }

  delete(): void {
    if (!this.closed) for (const s of this.segments) s.delete();
    this.closed = true;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`${this.topic}-${this.partition}: log is closed`);
  }
}

/** Calls fn with the position of each batch; throws on broken framing before anything is written. */
function forEachBatch(buf: Buffer, fn: (pos: number) => void): void {
  if (buf.length === 0) throw new Error('no record batches to append');
  for (let p = 0; p < buf.length;) {
    const size = p + HEADER_SIZE <= buf.length ? 12 + buf.readInt32BE(p + OFF.batchLength) : 0;
    if (size < HEADER_SIZE || p + size > buf.length) throw new Error(`malformed record batch at byte ${p}`);
    fn(p);
    p += size;
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readStartOffset(file: string): number | null {
  try {
    const [version, offset] = fs.readFileSync(file, 'utf8').split('\n');
    return version === '0' && /^\d+$/.test(offset) ? Number(offset) : null;
  } catch {
    return null;
  }
}

/** Kafka's checkpoint dance: write a .tmp, fsync it, rename over the old file. */
function writeStartOffset(file: string, offset: number): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `0\n${offset}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
