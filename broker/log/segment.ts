// One log segment in Kafka's on-disk layout: `<baseOffset>.log` holds record batches exactly as
// appended; `.index` (relative offset i32, position i32) and `.timeindex` (timestamp i64,
// relative offset i32) are sparse, big-endian, one entry per index.interval.bytes appended.
// I/O is synchronous: on page-cache files it is the fastest path from Node and keeps the order
// of writes obvious. Index entries are mirrored in typed arrays so lookups never touch disk.
// A read walks batch headers from the index entry in a small reused window, then reads the
// batches it returns with one read into the caller's memory (read-buffers.ts).
//
// Index rules follow Kafka's LogSegment: an entry is added before a batch once more than
// index.interval.bytes were appended since the last one (so the first batch is never indexed);
// the offset entry is (batch lastOffset, batch position); the time entry is (largest timestamp
// so far, last offset of the batch that carried it), added only when the timestamp grows, and
// once more when the segment is sealed (rolled) or closed.
//
// `.txnindex` (txn-index.ts) lists the transactions aborted by markers in this segment; the
// partition above adds its entries (it knows where each transaction began); truncation and
// recovery cut the entries whose marker is gone.
//
// Deviations from Kafka: index files are not preallocated/memory-mapped, they grow by appends
// (so a torn index is just a short file), written a few dozen entries at a time (see
// INDEX_WRITE_ENTRIES); deleted segments are unlinked at once instead of being
// renamed `.deleted` and removed later (reads copy bytes into memory of their own, fresh or lent
// by read-buffers.ts, so nothing can still point into a deleted file). Segments replaced by the
// log cleaner are renamed `.deleted` first and unlinked in the background (see file-log.ts).

import fs from 'node:fs';
import path from 'node:path';
import { HEADER_SIZE, OFF, readInt64, scanValidPrefix, writeInt64, type BatchInfo } from '../protocol/record-batch.ts';
import { freshMemory, type ReadAlloc } from './read-buffers.ts';
import { TxnIndex } from './txn-index.ts';

export const INDEX_ENTRY_SIZE = 8;
export const TIME_INDEX_ENTRY_SIZE = 12;
/**
 * New index entries are written to their files once this many are pending (and whenever the
 * segment is sealed, flushed, truncated or rebuilt), not with every append: a batch larger than
 * index.interval.bytes adds an entry each time, and one write per batch instead of two saves a
 * syscall per Produce. Lookups use the in-memory mirror; entries not yet written are lost only
 * with the process, and a process that dies rebuilds the last segment's indexes from its .log
 * (the only segment not sealed).
 */
const INDEX_WRITE_ENTRIES = 64;
/**
 * Bytes read at once when walking batch headers: covers the usual walk from an index entry
 * (index.interval.bytes, 4 KiB by default, plus a batch) in one read. Reused, never handed out.
 */
const SEEK_SCRATCH = Buffer.allocUnsafe(16 * 1024);
/** Bytes read at once when scanning a whole segment (recovery, index rebuild). */
const RECOVERY_CHUNK = 1024 * 1024;

export const segmentFileName = (baseOffset: number, ext: string) => `${String(baseOffset).padStart(20, '0')}${ext}`;

/** Reads up to len bytes at pos (fewer only at end of file). */
export function readAt(fd: number, pos: number, len: number): Buffer {
  return readInto(fd, Buffer.allocUnsafe(len), pos);
}

/** Fills buf from pos (less only at end of file); returns the part filled. */
function readInto(fd: number, buf: Buffer, pos: number): Buffer {
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

function writeAt(fd: number, buf: Buffer, pos: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, pos + done);
}

/**
 * Walks batches in [start, end) of a file in chunks, stopping at the first torn or invalid one
 * (CRC-checked when checkCrc). Calls onBatch with file positions. Returns the valid end.
 */
function scanFile(fd: number, start: number, end: number, checkCrc: boolean, onBatch: (b: BatchInfo) => void): number {
  let pos = start;
  let want = RECOVERY_CHUNK;
  while (pos < end) {
    const chunkPos = pos;
    const buf = readAt(fd, chunkPos, Math.min(want, end - chunkPos));
    const n = scanValidPrefix(
      buf,
      (b) => {
        b.pos += chunkPos;
        onBatch(b);
      },
      checkCrc,
    );
    pos += n;
    if (pos >= end || chunkPos + buf.length >= end) break; // done, or what is left is invalid
    if (n > 0) {
      want = RECOVERY_CHUNK; // the batch at pos straddles the chunk end: read again from it
      continue;
    }
    // Nothing valid in a chunk that does not reach the end: either one batch is bigger than the
    // chunk (read exactly it next time) or the bytes at pos are invalid.
    const declared = buf.length >= 12 ? 12 + buf.readInt32BE(OFF.batchLength) : 0;
    if (declared > buf.length && declared <= end - pos) want = declared;
    else break;
  }
  return pos;
}

function grow<T extends Int32Array | Float64Array>(a: T, n: number): T {
  if (n < a.length) return a;
  const b = new (a.constructor as new (len: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

export class Segment {
  /** Bytes in the .log file. */
  size = 0;
  /** Offset after the last batch (baseOffset when empty). */
  nextOffset: number;
  /** Largest batch maxTimestamp and the last offset of that batch (-1 when unknown). */
  maxTimestamp = -1;
  maxTimestampOffset = -1;
  /** maxTimestamp of the first batch: segment.ms counts from it, as Kafka's rollingBasedTimestamp. */
  firstTimestamp = -1;
  readonly created = Date.now();
  /** Written since the last fsync. */
  dirty = false;

  private bytesSinceIndex = 0;
  private idxRel = new Int32Array(16);
  private idxPos = new Int32Array(16);
  private idxCount = 0;
  private idxWritten = 0; // entries already in the .index file
  private tiTs = new Float64Array(16);
  private tiRel = new Int32Array(16);
  private tiCount = 0;
  private tiWritten = 0;
  /** Transactions aborted by markers in this segment. */
  readonly txnIndex: TxnIndex;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    public indexIntervalBytes: number,
    private fd: number,
    private idxFd: number,
    private tiFd: number,
    /** '' for a live segment; '.cleaned' / '.swap' while the log cleaner builds or swaps it in. */
    private suffix = '',
  ) {
    this.nextOffset = baseOffset;
    this.txnIndex = new TxnIndex(Segment.file(dir, baseOffset, '.txnindex', suffix));
  }

  private static file(dir: string, base: number, ext: string, suffix = '') {
    return path.join(dir, segmentFileName(base, ext) + suffix);
  }

  /** Creates an empty segment (replacing stale files of the same name). */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number, suffix = ''): Segment {
    const open = (ext: string) => fs.openSync(Segment.file(dir, baseOffset, ext, suffix), 'w+');
    fs.rmSync(Segment.file(dir, baseOffset, '.txnindex', suffix), { force: true }); // created on its first entry
    return new Segment(dir, baseOffset, indexIntervalBytes, open('.log'), open('.index'), open('.timeindex'), suffix);
  }

  /**
   * Renames the segment's files to another suffix; the .log goes last, so its name is the one
   * that tells recovery how far the rename got. Open descriptors stay valid.
   */
  renameSuffix(to: string): void {
    for (const ext of ['.index', '.timeindex', '.txnindex', '.log']) {
      const target = Segment.file(this.dir, this.baseOffset, ext, to);
      if (ext === '.txnindex') this.txnIndex.renamedTo(target);
      else fs.renameSync(Segment.file(this.dir, this.baseOffset, ext, this.suffix), target);
    }
    this.suffix = to;
  }

  /**
   * Opens an existing segment. With recover, every batch is CRC-checked, the file is cut at the
   * first torn or invalid batch and the indexes are rebuilt. Without, the index files are loaded
   * and checked against the log (entries in bounds, batches framing exactly to the file size
   * after the last entry); any mismatch falls back to recovery. `truncated` = bytes cut.
   */
  static open(
    dir: string,
    baseOffset: number,
    indexIntervalBytes: number,
    recover: boolean,
    suffix = '',
  ): { segment: Segment; truncated: number } {
    const open = (ext: string) => {
      const f = Segment.file(dir, baseOffset, ext, suffix);
      return fs.openSync(f, fs.existsSync(f) ? 'r+' : 'w+');
    };
    const hadIndexes =
      fs.existsSync(Segment.file(dir, baseOffset, '.index', suffix)) &&
      fs.existsSync(Segment.file(dir, baseOffset, '.timeindex', suffix));
    const seg = new Segment(dir, baseOffset, indexIntervalBytes, open('.log'), open('.index'), open('.timeindex'), suffix);
    seg.size = fs.fstatSync(seg.fd).size;
    if (!recover && hadIndexes && seg.loadIndexes()) {
      seg.txnIndex.truncateTo(seg.nextOffset);
      return { segment: seg, truncated: 0 };
    }
    return { segment: seg, truncated: seg.rebuild(true) };
  }

  // ------------------------------------------------------------------ writing

  /**
   * Appends batches laid end to end (offsets already assigned) with one write. All or nothing:
   * when a write fails (ENOSPC, EIO ...) the .log and index files are cut back to where they
   * were and the in-memory state restored, so neither a later read nor recovery sees a part of
   * the payload, then the error is thrown.
   */
  append(buf: Buffer): void {
    const start = this.size;
    const before = this.appendState();
    try {
      writeAt(this.fd, buf, start);
      for (let p = 0; p < buf.length;) {
        const size = 12 + buf.readInt32BE(p + OFF.batchLength);
        const last = readInt64(buf, p) + buf.readInt32BE(p + OFF.lastOffsetDelta);
        this.indexBatch(start + p, size, last, readInt64(buf, p + OFF.maxTimestamp));
        p += size;
      }
      if (this.idxCount - this.idxWritten >= INDEX_WRITE_ENTRIES || this.tiCount - this.tiWritten >= INDEX_WRITE_ENTRIES)
        this.persistIndexes();
    } catch (e) {
      try {
        this.undoAppend(start, before);
      } catch {
        // The disk refuses even a truncate: the log dir goes offline (log-dir.ts), and the next
        // open CRC-scans this segment, where a cut batch ends the log.
      }
      throw e;
    }
    this.size += buf.length;
    this.dirty = true;
  }

  private appendState() {
    const { nextOffset, maxTimestamp, maxTimestampOffset, firstTimestamp, bytesSinceIndex, idxCount, idxWritten, tiCount, tiWritten } = this;
    return { nextOffset, maxTimestamp, maxTimestampOffset, firstTimestamp, bytesSinceIndex, idxCount, idxWritten, tiCount, tiWritten };
  }

  /** Shrinking a file needs no free space: a failed append leaves the files as they were. */
  private undoAppend(start: number, s: ReturnType<Segment['appendState']>): void {
    Object.assign(this, s);
    fs.ftruncateSync(this.fd, start);
    fs.ftruncateSync(this.idxFd, s.idxWritten * INDEX_ENTRY_SIZE);
    fs.ftruncateSync(this.tiFd, s.tiWritten * TIME_INDEX_ENTRY_SIZE);
  }

  private indexBatch(pos: number, size: number, lastOffset: number, maxTs: number): void {
    if (pos === 0) this.firstTimestamp = maxTs;
    if (maxTs > this.maxTimestamp || this.maxTimestampOffset < 0) {
      this.maxTimestamp = maxTs;
      this.maxTimestampOffset = lastOffset;
    }
    if (this.bytesSinceIndex > this.indexIntervalBytes) {
      this.idxRel = grow(this.idxRel, this.idxCount);
      this.idxPos = grow(this.idxPos, this.idxCount);
      this.idxRel[this.idxCount] = lastOffset - this.baseOffset;
      this.idxPos[this.idxCount++] = pos;
      this.maybeAddTimeEntry();
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += size;
    this.nextOffset = lastOffset + 1;
  }

  private maybeAddTimeEntry(): void {
    const last = this.tiCount ? this.tiTs[this.tiCount - 1] : -1;
    if (this.maxTimestamp <= last) return;
    this.tiTs = grow(this.tiTs, this.tiCount);
    this.tiRel = grow(this.tiRel, this.tiCount);
    this.tiTs[this.tiCount] = this.maxTimestamp;
    this.tiRel[this.tiCount++] = this.maxTimestampOffset - this.baseOffset;
  }

  /** Writes index entries not yet on disk (one write per file). */
  private persistIndexes(): void {
    if (this.idxWritten < this.idxCount) {
      const b = Buffer.allocUnsafe((this.idxCount - this.idxWritten) * INDEX_ENTRY_SIZE);
      for (let i = this.idxWritten, o = 0; i < this.idxCount; i++, o += INDEX_ENTRY_SIZE) {
        b.writeInt32BE(this.idxRel[i], o);
        b.writeInt32BE(this.idxPos[i], o + 4);
      }
      writeAt(this.idxFd, b, this.idxWritten * INDEX_ENTRY_SIZE);
      this.idxWritten = this.idxCount;
      this.dirty = true;
    }
    if (this.tiWritten < this.tiCount) {
      const b = Buffer.allocUnsafe((this.tiCount - this.tiWritten) * TIME_INDEX_ENTRY_SIZE);
      for (let i = this.tiWritten, o = 0; i < this.tiCount; i++, o += TIME_INDEX_ENTRY_SIZE) {
        writeInt64(b, o, this.tiTs[i]);
        b.writeInt32BE(this.tiRel[i], o + 8);
      }
      writeAt(this.tiFd, b, this.tiWritten * TIME_INDEX_ENTRY_SIZE);
      this.tiWritten = this.tiCount;
      this.dirty = true;
    }
  }

  /** The segment stops being active: record its largest timestamp in the time index. */
  seal(): void {
    this.maybeAddTimeEntry();
    this.persistIndexes();
  }

  /**
   * Removes the batch containing offset and everything after it (Kafka's LogSegment.truncateTo),
   * then rebuilds the indexes from the remaining batches. Returns bytes removed.
   */
  truncateTo(offset: number): number {
    const found = this.seek(
      this.lookup(offset),
      (h, at) => readInt64(h, at) + h.readInt32BE(at + OFF.lastOffsetDelta) >= offset,
    );
    if (!found) return 0;
    const removed = this.size - found.pos;
    fs.ftruncateSync(this.fd, found.pos);
    this.size = found.pos;
    this.rebuild(false);
    this.txnIndex.truncateTo(this.nextOffset);
    return removed;
  }

  /**
   * Rescans the whole .log, cutting it at the first invalid batch, and rewrites both indexes.
   * Returns bytes cut.
   */
  private rebuild(checkCrc: boolean): number {
    this.idxCount = this.idxWritten = this.tiCount = this.tiWritten = 0;
    this.bytesSinceIndex = 0;
    this.maxTimestamp = this.maxTimestampOffset = this.firstTimestamp = -1;
    this.nextOffset = this.baseOffset;
    const end = scanFile(this.fd, 0, this.size, checkCrc, (b) =>
      this.indexBatch(b.pos, b.size, b.baseOffset + b.lastOffsetDelta, b.maxTimestamp),
    );
    const cut = this.size - end;
    if (cut > 0) fs.ftruncateSync(this.fd, end);
    this.size = end;
    this.txnIndex.truncateTo(this.nextOffset); // markers cut with a torn tail take their entries along
    // Overwrite, then cut: a crash in between leaves an index that fails loadIndexes' checks.
    this.persistIndexes();
    fs.ftruncateSync(this.idxFd, this.idxCount * INDEX_ENTRY_SIZE);
    fs.ftruncateSync(this.tiFd, this.tiCount * TIME_INDEX_ENTRY_SIZE);
    this.dirty = true;
    return cut;
  }

  /** Loads both index files; false if they do not match the log (then the caller rebuilds). */
  private loadIndexes(): boolean {
    const idx = readAt(this.idxFd, 0, fs.fstatSync(this.idxFd).size);
    const ti = readAt(this.tiFd, 0, fs.fstatSync(this.tiFd).size);
    if (idx.length % INDEX_ENTRY_SIZE || ti.length % TIME_INDEX_ENTRY_SIZE) return false;
    const n = idx.length / INDEX_ENTRY_SIZE;
    this.idxRel = new Int32Array(Math.max(16, n * 2));
    this.idxPos = new Int32Array(Math.max(16, n * 2));
    for (let i = 0; i < n; i++) {
      const rel = idx.readInt32BE(i * INDEX_ENTRY_SIZE);
      const pos = idx.readInt32BE(i * INDEX_ENTRY_SIZE + 4);
      if (pos <= 0 || pos >= this.size || (i > 0 && (rel <= this.idxRel[i - 1] || pos <= this.idxPos[i - 1])))
        return false;
      this.idxRel[i] = rel;
      this.idxPos[i] = pos;
    }
    const m = ti.length / TIME_INDEX_ENTRY_SIZE;
    this.tiTs = new Float64Array(Math.max(16, m * 2));
    this.tiRel = new Int32Array(Math.max(16, m * 2));
    for (let i = 0; i < m; i++) {
      const ts = readInt64(ti, i * TIME_INDEX_ENTRY_SIZE);
      const rel = ti.readInt32BE(i * TIME_INDEX_ENTRY_SIZE + 8);
      if (rel < 0 || (i > 0 && (ts <= this.tiTs[i - 1] || rel < this.tiRel[i - 1]))) return false;
      this.tiTs[i] = ts;
      this.tiRel[i] = rel;
    }
    this.idxCount = this.idxWritten = n;
    this.tiCount = this.tiWritten = m;
    if (m) {
      this.maxTimestamp = this.tiTs[m - 1];
      this.maxTimestampOffset = this.baseOffset + this.tiRel[m - 1];
    }
    if (this.size >= HEADER_SIZE) this.firstTimestamp = readInt64(readAt(this.fd, OFF.maxTimestamp, 8), 0);
    // Walk the headers after the last offset entry: finds nextOffset and checks the file frames
    // exactly into whole batches. Same state as if the batches had just been appended.
    const from = n ? this.idxPos[n - 1] : 0;
    this.bytesSinceIndex = 0;
    const end = scanFile(this.fd, from, this.size, false, (b) => {
      const last = b.baseOffset + b.lastOffsetDelta;
      if (b.maxTimestamp > this.maxTimestamp || this.maxTimestampOffset < 0) {
        this.maxTimestamp = b.maxTimestamp;
        this.maxTimestampOffset = last;
      }
      this.bytesSinceIndex += b.size;
      this.nextOffset = last + 1;
    });
    return end === this.size && (m === 0 || this.baseOffset + this.tiRel[m - 1] < this.nextOffset);
  }

  // ------------------------------------------------------------------ reading

  /** Position of the batch to start scanning from for offset (largest index entry <= offset). */
  private lookup(offset: number): number {
    const rel = offset - this.baseOffset;
    let lo = 0;
    let hi = this.idxCount - 1;
    let pos = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.idxRel[mid] <= rel) {
        pos = this.idxPos[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return pos;
  }

  /** Offset to start a timestamp search from (largest time entry with timestamp <= ts). */
  private timeLookup(ts: number): number {
    let lo = 0;
    let hi = this.tiCount - 1;
    let off = this.baseOffset;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tiTs[mid] <= ts) {
        off = this.baseOffset + this.tiRel[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return off;
  }

  /**
   * Walks batch headers from pos to the first batch for which stop(header, at) holds. Returns
   * its position and the window it was read in (win[at..] is the batch start), or null. The
   * window is a scratch buffer shared by all segments: copy out of it before the next seek.
   */
  private seek(pos: number, stop: (h: Buffer, at: number) => boolean): { pos: number; win: Buffer; at: number } | null {
    let win: Buffer = SEEK_SCRATCH.subarray(0, 0);
    let winPos = pos;
    while (pos < this.size) {
      let at = pos - winPos;
      if (at + HEADER_SIZE > win.length) {
        win = readInto(this.fd, SEEK_SCRATCH.subarray(0, Math.min(this.size - pos, SEEK_SCRATCH.length)), pos);
        winPos = pos;
        at = 0;
        if (win.length < HEADER_SIZE) return null;
      }
      if (stop(win, at)) return { pos, win, at };
      pos += 12 + win.readInt32BE(at + OFF.batchLength);
    }
    return null;
  }

  /**
   * Whole batches from the one containing offset: the first always, more while the total stays
   * within maxBytes and their base offset is below maxOffset. One chunk per batch, slices of one
   * buffer from `alloc`: the header walk reads a small window, then one read brings the batches.
   */
  read(offset: number, maxBytes: number, maxOffset: number, alloc: ReadAlloc = freshMemory): Buffer[] {
    if (offset >= this.nextOffset) return [];
    const found = this.seek(this.lookup(offset), (h, at) => readInt64(h, at) + h.readInt32BE(at + OFF.lastOffsetDelta) >= offset);
    if (!found) return [];
    const firstSize = 12 + found.win.readInt32BE(found.at + OFF.batchLength);
    const want = Math.min(this.size - found.pos, Math.max(firstSize, maxBytes));
    const data = alloc.take(want);
    // What the walk already read is copied, the rest read after it.
    const have = Math.min(want, found.win.length - found.at);
    found.win.copy(data, 0, found.at, found.at + have);
    const got = have + (have < want ? readInto(this.fd, data.subarray(have), found.pos + have).length : 0);
    const chunks: Buffer[] = [];
    let p = 0;
    while (p + HEADER_SIZE <= got) {
      const size = 12 + data.readInt32BE(p + OFF.batchLength);
      if (p + size > got) break;
      if (chunks.length > 0 && (p + size > maxBytes || readInt64(data, p) >= maxOffset)) break;
      chunks.push(data.subarray(p, p + size));
      p += size;
    }
    alloc.trim(data, p);
    return chunks;
  }

  /**
   * The first batch at or after startOffset whose maxTimestamp >= ts, as a Buffer holding just
   * that batch; null if this segment has none.
   */
  findBatchByTimestamp(ts: number, startOffset: number): Buffer | null {
    if (this.maxTimestampOffset < 0 || this.maxTimestamp < ts || startOffset >= this.nextOffset) return null;
    const from = Math.max(this.timeLookup(ts), startOffset);
    const found = this.seek(
      this.lookup(from),
      (h, at) =>
        readInt64(h, at) + h.readInt32BE(at + OFF.lastOffsetDelta) >= startOffset &&
        readInt64(h, at + OFF.maxTimestamp) >= ts,
    );
    if (!found) return null;
    const size = 12 + found.win.readInt32BE(found.at + OFF.batchLength);
    return found.at + size <= found.win.length
      ? Buffer.from(found.win.subarray(found.at, found.at + size))
      : readAt(this.fd, found.pos, size);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Last-modified time of the .log, for retention of segments without timestamps (as Kafka). */
  lastModified(): number {
    return fs.fstatSync(this.fd).mtimeMs;
  }

  /** A cleaned segment keeps the modification time of the segments it replaces (as Kafka). */
  setLastModified(ms: number): void {
    fs.futimesSync(this.fd, new Date(), new Date(ms));
  }

  /** Up to len raw bytes of the .log from pos (the log cleaner's reads). */
  readBytes(pos: number, len: number): Buffer {
    return readAt(this.fd, pos, Math.max(0, Math.min(len, this.size - pos)));
  }

  /** File position of the batch to scan from for offset (from the sparse index). */
  positionFor(offset: number): number {
    return this.lookup(offset);
  }

  /** fsync on the thread pool: the cleaner flushes what it wrote without stalling the event loop. */
  async flushAsync(): Promise<void> {
    this.persistIndexes();
    const sync = (fd: number) => new Promise<void>((res, rej) => fs.fsync(fd, (e) => (e ? rej(e) : res())));
    await Promise.all([sync(this.fd), sync(this.idxFd), sync(this.tiFd), this.txnIndex.flushAsync()]);
  }

  flush(): void {
    this.persistIndexes();
    if (!this.dirty) return;
    fs.fsyncSync(this.fd);
    fs.fsyncSync(this.idxFd);
    fs.fsyncSync(this.tiFd);
    this.txnIndex.flush();
    this.dirty = false;
  }

  close(): void {
    this.seal();
    this.release();
  }

  /** Closes the files without writing anything (a log dir gone offline). */
  release(): void {
    fs.closeSync(this.fd);
    fs.closeSync(this.idxFd);
    fs.closeSync(this.tiFd);
    this.txnIndex.close();
  }

  /** Paths of the segment's files (under their current suffix); the .txnindex only if it exists. */
  files(): string[] {
    const exts = ['.log', '.index', '.timeindex'];
    if (fs.existsSync(this.txnIndex.path)) exts.push('.txnindex');
    return exts.map((ext) => Segment.file(this.dir, this.baseOffset, ext, this.suffix));
  }

  /** Closes and unlinks the segment's files. */
  delete(): void {
    fs.closeSync(this.fd);
    fs.closeSync(this.idxFd);
    fs.closeSync(this.tiFd);
    this.txnIndex.delete();
    for (const ext of ['.log', '.index', '.timeindex'])
      fs.rmSync(Segment.file(this.dir, this.baseOffset, ext, this.suffix), { force: true });
  }
}
