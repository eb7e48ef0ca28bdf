// Record-level reading and rewriting of one v2 batch for the log cleaner. Pure, no I/O.
// A rewritten batch is the original with some records left out, as Kafka's
// MemoryRecords.filterTo builds it: same base offset, last offset delta (so the producer's last
// sequence survives), producer id, epoch, base sequence, partition leader epoch, attributes
// and codec (recompressed); records keep their own bytes (offset and timestamp deltas are
// relative to the unchanged base), the CRC and maxTimestamp are recomputed.
// Delete horizon (KIP-534): the first rewrite of a batch that keeps a tombstone stores
// now + delete.retention.ms as the batch's base timestamp and sets attribute bit 0x40; the
// records' timestamp deltas are re-encoded against it so their timestamps do not change.
// An empty batch (every record removed, kept for its producer state) is Kafka's empty header:
// no records, uncompressed, base timestamp -1, the original max timestamp.
// Deviation from Kafka: a batch rewritten without a new horizon keeps its base timestamp and
// deltas (Kafka rebases them on the first kept record); timestamps read back the same.

import { canDecode, compress, decompress } from '../protocol/compression.ts';
import { crc32c } from '../protocol/crc32c.ts';
import { ATTR, HEADER_SIZE, OFF, writeInt64, type BatchInfo } from '../protocol/record-batch.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';

export interface RecordRef {
  offset: number;
  timestamp: number;
  /** A view into the decompressed records section; null for a record without a key. */
  key: Buffer | null;
  tombstone: boolean;
  /** The record's bytes after its length prefix: [start, end) in the section. */
  start: number;
  end: number;
  /** Where its timestamp delta varlong ends (the delta starts at start + 1, after attributes). */
  tsEnd: number;
}

export interface BatchRecords {
  section: Buffer;
  records: RecordRef[];
}

/** The records of the batch at info.pos in buf (decompressing it); throws on a malformed batch. */
export function readRecords(buf: Buffer, info: BatchInfo): BatchRecords {
  const raw = buf.subarray(info.pos + HEADER_SIZE, info.pos + info.size);
  const section = decompress(info.attributes & ATTR.compressionMask, raw);
  const r = new Reader(section);
  const records: RecordRef[] = [];
  for (let i = 0; i < info.recordsCount; i++) {
    const len = r.varint();
    const start = r.pos;
    const end = start + len;
    if (len < 0 || end > section.length) throw new Error(`record ${i} overruns its batch at ${info.baseOffset}`);
    r.int8(); // attributes
    const timestamp = info.baseTimestamp + r.varlong();
    const tsEnd = r.pos;
    const offset = info.baseOffset + r.varint();
    const kl = r.varint();
    const key = kl < 0 ? null : section.subarray(r.pos, r.pos + kl);
    if (kl > 0) r.pos += kl;
    const vl = r.varint();
    records.push({ offset, timestamp, key, tombstone: vl < 0, start, end, tsEnd });
    r.pos = end;
  }
  return { section, records };
}

/**
 * The batch keeping only `kept` (records of `from`, in order). With deleteHorizon >= 0 the
 * batch gets that horizon as its base timestamp (see the header).
 */
export function rebuildBatch(buf: Buffer, info: BatchInfo, from: BatchRecords, kept: RecordRef[], deleteHorizon = -1): Buffer {
  const base = deleteHorizon >= 0 ? deleteHorizon : info.baseTimestamp;
  const w = new Writer(Math.max(256, info.size));
  let maxTs = -1;
  for (const rec of kept) {
    maxTs = Math.max(maxTs, rec.timestamp);
    if (deleteHorizon < 0) {
      w.varint(rec.end - rec.start).bytes(from.section.subarray(rec.start, rec.end));
      continue;
    }
    const body = new Writer(rec.end - rec.start + 10);
    body.int8(from.section[rec.start]).varlong(rec.timestamp - base).bytes(from.section.subarray(rec.tsEnd, rec.end));
    const b = body.toBuffer();
    w.varint(b.length).bytes(b);
  }
  let attributes = info.attributes;
  if (deleteHorizon >= 0) attributes |= ATTR.deleteHorizon;
  // LogAppendTime batches carry the append time as their max timestamp, whatever the records say.
  if (attributes & ATTR.logAppendTime) maxTs = info.maxTimestamp;
  const section = compress(attributes & ATTR.compressionMask, w.toBuffer());
  const out = Buffer.allocUnsafe(HEADER_SIZE + section.length);
  buf.copy(out, 0, info.pos, info.pos + HEADER_SIZE);
  out.writeInt32BE(out.length - 12, OFF.batchLength);
  out.writeInt16BE(attributes, OFF.attributes);
  writeInt64(out, OFF.baseTimestamp, base);
  writeInt64(out, OFF.maxTimestamp, maxTs);
  out.writeInt32BE(kept.length, OFF.recordsCount);
  section.copy(out, HEADER_SIZE);
  out.writeUInt32BE(crc32c(out, OFF.attributes), OFF.crc);
  return out;
}

/** Kafka's empty batch header: keeps offsets, producer id/epoch/sequence, flags; no records. */
export function emptyBatch(buf: Buffer, info: BatchInfo): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE);
  buf.copy(out, 0, info.pos, info.pos + HEADER_SIZE);
  out.writeInt32BE(HEADER_SIZE - 12, OFF.batchLength);
  out.writeInt16BE(info.attributes & ~(ATTR.compressionMask | ATTR.deleteHorizon), OFF.attributes);
  writeInt64(out, OFF.baseTimestamp, -1);
  out.writeInt32BE(0, OFF.recordsCount);
  out.writeUInt32BE(crc32c(out, OFF.attributes), OFF.crc);
  return out;
}

/** The batch's delete horizon (KIP-534), or -1 when it has none. */
export function deleteHorizonOf(info: BatchInfo): number {
  return info.attributes & ATTR.deleteHorizon ? info.baseTimestamp : -1;
}

/**
 * True if a batch of a Produce payload has a record without a key, which a compacted topic
 * refuses (Kafka's LogValidator: INVALID_RECORD). Control batches and codecs this runtime cannot
 * decode are not looked into (see protocol/compression.ts).
 */
export function hasKeylessRecord(buf: Buffer, batches: readonly BatchInfo[]): boolean {
  return batches.some(
    (b) =>
      !(b.attributes & ATTR.control) &&
      canDecode(b.attributes & ATTR.compressionMask) &&
      readRecords(buf, b).records.some((r) => r.key === null),
  );
}
