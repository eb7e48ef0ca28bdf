// The aborted-transaction index of one segment, Kafka's `<baseOffset>.txnindex`: one 34-byte
// big-endian entry per transaction aborted by a marker in this segment: int16 version 0, int64
// producer id, int64 first offset, int64 last offset (the marker's), int64 last stable offset
// at the time of the abort (where a read_committed fetch may stop looking further). Entries are
// appended in marker order. The file is created on the first entry, as Kafka does, and mirrored
// in memory so a fetch never reads it from disk.
// Read committed fetches collect the entries overlapping [fetchOffset, upperBound) from the
// segment holding fetchOffset on, stopping at the first entry whose last stable offset reaches
// upperBound (Kafka's TransactionIndex.collectAbortedTxns).
// Deviation: a torn tail (a partial entry after a crash) is cut when the file is opened; Kafka
// sanity-checks the file and rebuilds it on recovery.

import fs from 'node:fs';

export const ABORTED_TXN_SIZE = 34;
const VERSION = 0;

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
  lastStableOffset: number;
}

function encodeEntry(t: AbortedTxn): Buffer {
  const b = Buffer.alloc(ABORTED_TXN_SIZE);
  b.writeInt16BE(VERSION, 0);
  b.writeBigInt64BE(BigInt(t.producerId), 2);
  b.writeBigInt64BE(BigInt(t.firstOffset), 10);
  b.writeBigInt64BE(BigInt(t.lastOffset), 18);
  b.writeBigInt64BE(BigInt(t.lastStableOffset), 26);
  return b;
}

function decodeEntry(b: Buffer, at: number): AbortedTxn | null {
  if (b.readInt16BE(at) !== VERSION) return null;
  return {
    producerId: Number(b.readBigInt64BE(at + 2)),
    firstOffset: Number(b.readBigInt64BE(at + 10)),
    lastOffset: Number(b.readBigInt64BE(at + 18)),
    lastStableOffset: Number(b.readBigInt64BE(at + 26)),
  };
}

export class TxnIndex {
  private entries: AbortedTxn[] = [];
  private fd: number | null = null;
  private dirty = false;

  /** Opens the index at `file` if it exists (cutting a torn tail); creates nothing. */
  constructor(private file: string) {
    if (!fs.existsSync(file)) return;
    this.fd = fs.openSync(file, 'r+');
    const buf = fs.readFileSync(file);
    let n = 0;
    for (let at = 0; at + ABORTED_TXN_SIZE <= buf.length; at += ABORTED_TXN_SIZE) {
      const e = decodeEntry(buf, at);
      if (!e || (this.entries.length && e.lastOffset <= this.entries[this.entries.length - 1].lastOffset)) break;
      this.entries.push(e);
      n++;
    }
    if (n * ABORTED_TXN_SIZE !== buf.length) fs.ftruncateSync(this.fd, n * ABORTED_TXN_SIZE);
  }

  get path(): string {
    return this.file;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The last entry's marker offset, -1 when empty. */
  get lastOffset(): number {
    return this.entries.length ? this.entries[this.entries.length - 1].lastOffset : -1;
  }

  all(): readonly AbortedTxn[] {
    return this.entries;
  }

  append(t: AbortedTxn): void {
    const last = this.entries[this.entries.length - 1];
    if (last && t.lastOffset <= last.lastOffset)
      throw new Error(`${this.file}: aborted transaction at ${t.lastOffset} does not follow the last one at ${last.lastOffset}`);
    this.fd ??= fs.openSync(this.file, 'w+'); // absent until now (Segment.create removes stale ones)
    fs.writeSync(this.fd, encodeEntry(t), 0, ABORTED_TXN_SIZE, this.entries.length * ABORTED_TXN_SIZE);
    this.entries.push(t);
    this.dirty = true;
  }

  /** Removes the entries of transactions whose marker is at or after offset. */
  truncateTo(offset: number): void {
    let n = this.entries.length;
    while (n > 0 && this.entries[n - 1].lastOffset >= offset) n--;
    if (n === this.entries.length) return;
    this.entries.length = n;
    if (this.fd !== null) fs.ftruncateSync(this.fd, n * ABORTED_TXN_SIZE);
    this.dirty = true;
  }

  /** Entries overlapping [fetchOffset, upperBound); complete = no later segment can add one. */
  collect(fetchOffset: number, upperBound: number, into: AbortedTxn[]): boolean {
    for (const t of this.entries) {
      if (t.lastOffset >= fetchOffset && t.firstOffset < upperBound) into.push(t);
      if (t.lastStableOffset >= upperBound) return true;
    }
    return false;
  }

  /** The file's new name (the segment's files were renamed). */
  renamedTo(file: string): void {
    if (this.fd !== null || fs.existsSync(this.file)) fs.renameSync(this.file, file);
    this.file = file;
  }

  flush(): void {
    if (this.fd !== null && this.dirty) fs.fsyncSync(this.fd);
    this.dirty = false;
  }

  async flushAsync(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    await new Promise<void>((res, rej) => fs.fsync(fd, (e) => (e ? rej(e) : res())));
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
    this.entries = [];
  }
}
