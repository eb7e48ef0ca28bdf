// Producer state of one partition, as Kafka's ProducerStateManager / ProducerAppendInfo: for
// every producer id that wrote to the partition, its epoch and the sequence range and offsets of
// its last 5 batches. The leader checks each idempotent batch against it before appending:
// - a batch equal (same epoch, same first and last sequence) to one of the cached five is a
//   duplicate: it is not appended again and is answered with the original offsets;
// - an epoch older than the producer's is INVALID_PRODUCER_EPOCH (Kafka >= 2.7 answers this,
//   not PRODUCER_FENCED, to idempotent producers);
// - a new epoch must start at sequence 0, the same epoch must continue at last + 1 (wrapping
//   after 2^31-1): otherwise OUT_OF_ORDER_SEQUENCE_NUMBER;
// - a producer id without state (new, or its state was lost or expired) is accepted at any
//   sequence (Kafka since KIP-360), so UNKNOWN_PRODUCER_ID is never answered.
// Followers and log recovery build the same state from the batches in the log, without checks.
//
// Persistence as Kafka: `<offset, 20 digits>.snapshot` files in the partition directory, taken
// when a segment rolls (at the new segment's base offset) and at clean shutdown (at the log end):
// int16 version 1, uint32 CRC-32C of the rest, int32 count, then per producer int64 id, int16
// epoch, int32 last sequence, int64 last offset, int32 offset delta (last - first offset of its
// last batch), int64 timestamp, int32 coordinator epoch, int64 first offset of its open
// transaction (-1). Recovery loads the newest valid snapshot at or below the log end and replays
// the batches after it; a truncation reloads the same way. Like Kafka, a snapshot keeps each
// producer's last batch only, so after a restart a retry of an older in-flight batch gets
// OUT_OF_ORDER_SEQUENCE_NUMBER instead of its original offset.
// Producers idle for producer.id.expiration.ms (by their last batch's timestamp) are removed.
//
// Transactions (Kafka's ongoingTxns / unreplicatedTxns): a producer's first transactional batch
// opens its transaction at that offset (currentTxnFirstOffset, kept in the snapshot); the
// commit or abort marker (a control batch from WriteTxnMarkers) closes it and becomes a
// completed transaction that stays "unreplicated" until the high watermark passes the marker.
// The first unstable offset (the smallest first offset of an open or unreplicated transaction)
// bounds the last stable offset. An aborted transaction goes into the log's `.txnindex` with the
// last stable offset at its abort (the first offset of the next open transaction of another
// producer, else the marker's offset + 1). Every reload replays the log after the snapshot and
// adds the entries the index lacks (a crash between the marker and its entry), so recovery and
// truncation keep it in step with the log.
// Leader checks for transactions (Kafka's ProducerAppendInfo): a non-transactional batch of a
// producer whose transaction is open is INVALID_TXN_STATE; data written by a coordinator (the
// group coordinator's TxnOffsetCommit) is checked for its epoch only, never its sequence; a
// marker with an older producer epoch is INVALID_PRODUCER_EPOCH, with an older coordinator epoch
// TRANSACTION_COORDINATOR_FENCED. A marker of a producer without an open transaction only moves
// its epoch (a retried marker, or a transaction with no data here).
// Deviation: the snapshot is written to a .tmp file and renamed (Kafka writes the file in place
// and relies on the CRC).

import fs from 'node:fs';
import path from 'node:path';
import type { AbortedTxn } from '../log/txn-index.ts';
import type { PartitionLog } from '../log/types.ts';
import { readMarker, type TxnMarker } from '../protocol/control-record.ts';
import { crc32c } from '../protocol/crc32c.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { ATTR, type BatchInfo, batchInfo, HEADER_SIZE, OFF, readInt64, writeInt64 } from '../protocol/record-batch.ts';

export const NUM_BATCHES_TO_RETAIN = 5;
const NO_PRODUCER_EPOCH = -1;
const NO_SEQUENCE = -1;
const SNAPSHOT_VERSION = 1;
const ENTRY_SIZE = 46;
const SNAPSHOT_FILE = /^(\d{20})\.snapshot$/;
const INT32_MAX = 0x7fffffff;

interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  timestamp: number;
}

export interface ProducerEntry {
  readonly producerId: number;
  epoch: number;
  /** The last batches, oldest first, at most NUM_BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** First offset of the producer's open transaction, -1 for none. */
  currentTxnFirstOffset: number;
}

/** Who writes: a client through Produce, or a coordinator on the broker (Kafka's AppendOrigin). */
export type AppendOrigin = 'client' | 'coordinator';

/** A transaction of one producer on this partition, from its first batch to its marker. */
interface TxnSpan {
  producerId: number;
  firstOffset: number;
  /** The marker's offset once completed. */
  lastOffset: number;
}

/** The leader's verdict on a Produce payload. */
export type ProducerCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number; timestamp: number }
  | { kind: 'error'; errorCode: number; message: string };

const APPEND: ProducerCheck = { kind: 'append' };
const error = (errorCode: number, message: string): ProducerCheck => ({ kind: 'error', errorCode, message });

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap to 0 after 2^31-1. */
function incrementSequence(seq: number, by: number): number {
  return seq > INT32_MAX - by ? by - (INT32_MAX - seq) - 1 : seq + by;
}

function decrementSequence(seq: number, by: number): number {
  return seq < by ? INT32_MAX - (by - seq) + 1 : seq - by;
}

function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === INT32_MAX);
}

/** Keeps spans ordered by first offset (appends come in offset order, so this is usually a push). */
function insertSorted(spans: TxnSpan[], t: TxnSpan): void {
  let i = spans.length;
  while (i > 0 && spans[i - 1].firstOffset > t.firstOffset) i--;
  spans.splice(i, 0, t);
}

export class ProducerStateManager {
  private producers = new Map<number, ProducerEntry>();
  /** The state reflects the log below this offset. */
  private mapEndOffset = 0;
  private lastSnapOffset = -1;
  /** Open transactions, by first offset. */
  private ongoing: TxnSpan[] = [];
  /** Completed transactions whose marker the high watermark has not passed yet, by first offset. */
  private unreplicated: TxnSpan[] = [];
  /** Where aborted transactions go (the log's `.txnindex`); set by the partition. */
  onAbortedTxn: ((t: AbortedTxn) => void) | null = null;

  /** dir null: no snapshots (the in-memory log of tests). */
  constructor(
    private readonly dir: string | null,
    private readonly logger: (msg: string) => void = () => {},
  ) {}

  get size(): number {
    return this.producers.size;
  }

  entry(producerId: number): Readonly<ProducerEntry> | undefined {
    return this.producers.get(producerId);
  }

  /** Every producer with state here (DescribeProducers). */
  activeProducers(): Iterable<Readonly<ProducerEntry>> {
    return this.producers.values();
  }

  /** Smallest first offset of an open or unreplicated transaction; Infinity when there is none. */
  get firstUnstableOffset(): number {
    const a = this.ongoing.length ? this.ongoing[0].firstOffset : Infinity;
    const b = this.unreplicated.length ? this.unreplicated[0].firstOffset : Infinity;
    return Math.min(a, b);
  }

  /** Smallest first offset of an open transaction; Infinity when there is none. */
  get firstUndecidedOffset(): number {
    return this.ongoing.length ? this.ongoing[0].firstOffset : Infinity;
  }

  /** The high watermark passed the markers below it: those transactions are stable. */
  onHighWatermarkUpdated(hw: number): void {
    if (this.unreplicated.length === 0) return;
    this.unreplicated = this.unreplicated.filter((t) => t.lastOffset >= hw);
  }

  // ------------------------------------------------------------------ leader checks

  /** Checks a validated Produce payload (or a coordinator's batch) before it is appended. */
  checkAsLeader(batches: readonly BatchInfo[], origin: AppendOrigin = 'client'): ProducerCheck {
    let idempotent = false;
    for (const b of batches) {
      if (b.attributes & ATTR.control && origin === 'client')
        return error(ErrorCode.INVALID_RECORD, 'clients cannot write control batches');
      if (b.producerId >= 0) idempotent = true;
      else if (b.attributes & ATTR.transactional)
        return error(ErrorCode.INVALID_RECORD, 'a transactional batch needs a producer id');
    }
    if (!idempotent) return APPEND;
    if (batches.length !== 1)
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_RECORD,
        message: 'an idempotent producer sends exactly one record batch per partition',
      };
    const b = batches[0];
    const e = this.producers.get(b.producerId);
    if (!e) return APPEND;
    const lastSeq = incrementSequence(b.baseSequence, b.lastOffsetDelta);
    if (b.producerEpoch === e.epoch && origin === 'client') {
      const dup = e.batches.find((m) => m.firstSeq === b.baseSequence && m.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset, timestamp: dup.timestamp };
    }
    const at = `producer ${b.producerId} at offset ${this.mapEndOffset}`;
    if (b.producerEpoch < e.epoch)
      return error(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `epoch of ${at} is ${b.producerEpoch}, which is smaller than the last seen epoch ${e.epoch}`,
      );
    if (e.currentTxnFirstOffset >= 0 && !(b.attributes & ATTR.transactional))
      return error(ErrorCode.INVALID_TXN_STATE, `expected a transactional write from ${at}: its transaction is open`);
    if (e.epoch === NO_PRODUCER_EPOCH || origin === 'coordinator') return APPEND;
    if (b.producerEpoch !== e.epoch) {
      if (b.baseSequence !== 0)
        return error(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `invalid sequence number for new epoch ${b.producerEpoch} of ${at}: ${b.baseSequence} (expected 0)`,
        );
      return APPEND;
    }
    const last = e.batches.length ? e.batches[e.batches.length - 1].lastSeq : NO_SEQUENCE;
    if (!inSequence(last, b.baseSequence))
      return error(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `out of order sequence number for ${at}: ${b.baseSequence} (incoming), ${last} (current end)`,
      );
    return APPEND;
  }

  /** Checks a transaction marker from WriteTxnMarkers before it is appended. */
  checkMarker(m: TxnMarker): ProducerCheck {
    const e = this.producers.get(m.producerId);
    if (!e) return APPEND;
    const at = `producer ${m.producerId} at offset ${this.mapEndOffset}`;
    if (m.producerEpoch < e.epoch)
      return error(ErrorCode.INVALID_PRODUCER_EPOCH, `marker epoch ${m.producerEpoch} of ${at} is older than ${e.epoch}`);
    if (m.coordinatorEpoch < e.coordinatorEpoch)
      return error(
        ErrorCode.TRANSACTION_COORDINATOR_FENCED,
        `coordinator epoch ${m.coordinatorEpoch} of the marker for ${at} is older than ${e.coordinatorEpoch}`,
      );
    return APPEND;
  }

  // ------------------------------------------------------------------ building state

  /**
   * Learns the batches of an appended region (they carry their offsets: a leader's after the
   * append, a follower's, or the log read during recovery), and that the state now reaches
   * endOffset. Reads batch headers in place.
   */
  observe(buf: Buffer, endOffset: number, onAborted = this.onAbortedTxn): void {
    for (let pos = 0; pos + HEADER_SIZE <= buf.length; pos += 12 + buf.readInt32BE(pos + OFF.batchLength)) {
      const producerId = readInt64(buf, pos + OFF.producerId);
      if (producerId < 0) continue;
      const attributes = buf.readInt16BE(pos + OFF.attributes);
      if (attributes & ATTR.control) {
        this.observeMarker(buf, pos, producerId, onAborted);
        continue;
      }
      this.observeBatch(
        producerId,
        buf.readInt16BE(pos + OFF.producerEpoch),
        buf.readInt32BE(pos + OFF.baseSequence),
        readInt64(buf, pos + OFF.baseOffset),
        buf.readInt32BE(pos + OFF.lastOffsetDelta),
        readInt64(buf, pos + OFF.maxTimestamp),
        attributes,
      );
    }
    this.mapEndOffset = Math.max(this.mapEndOffset, endOffset);
  }

  private entryFor(producerId: number): ProducerEntry {
    let e = this.producers.get(producerId);
    if (!e) {
      e = { producerId, epoch: NO_PRODUCER_EPOCH, batches: [], lastTimestamp: -1, coordinatorEpoch: -1, currentTxnFirstOffset: -1 };
      this.producers.set(producerId, e);
    }
    return e;
  }

  /** A commit or abort marker: closes the producer's open transaction (Kafka's appendEndTxnMarker). */
  private observeMarker(buf: Buffer, pos: number, producerId: number, onAborted: ((t: AbortedTxn) => void) | null): void {
    const offset = readInt64(buf, pos + OFF.baseOffset);
    const marker = readMarker(buf, batchInfo(buf, pos));
    const e = this.entryFor(producerId);
    const epoch = buf.readInt16BE(pos + OFF.producerEpoch);
    if (epoch !== e.epoch) {
      e.epoch = epoch;
      e.batches = [];
    }
    e.lastTimestamp = readInt64(buf, pos + OFF.maxTimestamp);
    if (!marker) return; // an empty control batch left by the cleaner
    e.coordinatorEpoch = marker.coordinatorEpoch;
    const first = e.currentTxnFirstOffset;
    e.currentTxnFirstOffset = -1;
    if (first < 0) return;
    const i = this.ongoing.findIndex((t) => t.producerId === producerId);
    if (i >= 0) this.ongoing.splice(i, 1);
    if (!marker.commit) {
      // Kafka's lastStableOffset(completedTxn): the next open transaction of another producer.
      const lastStableOffset = this.ongoing.length ? this.ongoing[0].firstOffset : offset + 1;
      onAborted?.({ producerId, firstOffset: first, lastOffset: offset, lastStableOffset });
    }
    insertSorted(this.unreplicated, { producerId, firstOffset: first, lastOffset: offset });
  }

  private observeBatch(
    producerId: number,
    epoch: number,
    baseSeq: number,
    baseOffset: number,
    delta: number,
    timestamp: number,
    attributes: number,
  ): void {
    const e = this.entryFor(producerId);
    if (epoch !== e.epoch) {
      e.epoch = epoch;
      e.batches = [];
    }
    e.lastTimestamp = timestamp;
    if (e.batches.length === NUM_BATCHES_TO_RETAIN) e.batches.shift();
    e.batches.push({
      firstSeq: baseSeq,
      lastSeq: incrementSequence(baseSeq, delta),
      firstOffset: baseOffset,
      lastOffset: baseOffset + delta,
      timestamp,
    });
    if (attributes & ATTR.transactional && e.currentTxnFirstOffset < 0) {
      e.currentTxnFirstOffset = baseOffset;
      insertSorted(this.ongoing, { producerId, firstOffset: baseOffset, lastOffset: -1 });
    }
  }

  /** Removes producers idle for expirationMs (by their last batch's timestamp), as Kafka. */
  removeExpired(now: number, expirationMs: number): number {
    let n = 0;
    for (const [id, e] of this.producers) {
      if (e.currentTxnFirstOffset < 0 && now - e.lastTimestamp >= expirationMs) {
        this.producers.delete(id);
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ snapshots and recovery

  /**
   * Rebuilds the state for the log as it is: from the newest valid snapshot at or below the log
   * end (snapshots beyond it are deleted), then the batches after it. Used at open and after a
   * truncation.
   */
  reload(log: PartitionLog, now: number, expirationMs: number): void {
    this.producers.clear();
    this.ongoing = [];
    this.unreplicated = [];
    const leo = log.logEndOffset;
    const offsets = this.snapshotOffsets();
    for (const o of offsets) if (o > leo) this.deleteSnapshot(o);
    this.mapEndOffset = log.logStartOffset;
    this.lastSnapOffset = -1;
    for (const o of offsets.filter((x) => x <= leo).reverse()) {
      const entries = this.readSnapshot(o);
      if (!entries) {
        this.deleteSnapshot(o);
        continue;
      }
      for (const e of entries) {
        if (e.currentTxnFirstOffset < 0 && now - e.lastTimestamp >= expirationMs) continue;
        this.producers.set(e.producerId, e);
        if (e.currentTxnFirstOffset >= 0)
          insertSorted(this.ongoing, { producerId: e.producerId, firstOffset: e.currentTxnFirstOffset, lastOffset: -1 });
      }
      this.mapEndOffset = Math.max(o, log.logStartOffset);
      this.lastSnapOffset = o;
      break;
    }
    let offset = this.mapEndOffset;
    // The replay finds the aborted transactions after the snapshot again; the log keeps the
    // entries it has and adds those a crash kept from its `.txnindex`.
    const onAborted = (t: AbortedTxn) => log.addAbortedTxn(t);
    while (offset < leo) {
      const { chunks } = log.read(offset, 1 << 20);
      if (chunks.length === 0) break;
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      let next = offset;
      for (let pos = 0; pos + HEADER_SIZE <= buf.length; pos += 12 + buf.readInt32BE(pos + OFF.batchLength))
        next = readInt64(buf, pos) + buf.readInt32BE(pos + OFF.lastOffsetDelta) + 1;
      if (next <= offset) break; // nothing readable: stop rather than spin
      this.observe(buf, next, onAborted);
      offset = next;
    }
    this.mapEndOffset = leo;
  }

  /** Forgets everything (a follower starting over at `offset`, below which nothing is kept). */
  truncateFullyAndStartAt(offset: number): void {
    this.producers.clear();
    this.ongoing = [];
    this.unreplicated = [];
    for (const o of this.snapshotOffsets()) this.deleteSnapshot(o);
    this.mapEndOffset = offset;
    this.lastSnapOffset = -1;
  }

  /**
   * Writes a snapshot at the current end offset (segment roll, clean shutdown) unless one is
   * there, and deletes those below keepFrom (the log start) except the newest.
   */
  takeSnapshot(keepFrom = 0): void {
    if (this.dir === null) return;
    if (this.mapEndOffset > this.lastSnapOffset) {
      this.writeSnapshot(this.mapEndOffset);
      this.lastSnapOffset = this.mapEndOffset;
    }
    const offsets = this.snapshotOffsets();
    for (const o of offsets.slice(0, -1)) if (o < keepFrom) this.deleteSnapshot(o);
  }

  /** Offset the state reflects the log up to (exclusive). */
  get endOffset(): number {
    return this.mapEndOffset;
  }

  private file(offset: number): string {
    return path.join(this.dir!, `${String(offset).padStart(20, '0')}.snapshot`);
  }

  private snapshotOffsets(): number[] {
    if (this.dir === null) return [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .map((n) => SNAPSHOT_FILE.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private deleteSnapshot(offset: number): void {
    fs.rmSync(this.file(offset), { force: true });
  }

  private writeSnapshot(offset: number): void {
    const entries = [...this.producers.values()];
    const buf = Buffer.alloc(10 + entries.length * ENTRY_SIZE);
    buf.writeInt16BE(SNAPSHOT_VERSION, 0);
    buf.writeInt32BE(entries.length, 6);
    let p = 10;
    for (const e of entries) {
      const last = e.batches[e.batches.length - 1];
      writeInt64(buf, p, e.producerId);
      buf.writeInt16BE(e.epoch, p + 8);
      buf.writeInt32BE(last ? last.lastSeq : NO_SEQUENCE, p + 10);
      writeInt64(buf, p + 14, last ? last.lastOffset : -1);
      buf.writeInt32BE(last ? last.lastOffset - last.firstOffset : 0, p + 22);
      writeInt64(buf, p + 26, e.lastTimestamp);
      buf.writeInt32BE(e.coordinatorEpoch, p + 34);
      writeInt64(buf, p + 38, e.currentTxnFirstOffset);
      p += ENTRY_SIZE;
    }
    buf.writeUInt32BE(crc32c(buf, 6), 2);
    const file = this.file(offset);
    const tmp = `${file}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, buf);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      // The partition directory is being deleted: the snapshot goes with it.
      this.logger(`producer state snapshot ${file} not written: ${(e as Error).message}`);
    }
  }

  /** The entries of a snapshot, or null if it is missing, torn or of another version. */
  private readSnapshot(offset: number): ProducerEntry[] | null {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.file(offset));
    } catch {
      return null;
    }
    if (buf.length < 10 || buf.readInt16BE(0) !== SNAPSHOT_VERSION) return null;
    if (crc32c(buf, 6) !== buf.readUInt32BE(2)) return null;
    const n = buf.readInt32BE(6);
    if (n < 0 || buf.length !== 10 + n * ENTRY_SIZE) return null;
    const out: ProducerEntry[] = [];
    for (let i = 0, p = 10; i < n; i++, p += ENTRY_SIZE) {
      const lastSeq = buf.readInt32BE(p + 10);
      const lastOffset = readInt64(buf, p + 14);
      const delta = buf.readInt32BE(p + 22);
      const timestamp = readInt64(buf, p + 26);
      out.push({
        producerId: readInt64(buf, p),
        epoch: buf.readInt16BE(p + 8),
        batches:
          lastOffset >= 0
            ? [{ firstSeq: decrementSequence(lastSeq, delta), lastSeq, firstOffset: lastOffset - delta, lastOffset, timestamp }]
            : [],
        lastTimestamp: timestamp,
        coordinatorEpoch: buf.readInt32BE(p + 34),
        currentTxnFirstOffset: readInt64(buf, p + 38),
      });
    }
    return out;
  }
}
