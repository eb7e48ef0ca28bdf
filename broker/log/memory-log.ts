// The partition log kept in memory, for tests of the modules above storage. Same offsets, reads,
// start offset, truncation and timestamp semantics as FileLog, without files.
// Differences from FileLog: there are no segments, so retention works batch by batch (never
// deleting the newest batch, as FileLog never deletes the active segment) and segment.* and
// flush.* settings have no effect. Appended payloads are copied, as FileLog copies them to disk.
// It is never compacted (the log cleaner works on FileLog segments), but honours cleanup.policy
// in retention: compact alone deletes nothing.

import { HEADER_SIZE, OFF, patchBatch, readInt64, setLogAppendTime } from '../protocol/record-batch.ts';
import { recordAtTimestamp } from './record-at-timestamp.ts';
import type { AbortedTxn } from './txn-index.ts';
import type { AppendResult, LogConfig, PartitionLog, ReadResult } from './types.ts';

interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  buf: Buffer;
  appendedAt: number;
}

export class MemoryLog implements PartitionLog {
  private batches: StoredBatch[] = [];
  private _logStartOffset = 0;
  private _logEndOffset = 0;
  private _size = 0;
  private closed = false;
  private aborted: AbortedTxn[] = [];
  /** Never called: there are no segments. */
  onRoll: ((baseOffset: number) => void) | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private config: LogConfig,
  ) {}

  get logStartOffset(): number {
    return this._logStartOffset;
  }
  get logEndOffset(): number {
    return this._logEndOffset;
  }
  get size(): number {
    return this._size;
  }

  append(batches: Buffer, leaderEpoch: number): AppendResult {
    const now = Date.now();
    const baseOffset = this._logEndOffset;
    let offset = baseOffset;
    for (const p of positions(batches)) {
      patchBatch(batches, p, offset, leaderEpoch);
      if (this.config.logAppendTime) setLogAppendTime(batches, p, now);
      offset += batches.readInt32BE(p + OFF.lastOffsetDelta) + 1;
    }
    this.store(Buffer.from(batches), now);
    return {
      baseOffset,
      lastOffset: offset - 1,
      logAppendTime: this.config.logAppendTime ? now : -1,
      logStartOffset: this._logStartOffset,
    };
  }

  appendAsFollower(batches: Buffer): void {
    if (batches.length === 0) return;
    let next = this._logEndOffset;
    for (const p of positions(batches)) {
      const base = readInt64(batches, p);
      if (base < next) // gaps are fine: a compacted leader has them
        throw new Error(`${this.topic}-${this.partition}: follower batch at offset ${base}, log end offset is ${next}`);
      next = base + batches.readInt32BE(p + OFF.lastOffsetDelta) + 1;
    }
    this.store(Buffer.from(batches), Date.now());
  }

  private store(buf: Buffer, now: number): void {
    this.ensureOpen();
    for (const p of positions(buf)) {
      const size = 12 + buf.readInt32BE(p + OFF.batchLength);
      const baseOffset = readInt64(buf, p);
      const lastOffset = baseOffset + buf.readInt32BE(p + OFF.lastOffsetDelta);
      this.batches.push({
        baseOffset,
        lastOffset,
        maxTimestamp: readInt64(buf, p + OFF.maxTimestamp),
        buf: buf.subarray(p, p + size),
        appendedAt: now,
      });
      this._size += size;
      this._logEndOffset = lastOffset + 1;
    }
  }

  /** Index of the first batch whose last offset >= offset. */
  private indexOf(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  read(offset: number, maxBytes: number, maxOffset = Number.MAX_SAFE_INTEGER): ReadResult {
    this.ensureOpen();
    if (offset < this._logStartOffset || offset > this._logEndOffset)
      throw new RangeError(
        `${this.topic}-${this.partition}: offset ${offset} outside [${this._logStartOffset}, ${this._logEndOffset}]`,
      );
    const chunks: Buffer[] = [];
    let bytes = 0;
    if (offset >= maxOffset) return { chunks, bytes };
    for (let i = this.indexOf(offset); i < this.batches.length; i++) {
      const b = this.batches[i];
      if (chunks.length > 0 && (bytes + b.buf.length > maxBytes || b.baseOffset >= maxOffset)) break;
      chunks.push(b.buf);
      bytes += b.buf.length;
    }
    return { chunks, bytes };
  }

  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (let i = this.indexOf(this._logStartOffset); i < this.batches.length; i++) {
      if (this.batches[i].maxTimestamp >= ts) return recordAtTimestamp(this.batches[i].buf, ts, this._logStartOffset);
    }
    return null;
  }

  maxTimestamp(): { offset: number; timestamp: number } | null {
    let best: { offset: number; timestamp: number } | null = null;
    for (const b of this.batches) {
      if (!best || b.maxTimestamp > best.timestamp) best = { offset: b.lastOffset, timestamp: b.maxTimestamp };
    }
    return best;
  }

  addAbortedTxn(t: AbortedTxn): void {
    const last = this.aborted[this.aborted.length - 1];
    if (!last || t.lastOffset > last.lastOffset) this.aborted.push(t);
  }

  collectAbortedTxns(fetchOffset: number, upperBound: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (const t of this.aborted) {
      if (t.lastOffset < fetchOffset) continue;
      if (t.firstOffset < upperBound) out.push(t);
      if (t.lastStableOffset >= upperBound) break;
    }
    return out;
  }

  advanceStartOffset(offset: number): void {
    if (offset <= this._logStartOffset) return;
    if (offset > this._logEndOffset) return this.truncateFullyAndStartAt(offset);
    this._logStartOffset = offset;
    while (this.batches.length && this.batches[0].lastOffset < offset) this.dropOldest();
  }

  truncateTo(offset: number): void {
    if (offset >= this._logEndOffset) return;
    if (this.batches.length === 0 || this.batches[0].baseOffset > offset) return this.truncateFullyAndStartAt(offset);
    const removed = this.batches.splice(this.indexOf(offset));
    const cut = removed[0]?.baseOffset ?? offset;
    this.aborted = this.aborted.filter((t) => t.lastOffset < cut);
    for (const b of removed) this._size -= b.buf.length;
    const last = this.batches[this.batches.length - 1];
    this._logEndOffset = last ? last.lastOffset + 1 : removed[0].baseOffset;
    this._logStartOffset = Math.min(this._logStartOffset, this._logEndOffset);
  }

  private truncateFullyAndStartAt(offset: number): void {
    this.batches = [];
    this.aborted = [];
    this._size = 0;
    this._logStartOffset = this._logEndOffset = offset;
  }

  applyRetention(now: number): number {
    let deleted = 0;
    const { retentionMs, retentionBytes } = this.config;
    if (!this.config.delete) return 0; // cleanup.policy=compact alone never deletes by retention
    const expired = (b: StoredBatch) => (b.maxTimestamp >= 0 ? b.maxTimestamp : b.appendedAt) < now - retentionMs;
    while (this.batches.length > 1 && retentionMs >= 0 && expired(this.batches[0])) {
      this.dropOldest();
      deleted++;
    }
    while (
      this.batches.length > 1 &&
      retentionBytes >= 0 &&
      this._size - this.batches[0].buf.length >= retentionBytes
    ) {
      this.dropOldest();
      deleted++;
    }
    if (this.batches.length && this.batches[0].baseOffset > this._logStartOffset)
      this._logStartOffset = this.batches[0].baseOffset;
    return deleted;
  }

  private dropOldest(): void {
    this._size -= this.batches.shift()!.buf.length;
  }

  updateConfig(config: LogConfig): void {
    this.config = config;
  }
  flush(): void {}
  close(): void {
    this.closed = true;
  }
  delete(): void {
    this.close();
    this.batches = [];
    this.aborted = [];
    this._size = 0;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`${this.topic}-${this.partition}: log is closed`);
  }
}

/** Positions of the batches laid end to end in buf; throws on broken framing. */
function positions(buf: Buffer): number[] {
  if (buf.length === 0) throw new Error('no record batches to append');
  const out: number[] = [];
  for (let p = 0; p < buf.length;) {
    const size = p + HEADER_SIZE <= buf.length ? 12 + buf.readInt32BE(p + OFF.batchLength) : 0;
    if (size < HEADER_SIZE || p + size > buf.length) throw new Error(`malformed record batch at byte ${p}`);
    out.push(p);
    p += size;
  }
  return out;
}
