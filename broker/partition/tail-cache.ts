// The leader's acks=all appends that not every ISR member has fetched yet, kept in memory, so
// that follower fetches are answered from the buffers the producer sent instead of reading back
// from the log file what was just written there. Kafka gets the same from the page cache and
// sendfile; here a file read costs a syscall, a fresh buffer and its page faults per fetch, on
// the leader's one thread, twice per record at RF 3 (docs/decisions/0032).
// Contents: whole batches exactly as the log stores them (the log patches offsets and leader
// epoch in place before writing, so the buffers are the file's bytes), contiguous from the first
// one held: an append that does not fit is not held, and nothing after it until everything held
// has been dropped (the oldest batches are the ones the followers need next). Partition drops
// the batches below the high watermark (every ISR member has them; a follower out of the ISR
// reads the log) and clears the cache when it stops leading.
// Memory: an acks=all request holds its buffer until the high watermark passes it anyway, and
// those requests are bounded by queued.max.request.bytes; the cache is counted by the backing
// stores it keeps alive (a small batch may be a view into a larger socket chunk) against
// NODE_MAX_BYTES for all partitions of the process, so an acks=all request that timed out is
// held at most until the ISR shrinks.
// Reads answer as PartitionLog.read: whole batches from the one containing the offset, the
// first always, more while within maxBytes and starting below maxOffset; null when the offset
// is not held (then the caller reads the log).

import type { ReadResult } from '../log/types.ts';
import { HEADER_SIZE, OFF, readInt64 } from '../protocol/record-batch.ts';

/** Above the default queued.max.request.bytes (100 MiB): all acks=all requests in flight fit. */
const NODE_MAX_BYTES = 128 << 20;
let nodeBytes = 0;

interface Cached {
  base: number;
  last: number;
  buf: Buffer;
  /** What it is counted as: the backing store it keeps alive, shared stores counted once per batch. */
  cost: number;
}

export class TailCache {
  private entries: Cached[] = [];
  private head = 0;
  private bytes = 0;
  /** An append was not held: nothing more is added until the followers have fetched what is. */
  private skipped = false;

  /** Batches just appended as leader (offsets assigned), end to end in buf. */
  add(buf: Buffer): void {
    const cost = Math.max(buf.length, buf.buffer.byteLength);
    if (nodeBytes + cost > NODE_MAX_BYTES) {
      this.skipped = true; // full: what is held stays for the followers, the rest is read from the log
      return;
    }
    if (this.skipped && this.head < this.entries.length) return; // only contiguous from the first held
    this.skipped = false;
    let share = cost;
    for (let p = 0; p + HEADER_SIZE <= buf.length;) {
      const size = 12 + buf.readInt32BE(p + OFF.batchLength);
      const base = readInt64(buf, p);
      this.entries.push({ base, last: base + buf.readInt32BE(p + OFF.lastOffsetDelta), buf: buf.subarray(p, p + size), cost: share });
      this.bytes += share;
      nodeBytes += share;
      share = 0; // the store is counted once, with the first batch of the append
      p += size;
    }
  }

  /** Drops the batches that end below offset. */
  trimBelow(offset: number): void {
    while (this.head < this.entries.length && this.entries[this.head].last < offset) this.dropFirst();
  }

  read(offset: number, maxBytes: number, maxOffset: number): ReadResult | null {
    const es = this.entries;
    if (this.head >= es.length || offset < es[this.head].base || offset > es[es.length - 1].last) return null;
    let lo = this.head;
    let hi = es.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (es[mid].last < offset) lo = mid + 1;
      else hi = mid;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (let i = lo; i < es.length; i++) {
      const e = es[i];
      if (chunks.length > 0 && (bytes + e.buf.length > maxBytes || e.base >= maxOffset)) break;
      chunks.push(e.buf);
      bytes += e.buf.length;
    }
    return { chunks, bytes };
  }

  clear(): void {
    nodeBytes -= this.bytes;
    this.bytes = 0;
    this.entries = [];
    this.head = 0;
    this.skipped = false;
  }

  private dropFirst(): void {
    const e = this.entries[this.head++];
    this.bytes -= e.cost;
    nodeBytes -= e.cost;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
