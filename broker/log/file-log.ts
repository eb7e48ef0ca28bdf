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
// - Producer-state `.snapshot` files and the leader-epoch checkpoint are written by the
//   partition above (partition/), through onRoll; so are the `.txnindex` entries, which the
//   partition adds here (addAbortedTxn) since only it knows where a transaction began.
// - The cleaner's first dirty offset is a per-partition checkpoint (`cleaner-offset-checkpoint`
//   in Kafka's file format, one line) instead of one file per log directory.
//
// Compaction (cleaner.ts does the work): cleanup.policy=compact alone never deletes by
// retention.ms / retention.bytes. A cleaned segment is written as `<base>.log.cleaned` (+ its
// indexes) and fsynced, renamed to `.swap` (the commit point is the `.log.swap` name), the
// segments it replaces are renamed `.deleted` and the `.swap` files renamed to their final
// names; the `.deleted` files are then unlinked and the directory fsynced in the background
// (a power loss relies on the file system keeping the renames in order, as ext4's journal does). On open, `.cleaned`
// files are leftovers of an interrupted clean and deleted; a `.log.swap` finishes its swap: the
// old segments it covers are deleted and it becomes the segment (indexes rebuilt), as Kafka's
// LogLoader does. Followers append batches across offset gaps a cleaned leader leaves.

import fs from 'node:fs';
import path from 'node:path';
import { HEADER_SIZE, OFF, patchBatch, readInt64, setLogAppendTime } from '../protocol/record-batch.ts';
import type { ReadAlloc } from './read-buffers.ts';
import { recordAtTimestamp } from './record-at-timestamp.ts';
import { Segment } from './segment.ts';
import type { AbortedTxn } from './txn-index.ts';
import type { AppendResult, LogConfig, PartitionLog, ReadResult } from './types.ts';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const LOG_START_OFFSET_FILE = 'log-start-offset';
const SEGMENT_LOG = /^(\d{20})\.log$/;
const SEGMENT_INDEX = /^(\d{20})\.(index|timeindex|txnindex)$/;
const SWAP_LOG = /^(\d{20})\.log\.swap$/;
const TXN_INDEX_SWAP = /^(\d{20})\.txnindex\.swap$/;
export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export class FileLog implements PartitionLog {
  private _logStartOffset = 0;
  private unflushedMessages = 0;
  private lastFlush = Date.now();
  private dirDirty = false;
  private closed = false;
  private _generation = 0;
  private _firstDirtyOffset: number | null = null;
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
    completeSwaps(dir, config.indexIntervalBytes);
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
          for (const ext of ['.log', '.index', '.timeindex', '.txnindex'])
            fs.rmSync(path.join(dir, `${String(b).padStart(20, '0')}${ext}`), { force: true });
        }
        break;
      }
    }
    const checkpoint = readStartOffset(path.join(dir, LOG_START_OFFSET_FILE));
    if (segments.length === 0) segments.push(Segment.create(dir, checkpoint ?? 0, config.indexIntervalBytes));
    const log = new FileLog(dir, topic, partition, config, segments);
    log._logStartOffset = Math.min(Math.max(checkpoint ?? 0, segments[0].baseOffset), log.logEndOffset);
    log._firstDirtyOffset = readCleanerCheckpoint(path.join(dir, CLEANER_CHECKPOINT_FILE));
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
      // A gap is fine: the leader's cleaner removed those offsets (Kafka accepts it too).
      if (base < next)
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
    // A compacted log also rolls by max.compaction.lag.ms: the active segment is never cleaned.
    const maxSegmentMs = this.config.compact ? Math.min(this.config.segmentMs, this.config.maxCompactionLagMs) : this.config.segmentMs;
    if (
      seg.size > 0 &&
      (seg.size + batches.length > this.config.segmentBytes ||
        waited > maxSegmentMs ||
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

  read(offset: number, maxBytes: number, maxOffset = Number.MAX_SAFE_INTEGER, alloc?: ReadAlloc): ReadResult {
    this.ensureOpen();
    if (offset < this._logStartOffset || offset > this.logEndOffset)
      throw new RangeError(
        `${this.topic}-${this.partition}: offset ${offset} outside [${this._logStartOffset}, ${this.logEndOffset}]`,
      );
    if (offset >= maxOffset) return { chunks: [], bytes: 0 };
    for (let i = this.segmentFor(offset); i < this.segments.length; i++) {
      const chunks = this.segments[i].read(offset, maxBytes, maxOffset, alloc);
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

  // ------------------------------------------------------------------ aborted transactions

  addAbortedTxn(t: AbortedTxn): void {
    this.ensureOpen();
    const index = this.segments[this.segmentFor(t.lastOffset)].txnIndex;
    if (t.lastOffset > index.lastOffset) index.append(t);
  }

  collectAbortedTxns(fetchOffset: number, upperBound: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (let i = this.segmentFor(fetchOffset); i < this.segments.length; i++) {
      if (this.segments[i].txnIndex.collect(fetchOffset, upperBound, out)) break;
    }
    return out;
  }

  // ------------------------------------------------------------------ deletion

  advanceStartOffset(offset: number): void {
    this.ensureOpen();
    if (offset <= this._logStartOffset) return;
    // Beyond the end (a follower behind its leader's start): nothing here is worth keeping.
    if (offset > this.logEndOffset) return this.truncateFullyAndStartAt(offset);
    this.setStartOffset(offset);
    while (this.segments.length > 1 && this.segments[1].baseOffset <= offset) {
      this.segments.shift()!.delete();
      this._generation++;
    }
  }

  truncateTo(offset: number): void {
    this.ensureOpen();
    if (offset >= this.logEndOffset) return;
    this._generation++;
    // What comes back above offset has not been cleaned (LogCleanerManager.maybeTruncateCheckpoint).
    if (this._firstDirtyOffset !== null && this._firstDirtyOffset > offset) this.firstDirtyOffset = offset;
    if (this.segments[0].baseOffset > offset) return this.truncateFullyAndStartAt(offset);
    while (this.active.baseOffset > offset) this.segments.pop()!.delete();
    this.active.truncateTo(offset);
    if (this._logStartOffset > this.logEndOffset) this.setStartOffset(this.logEndOffset);
  }

  private truncateFullyAndStartAt(offset: number): void {
    this._generation++;
    if (this._firstDirtyOffset !== null) this.firstDirtyOffset = offset;
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
      this._generation++;
      deleted++;
    };
    // Segments entirely below the start offset (DeleteRecords).
    while (this.segments.length > 1 && this.segments[1].baseOffset <= this._logStartOffset) dropOldest();
    const { retentionMs, retentionBytes } = this.config;
    // cleanup.policy=compact alone: the cleaner decides what goes, never the clock or the size.
    if (this.config.delete && retentionMs >= 0) {
      while (this.segments.length > 1) {
        const s = this.segments[0];
        const largest = s.maxTimestampOffset >= 0 && s.maxTimestamp >= 0 ? s.maxTimestamp : s.lastModified();
        if (largest >= now - retentionMs) break;
        dropOldest();
      }
    }
    if (this.config.delete && retentionBytes >= 0) {
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

  // ------------------------------------------------------------------ compaction (cleaner.ts)

  get logConfig(): LogConfig {
    return this.config;
  }
  get isClosed(): boolean {
    return this.closed;
  }
  /** Changes whenever segments go away other than by a cleaner swap: a clean in progress starts over. */
  get generation(): number {
    return this._generation;
  }
  /** Every segment, oldest first; the last one is the active segment, which is never cleaned. */
  get segmentList(): readonly Segment[] {
    return this.segments;
  }

  /** Offset below which the log is clean (null before the first clean). */
  get firstDirtyOffset(): number | null {
    return this._firstDirtyOffset;
  }
  set firstDirtyOffset(offset: number) {
    this._firstDirtyOffset = offset;
    // Not fsynced: an older or missing checkpoint after a power loss only means cleaning again.
    writeCheckpoint(path.join(this.dir, CLEANER_CHECKPOINT_FILE), `0\n1\n${this.topic} ${this.partition} ${offset}\n`, false);
  }

  /** An empty `<base>.log.cleaned` segment (and indexes) for the cleaner to fill. */
  createCleanedSegment(baseOffset: number): Segment {
    return Segment.create(this.dir, baseOffset, this.config.indexIntervalBytes, CLEANED_SUFFIX);
  }

  /**
   * Swaps a filled, flushed `.cleaned` segment in for the consecutive sealed segments it was
   * cleaned from (see the header for the crash-safe order). Only renames happen here; the old
   * files, renamed `.deleted`, are unlinked and the directory fsynced on the thread pool (the
   * promise), so a swap never stalls the event loop on a large unlink or a journal commit.
   */
  replaceSegments(cleaned: Segment, old: readonly Segment[]): Promise<void> {
    this.ensureOpen();
    const at = this.segments.indexOf(old[0]);
    if (at < 0 || at + old.length >= this.segments.length || old.some((s, i) => this.segments[at + i] !== s))
      throw new Error(`${this.topic}-${this.partition}: segments to replace are no longer in the log`);
    cleaned.renameSuffix(SWAP_SUFFIX);
    const doomed: string[] = [];
    for (const s of old) {
      s.renameSuffix(DELETED_SUFFIX);
      s.close();
      doomed.push(...s.files());
    }
    cleaned.renameSuffix('');
    this.segments.splice(at, old.length, cleaned);
    return Promise.all(doomed.map((f) => fs.promises.rm(f, { force: true }))).then(() => fsyncDirAsync(this.dir));
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

  /**
   * Flushes, closes and writes the clean-shutdown marker so the next open skips recovery.
   * With clean=false (the log dir went offline) it only releases the files: the next open
   * recovers. The files are released even when a flush fails.
   */
  close(clean = true): void {
    if (this.closed) return;
    this._generation++;
    this.closed = true;
    try {
      if (clean) {
        for (const s of this.segments) s.seal(); // the final time index entries belong in the flush
        for (const s of this.segments) s.flush();
        if (this.dirDirty) fsyncDir(this.dir);
      }
    } finally {
      for (const s of this.segments) s.release();
    }
    if (!clean) return;
    const marker = path.join(this.dir, CLEAN_SHUTDOWN_FILE);
    fs.writeFileSync(marker, '');
    fsyncDir(this.dir);
  }

  delete(): void {
    this._generation++;
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

function writeStartOffset(file: string, offset: number): void {
  writeCheckpoint(file, `0\n${offset}\n`);
}

/** `0\n1\n<topic> <partition> <offset>\n` (Kafka's OffsetCheckpointFile with one entry). */
function readCleanerCheckpoint(file: string): number | null {
  try {
    const [version, count, entry] = fs.readFileSync(file, 'utf8').split('\n');
    const offset = entry?.split(' ').pop();
    return version === '0' && count === '1' && offset && /^\d+$/.test(offset) ? Number(offset) : null;
  } catch {
    return null;
  }
}

/** Kafka's checkpoint dance: write a .tmp, fsync it, rename over the old file. */
function writeCheckpoint(file: string, text: string, durable = true): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

const CLEANED_SUFFIX = '.cleaned';
const SWAP_SUFFIX = '.swap';
const DELETED_SUFFIX = '.deleted';

async function fsyncDirAsync(dir: string): Promise<void> {
  const h = await fs.promises.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Recovery of an interrupted clean, before the segments are opened: `.cleaned`, `.deleted` and
 * index `.swap` files are dropped; each `<base>.log.swap` replaces every segment whose base offset
 * lies in [base, its next offset) and is renamed into place with rebuilt indexes.
 */
function completeSwaps(dir: string, indexIntervalBytes: number): void {
  const names = fs.readdirSync(dir);
  const swaps: number[] = [];
  let changed = false;
  for (const n of names) {
    const m = SWAP_LOG.exec(n);
    if (m) swaps.push(Number(m[1]));
    else if (TXN_INDEX_SWAP.test(n)) continue; // renamed along with its .log.swap (it cannot be rebuilt from the segment)
    else if (n.endsWith(CLEANED_SUFFIX) || n.endsWith(SWAP_SUFFIX) || n.endsWith(DELETED_SUFFIX)) {
      fs.rmSync(path.join(dir, n), { force: true });
      changed = true;
    }
  }
  for (const n of names) {
    const m = TXN_INDEX_SWAP.exec(n);
    if (m && !swaps.includes(Number(m[1]))) {
      fs.rmSync(path.join(dir, n), { force: true });
      changed = true;
    }
  }
  for (const base of swaps.sort((a, b) => a - b)) {
    const { segment } = Segment.open(dir, base, indexIntervalBytes, true, SWAP_SUFFIX);
    const end = Math.max(segment.nextOffset, base + 1);
    for (const n of fs.readdirSync(dir)) {
      const m = SEGMENT_LOG.exec(n) ?? SEGMENT_INDEX.exec(n);
      if (m && Number(m[1]) >= base && Number(m[1]) < end) fs.rmSync(path.join(dir, n), { force: true });
    }
    segment.renameSuffix('');
    segment.close();
    changed = true;
  }
  if (changed) fsyncDir(dir);
}
