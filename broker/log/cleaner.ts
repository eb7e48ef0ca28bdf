// The log cleaner: Kafka's LogCleaner for cleanup.policy=compact (and compact,delete) logs, run
// inside the node's event loop instead of on cleaner threads.
//
// Choosing a log (LogCleanerManager): for each compacted log, the clean section lies below its
// first dirty offset (checkpoint), the cleanable dirty section up to the first uncleanable
// offset = the first segment that is the active one, reaches the high watermark, or holds a
// record newer than min.compaction.lag.ms. A log is cleaned when its dirty ratio (cleanable
// bytes / clean + cleanable bytes) exceeds min.cleanable.dirty.ratio, or when a dirty segment's
// first batch is older than max.compaction.lag.ms; the dirtiest log goes first.
// Cleaning one log (Cleaner.doClean): a key -> latest offset map is built over the dirty
// section, then every sealed segment below the map's end is recopied, in groups that fit in
// segment.bytes, into `.cleaned` segments that are swapped in atomically (file-log.ts). A record
// is kept unless a later record has its key, it has no key, or it is a tombstone whose batch's
// delete horizon (set the first time the batch is recopied: now + delete.retention.ms) has
// passed. Offsets never change: removed records leave gaps. Rewritten batches keep their
// producer id, epoch, base sequence and last offset (compacted-batch.ts); a batch emptied of
// records stays as an empty batch when it is the last batch of its producer id seen in the
// cleaned range (idempotence state) or the last batch of the round (Kafka keeps it so the last
// offset is not lost).
//
// Transactions (Kafka's rules, cleaned-txns.ts): the cleanable range ends at the last stable
// offset (the broker's upperBound), so every transaction the cleaner sees is decided. Batches of
// aborted transactions (from the `.txnindex`) are removed whatever their keys and never enter
// the key map; a marker whose transaction has no batch left in the log gets a delete horizon
// (now + delete.retention.ms) like a tombstone and is removed once it passed, unless it is its
// producer's last batch (then it stays, emptied, for the producer's epoch); an abort marker
// whose data this clean removes keeps its `.txnindex` entry in the cleaned segment.
//
// Off the hot path: each turn reads at most tickBytes of segment data (decompressing,
// filtering and writing what it read), then yields to the event loop (setImmediate, or a
// tickIntervalMs timer); fsyncs of cleaned segments run on the thread pool. Anything that
// removes segments meanwhile (truncation, retention, DeleteRecords, close) aborts the clean,
// which deletes its `.cleaned` files and starts over on a later turn.
//
// Deviations from Kafka:
// - One cleaner per node, interleaved with request handling; no log.cleaner.threads and no
//   I/O throttle (the per-turn budget bounds it instead); the key map holds exact keys (a JS
//   Map, bounded by dedupeBufferBytes estimated as key length + 64 bytes per key) instead of
//   Kafka's MD5-hashed SkimpyOffsetMap.
// - The cleanable range ends at a segment boundary (Kafka also cleans the part of the segment
//   below the high watermark).
// - Producer state: Kafka keeps the batch holding each *active* producer's last data offset
//   (ProducerStateManager); here the last batch of every producer id seen in the cleaned range
//   is kept (also those of expired producers: a few header bytes each).
// - Recovery of a `.log.swap` replaces the segments whose base offsets lie below its next
//   offset; a replaced segment whose records were all removed may survive a crash as an old,
//   uncleaned segment. The cleaner checkpoint only moves once a whole round is done, so the
//   next round maps and cleans it again (its records are all superseded).
// - Batches in codecs this runtime cannot decode (snappy, lz4, zstd: see protocol/compression.ts)
//   are kept whole and their keys are not mapped; a tombstone after such a batch is never
//   removed, so a value hidden in it cannot come back. gzip and uncompressed are filtered and
//   recompressed with their own codec.
// - Tombstones: once a clean has given them a horizon, a log becomes cleanable again when that
//   horizon passes, even without new dirty bytes (Kafka waits for the dirty ratio). This is
//   remembered in memory only: after a restart it waits for the next dirty clean, as Kafka.
// - A failing log is logged and left alone until restart (Kafka's "uncleanable partitions").

import { canDecode } from '../protocol/compression.ts';
import { readMarker } from '../protocol/control-record.ts';
import { ATTR, HEADER_SIZE, OFF, batchInfo, type BatchInfo } from '../protocol/record-batch.ts';
import { CleanedTxns } from './cleaned-txns.ts';
import { deleteHorizonOf, emptyBatch, readRecords, rebuildBatch } from './compacted-batch.ts';
import type { FileLog } from './file-log.ts';
import type { Segment } from './segment.ts';

export interface CleanerOptions {
  /** Segment bytes read (and filtered, written) per event-loop turn. */
  tickBytes: number;
  /** Pause between the turns of a clean in progress; 0 = the next event-loop turn. */
  tickIntervalMs: number;
  /** log.cleaner.backoff.ms: sleep when no log needs cleaning. */
  backoffMs: number;
  /** log.cleaner.dedupe.buffer.size: bound on the key map (estimated bytes). */
  dedupeBufferBytes: number;
  /** The offset cleaning never reaches: the high watermark (default: the log end offset). */
  upperBound: (log: FileLog) => number;
  now: () => number;
  logger: (msg: string) => void;
}

export const DEFAULT_CLEANER_OPTIONS: CleanerOptions = {
  tickBytes: 256 << 10,
  tickIntervalMs: 0,
  backoffMs: 15000,
  dedupeBufferBytes: 128 << 20,
  upperBound: (log) => log.logEndOffset,
  now: Date.now,
  logger: () => {},
};

export interface CleanStats {
  topic: string;
  partition: number;
  /** Offsets [firstDirtyOffset, endOffset) were mapped; everything below endOffset is clean now. */
  firstDirtyOffset: number;
  endOffset: number;
  segmentsBefore: number;
  segmentsAfter: number;
  bytesRead: number;
  bytesWritten: number;
  recordsRead: number;
  recordsKept: number;
  durationMs: number;
}

interface LogToClean {
  log: FileLog;
  firstDirty: number;
  firstUncleanable: number;
  ratio: number;
}

class CleanAborted extends Error {}

const MAX_RELATIVE_OFFSET = 0x7fffffff;
const MAP_ENTRY_OVERHEAD = 64;

export class LogCleaner {
  private readonly opts: CleanerOptions;
  private stopped = false;
  private running = false;
  private wake: (() => void) | null = null;
  private dest: Segment | null = null;
  private readonly uncleanable = new WeakSet<FileLog>();
  /** Earliest delete horizon of a tombstone kept by the last clean of each log. */
  private readonly tombstonesDue = new WeakMap<FileLog, number>();
  /** The last completed cleans, newest last (tests, logs). */
  readonly history: CleanStats[] = [];

  constructor(
    private readonly logs: () => Iterable<FileLog>,
    opts: Partial<CleanerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_CLEANER_OPTIONS, ...opts };
  }

  /** Runs cleans in the background until stop(). */
  start(): void {
    this.stopped = false;
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  /** Stops at the next turn; a clean in progress is abandoned and its `.cleaned` files deleted. */
  stop(): void {
    this.stopped = true;
    this.dropDest();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const done = await this.cleanFilthiest().catch((e: Error) => {
        this.opts.logger(`log cleaner: ${e.stack ?? e.message}`);
        return null;
      });
      if (!done && !this.stopped) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.opts.backoffMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = null;
      }
    }
    this.running = false;
  }

  /** Cleans the dirtiest log that needs it; null when none does (or the clean was aborted). */
  async cleanFilthiest(): Promise<CleanStats | null> {
    const now = this.opts.now();
    let best: LogToClean | null = null;
    for (const log of this.logs()) {
      const c = this.cleanable(log, now);
      if (c && (!best || c.ratio > best.ratio)) best = c;
    }
    if (!best) return null;
    const { log } = best;
    try {
      const stats = await this.clean(best, now);
      this.history.push(stats);
      if (this.history.length > 100) this.history.shift();
      this.opts.logger(
        `log cleaner: ${log.topic}-${log.partition} offsets [${stats.firstDirtyOffset}, ${stats.endOffset}): ` +
          `${stats.segmentsBefore} -> ${stats.segmentsAfter} segments, ${stats.bytesRead} -> ${stats.bytesWritten} bytes, ` +
          `${stats.recordsRead} -> ${stats.recordsKept} records in ${stats.durationMs} ms`,
      );
      return stats;
    } catch (e) {
      this.dropDest();
      if (e instanceof CleanAborted) return null;
      this.uncleanable.add(log);
      this.opts.logger(`log cleaner: ${log.topic}-${log.partition} is left uncleanable: ${(e as Error).stack ?? e}`);
      return null;
    }
  }

  private dropDest(): void {
    const d = this.dest;
    this.dest = null;
    try {
      d?.delete();
    } catch {
      /* its directory may be gone with a deleted topic */
    }
  }

  /** The log's cleanable range if it needs cleaning now (LogCleanerManager.grabFilthiestCompactedLog). */
  private cleanable(log: FileLog, now: number): LogToClean | null {
    const cfg = log.logConfig;
    if (log.isClosed || !cfg.compact || this.uncleanable.has(log)) return null;
    const segs = log.segmentList;
    const active = segs[segs.length - 1];
    let firstDirty = log.firstDirtyOffset ?? log.logStartOffset;
    if (firstDirty < log.logStartOffset || firstDirty > log.logEndOffset) firstDirty = log.logStartOffset;
    let upper = Math.min(active.baseOffset, this.opts.upperBound(log));
    if (cfg.minCompactionLagMs > 0) {
      const young = segs.find(
        (s) => s !== active && s.nextOffset > firstDirty && s.maxTimestamp > now - cfg.minCompactionLagMs,
      );
      if (young) upper = Math.min(upper, young.baseOffset);
    }
    // Whole segments only: the first one not entirely below `upper` is uncleanable.
    const firstUncleanable = segs.find((s) => s === active || s.nextOffset > upper)!.baseOffset;
    let cleanBytes = 0;
    let dirtyBytes = 0;
    let earliestDirty = Infinity;
    for (const s of segs) {
      if (s === active) break;
      if (s.nextOffset <= firstDirty) cleanBytes += s.size;
      else {
        if (s.baseOffset < firstUncleanable) dirtyBytes += s.size;
        if (s.firstTimestamp > 0) earliestDirty = Math.min(earliestDirty, s.firstTimestamp);
      }
    }
    const ratio = dirtyBytes > 0 ? dirtyBytes / (cleanBytes + dirtyBytes) : 0;
    const overdue = earliestDirty < now - Math.max(cfg.maxCompactionLagMs, 0);
    const due = this.tombstonesDue.get(log);
    const tombstonesDue = due !== undefined && due <= now && cleanBytes > 0;
    if (!(dirtyBytes > 0 && (overdue || ratio > cfg.minCleanableDirtyRatio)) && !tombstonesDue) return null;
    return { log, firstDirty, firstUncleanable: Math.max(firstDirty, firstUncleanable), ratio };
  }

  private async clean(c: LogToClean, now: number): Promise<CleanStats> {
    const started = Date.now();
    const { log, firstDirty } = c;
    const cfg = log.logConfig;
    const generation = log.generation;
    const check = () => {
      if (this.stopped || log.isClosed || log.generation !== generation || !log.logConfig.compact)
        throw new CleanAborted();
    };
    const stats: CleanStats = {
      topic: log.topic,
      partition: log.partition,
      firstDirtyOffset: firstDirty,
      endOffset: c.firstUncleanable,
      segmentsBefore: 0,
      segmentsAfter: 0,
      bytesRead: 0,
      bytesWritten: 0,
      recordsRead: 0,
      recordsKept: 0,
      durationMs: 0,
    };
    const sealed = log.segmentList.slice(0, -1).filter((s) => s.baseOffset < c.firstUncleanable);

    // 1. The key map over the dirty section, and each producer id's last batch in the range.
    const map = new Map<string, number>();
    let mapBytes = 0;
    const lastBatchOf = new Map<number, number>();
    const mapTxns = new CleanedTxns();
    mapTxns.add(log.collectAbortedTxns(firstDirty, c.firstUncleanable));
    let full = false;
    for (const seg of sealed) {
      if (full) break;
      await this.scan(seg, 0, check, (buf, info) => {
        const last = info.baseOffset + info.lastOffsetDelta;
        if (last < firstDirty || info.attributes & ATTR.control) {
          if (info.producerId >= 0) lastBatchOf.set(info.producerId, last);
          if (last >= firstDirty) mapTxns.onControlBatch(last, info.producerId, readMarker(buf, info));
          return true;
        }
        if (mapBytes >= this.opts.dedupeBufferBytes) {
          stats.endOffset = info.baseOffset; // the map is full: clean below this batch only
          full = true;
          return false;
        }
        if (info.producerId >= 0) lastBatchOf.set(info.producerId, last);
        if (mapTxns.onBatch(last, info.producerId, (info.attributes & ATTR.transactional) !== 0)) return true; // aborted: not a key's latest value
        if (!canDecode(info.attributes & ATTR.compressionMask)) return true;
        for (const r of readRecords(buf, info).records) {
          if (!r.key || r.offset < firstDirty) continue;
          const k = r.key.toString('latin1');
          if (!map.has(k)) mapBytes += k.length + MAP_ENTRY_OVERHEAD;
          map.set(k, r.offset);
        }
        return true;
      });
    }

    // 2. Recopy the sealed segments below the map's end, group by group.
    const endOffset = stats.endOffset;
    const toClean = sealed.filter((s) => s.baseOffset < endOffset);
    stats.segmentsBefore = toClean.length;
    let opaqueSeen = false;
    let nextHorizon = Infinity;
    const txns = new CleanedTxns();
    const keep = (buf: Buffer, info: BatchInfo): Buffer | null => {
      const whole = buf.subarray(info.pos, info.pos + info.size);
      stats.bytesRead += info.size;
      const last = info.baseOffset + info.lastOffsetDelta;
      // Kafka keeps a producer's last batch (its sequence or epoch) and the round's last batch, emptied.
      const keepEmpty = (info.producerId >= 0 && lastBatchOf.get(info.producerId) === last) || last + 1 === endOffset;
      if (info.attributes & ATTR.control) {
        const marker = readMarker(buf, info);
        if (!txns.onControlBatch(last, info.producerId, marker)) return whole;
        if (!marker) return keepEmpty ? whole : null; // emptied by an earlier clean: nothing to wait for
        const horizon = deleteHorizonOf(info);
        if (horizon >= 0 && now >= horizon) return keepEmpty ? emptyBatch(buf, info) : null;
        if (horizon >= 0) {
          nextHorizon = Math.min(nextHorizon, horizon);
          return whole;
        }
        // Its transaction has no data left: consumers get delete.retention.ms to pass the marker.
        nextHorizon = Math.min(nextHorizon, now + cfg.deleteRetentionMs);
        const recs = readRecords(buf, info);
        return rebuildBatch(buf, info, recs, recs.records, now + cfg.deleteRetentionMs);
      }
      if (txns.onBatch(last, info.producerId, (info.attributes & ATTR.transactional) !== 0)) {
        stats.recordsRead += info.recordsCount;
        return keepEmpty ? emptyBatch(buf, info) : null; // an aborted transaction's data
      }
      if (!canDecode(info.attributes & ATTR.compressionMask)) {
        opaqueSeen = true;
        stats.recordsRead += info.recordsCount;
        stats.recordsKept += info.recordsCount;
        return whole;
      }
      const recs = readRecords(buf, info);
      const horizon = deleteHorizonOf(info);
      const expired = horizon >= 0 && now >= horizon && !opaqueSeen;
      const kept = recs.records.filter((r) => {
        if (r.offset >= endOffset) return true;
        if (!r.key) return false;
        const latest = map.get(r.key.toString('latin1'));
        if (latest !== undefined && r.offset < latest) return false;
        return !(r.tombstone && expired);
      });
      stats.recordsRead += recs.records.length;
      stats.recordsKept += kept.length;
      const tombstones = kept.some((r) => r.tombstone);
      const newHorizon = tombstones && horizon < 0 ? now + cfg.deleteRetentionMs : -1;
      if (tombstones && (newHorizon >= 0 || !expired)) nextHorizon = Math.min(nextHorizon, newHorizon >= 0 ? newHorizon : horizon);
      if (kept.length === recs.records.length && newHorizon < 0) return whole;
      if (kept.length > 0) return rebuildBatch(buf, info, recs, kept, newHorizon);
      return keepEmpty ? emptyBatch(buf, info) : null;
    };
    const segs = log.segmentList;
    for (const group of groupBySize(toClean, cfg.segmentBytes)) {
      check();
      const dest = log.createCleanedSegment(group[0].baseOffset);
      this.dest = dest;
      txns.cleanedIndex = dest.txnIndex;
      for (const seg of group) {
        // Kafka collects the aborted transactions over each whole segment: the cleaned index is rebuilt for it.
        const after = segs[segs.indexOf(seg) + 1];
        txns.add(log.collectAbortedTxns(seg.baseOffset, after ? after.baseOffset : seg.nextOffset));
        let out: Buffer[] = [];
        await this.scan(
          seg,
          0,
          check,
          (buf, info) => {
            const b = keep(buf, info);
            if (b) out.push(b);
            return true;
          },
          () => {
            if (out.length === 0) return;
            const chunk = out.length === 1 ? out[0] : Buffer.concat(out);
            dest.append(chunk);
            stats.bytesWritten += chunk.length;
            out = [];
          },
        );
      }
      dest.seal();
      dest.setLastModified(group[group.length - 1].lastModified());
      await dest.flushAsync();
      check();
      const unlinked = log.replaceSegments(dest, group);
      this.dest = null;
      await unlinked; // the swap is done in memory; this only waits for the background unlinks
      stats.segmentsAfter++;
    }
    log.firstDirtyOffset = endOffset;
    if (nextHorizon < Infinity) this.tombstonesDue.set(log, nextHorizon);
    else this.tombstonesDue.delete(log);
    stats.durationMs = Date.now() - started;
    return stats;
  }

  /**
   * Walks the batches of seg from file position `from`, at most tickBytes per event-loop turn.
   * onBatch gets the chunk, the batch's header info (pos within the chunk) and its file
   * position, and returns false to stop. afterChunk runs before each yield.
   */
  private async scan(
    seg: Segment,
    from: number,
    check: () => void,
    onBatch: (buf: Buffer, info: BatchInfo, filePos: number) => boolean,
    afterChunk?: () => void,
  ): Promise<void> {
    let pos = from;
    while (pos < seg.size) {
      let buf = seg.readBytes(pos, Math.max(this.opts.tickBytes, HEADER_SIZE));
      if (buf.length >= 12) {
        const first = 12 + buf.readInt32BE(OFF.batchLength);
        if (first > buf.length && first <= seg.size - pos) buf = seg.readBytes(pos, first); // one big batch
      }
      let p = 0;
      let stop = false;
      while (!stop && p + HEADER_SIZE <= buf.length) {
        const size = 12 + buf.readInt32BE(p + OFF.batchLength);
        if (size < HEADER_SIZE) throw new Error(`corrupt batch at position ${pos + p} of segment ${seg.baseOffset}`);
        if (p + size > buf.length) break;
        stop = !onBatch(buf, batchInfo(buf, p), pos + p);
        p += size;
      }
      if (p === 0 && !stop) throw new Error(`corrupt batch at position ${pos} of segment ${seg.baseOffset}`);
      afterChunk?.();
      pos += p;
      if (stop) return;
      await this.turn();
      check();
    }
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => {
      if (this.opts.tickIntervalMs > 0) setTimeout(resolve, this.opts.tickIntervalMs);
      else setImmediate(resolve);
    });
  }
}

/**
 * Consecutive segments whose sizes add up to at most segment.bytes and whose offsets fit one
 * segment's relative offsets (Cleaner.groupSegmentsBySize), so segments do not shrink forever.
 */
export function groupBySize(segments: readonly Segment[], maxBytes: number): Segment[][] {
  const groups: Segment[][] = [];
  let group: Segment[] = [];
  let bytes = 0;
  for (const s of segments) {
    if (
      group.length > 0 &&
      (bytes + s.size > maxBytes || s.nextOffset - 1 - group[0].baseOffset > MAX_RELATIVE_OFFSET)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(s);
    bytes += s.size;
  }
  if (group.length) groups.push(group);
  return groups;
}
