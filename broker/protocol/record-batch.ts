// Record batches, magic v2 (the only format Produce v3+ and Fetch v4+ carry). Pure, no I/O.
// The hot path never decodes records: it validates framing and CRC-32C, reads header fields in
// place and patches baseOffset / partitionLeaderEpoch (both outside the CRC). Record-level
// decode/encode is here for internal topics, timestamp lookup and tests.
// Deviation from Kafka: records inside a compressed batch are not decompressed to validate them
// on produce (Kafka's LogValidator does); the batch CRC and header are validated.

import { nodeZlib } from '../lazy-builtins.ts';
import { crc32c } from './crc32c.ts';
import { Reader } from './reader.ts';
import { Writer, writeInt64 } from './writer.ts';

export const HEADER_SIZE = 61;
export const OFF = {
  baseOffset: 0,
  batchLength: 8,
  leaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

export const ATTR = { compressionMask: 0x07, logAppendTime: 0x08, transactional: 0x10, control: 0x20, deleteHorizon: 0x40 };

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}
export { writeInt64 };

/** Header fields of one batch, read in place. */
export interface BatchInfo {
  pos: number; // start within the buffer
  size: number; // whole batch, 12 + batchLength
  baseOffset: number;
  lastOffsetDelta: number;
  maxTimestamp: number;
  baseTimestamp: number;
  attributes: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
  leaderEpoch: number;
}

export function batchInfo(buf: Buffer, pos: number): BatchInfo {
  return {
    pos,
    size: 12 + buf.readInt32BE(pos + OFF.batchLength),
    baseOffset: readInt64(buf, pos),
    lastOffsetDelta: buf.readInt32BE(pos + OFF.lastOffsetDelta),
    maxTimestamp: readInt64(buf, pos + OFF.maxTimestamp),
    baseTimestamp: readInt64(buf, pos + OFF.baseTimestamp),
    attributes: buf.readInt16BE(pos + OFF.attributes),
    producerId: readInt64(buf, pos + OFF.producerId),
    producerEpoch: buf.readInt16BE(pos + OFF.producerEpoch),
    baseSequence: buf.readInt32BE(pos + OFF.baseSequence),
    recordsCount: buf.readInt32BE(pos + OFF.recordsCount),
    leaderEpoch: buf.readInt32BE(pos + OFF.leaderEpoch),
  };
}

export type BatchError = 'CORRUPT_MESSAGE' | 'INVALID_RECORD' | 'UNSUPPORTED_COMPRESSION_TYPE';

/**
 * Validates a Produce records payload: whole batches only, magic 2, sane lengths, matching
 * CRC-32C. Returns the batches' header info, or the Kafka error to answer.
 */
export function validateBatches(buf: Buffer): BatchInfo[] | BatchError {
  const out: BatchInfo[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < HEADER_SIZE) return 'CORRUPT_MESSAGE';
    const len = buf.readInt32BE(pos + OFF.batchLength);
    if (len < HEADER_SIZE - 12 || pos + 12 + len > buf.length) return 'CORRUPT_MESSAGE';
    if (buf[pos + OFF.magic] !== 2) return 'INVALID_RECORD';
    const end = pos + 12 + len;
    if (crc32c(buf, pos + OFF.attributes, end) !== buf.readUInt32BE(pos + OFF.crc)) return 'CORRUPT_MESSAGE';
    const info = batchInfo(buf, pos);
    if ((info.attributes & ATTR.compressionMask) > 4) return 'UNSUPPORTED_COMPRESSION_TYPE';
    if (info.recordsCount < 0 || info.lastOffsetDelta < 0) return 'CORRUPT_MESSAGE';
    out.push(info);
    pos = end;
  }
  return out.length ? out : 'CORRUPT_MESSAGE';
}

/**
 * Walks batches laid end to end (a segment file region), stopping at the first incomplete or
 * invalid one. Returns the byte length of the valid prefix. Used by log recovery.
 */
export function scanValidPrefix(
  buf: Buffer,
  onBatch?: (info: BatchInfo) => void,
  checkCrc = true,
): number {
  let pos = 0;
  while (buf.length - pos >= HEADER_SIZE) {
    const len = buf.readInt32BE(pos + OFF.batchLength);
    if (len < HEADER_SIZE - 12 || pos + 12 + len > buf.length) break;
    if (buf[pos + OFF.magic] !== 2) break;
    const end = pos + 12 + len;
    if (checkCrc && crc32c(buf, pos + OFF.attributes, end) !== buf.readUInt32BE(pos + OFF.crc)) break;
    onBatch?.(batchInfo(buf, pos));
    pos = end;
  }
  return pos;
}

/** The offset after the last whole batch in a chunk of batches laid end to end (0 for none). */
export function nextOffsetAfter(chunk: Buffer): number {
  let pos = 0;
  let end = 0;
  while (pos + HEADER_SIZE <= chunk.length) {
    end = readInt64(chunk, pos) + chunk.readInt32BE(pos + OFF.lastOffsetDelta) + 1;
    pos += 12 + chunk.readInt32BE(pos + OFF.batchLength);
  }
  return end;
}

/** Patches the fields the leader assigns; both lie outside the CRC. */
export function patchBatch(buf: Buffer, pos: number, baseOffset: number, leaderEpoch: number): void {
  writeInt64(buf, pos + OFF.baseOffset, baseOffset);
  buf.writeInt32BE(leaderEpoch, pos + OFF.leaderEpoch);
}

/** Sets maxTimestamp (LogAppendTime topics) and recomputes the CRC, as Kafka does. */
export function setLogAppendTime(buf: Buffer, pos: number, now: number): void {
  const size = 12 + buf.readInt32BE(pos + OFF.batchLength);
  buf.writeInt16BE(buf.readInt16BE(pos + OFF.attributes) | ATTR.logAppendTime, pos + OFF.attributes);
  writeInt64(buf, pos + OFF.maxTimestamp, now);
  buf.writeUInt32BE(crc32c(buf, pos + OFF.attributes, pos + size), pos + OFF.crc);
}

// ---------------------------------------------------------------- records

export interface Header {
  key: string;
  value: Buffer | null;
}
export interface Record {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Header[];
}

function recordsBody(buf: Buffer, info: BatchInfo): Buffer {
  const body = buf.subarray(info.pos + HEADER_SIZE, info.pos + info.size);
  const codec = info.attributes & ATTR.compressionMask;
  if (codec === 0) return body;
  if (codec === 1) return nodeZlib().gunzipSync(body);
  throw new Error(`compression codec ${codec} not supported for record decoding`);
}

/** Decodes the records of one batch (uncompressed or gzip). */
export function decodeRecords(buf: Buffer, info: BatchInfo = batchInfo(buf, 0)): Record[] {
  const body = recordsBody(buf, info);
  const r = new Reader(body);
  const out: Record[] = [];
  for (let i = 0; i < info.recordsCount; i++) {
    const len = r.varint();
    const end = r.pos + len;
    r.int8(); // attributes
    const timestamp = info.baseTimestamp + r.varlong();
    const offset = info.baseOffset + r.varint();
    const kl = r.varint();
    const key = kl < 0 ? null : Buffer.from(r.slice(kl));
    const vl = r.varint();
    const value = vl < 0 ? null : Buffer.from(r.slice(vl));
    const hn = r.varint();
    const headers: Header[] = [];
    for (let h = 0; h < hn; h++) {
      const hk = r.utf8(r.varint());
      const hvl = r.varint();
      headers.push({ key: hk, value: hvl < 0 ? null : Buffer.from(r.slice(hvl)) });
    }
    out.push({ offset, timestamp, key, value, headers });
    r.pos = end;
  }
  return out;
}

export interface BatchOptions {
  baseOffset?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  compression?: 'none' | 'gzip';
  leaderEpoch?: number;
}
export interface RecordIn {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { key: string; value: Buffer | string | null }[];
  timestamp?: number;
}

const toBuf = (v: Buffer | string | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);

/** Builds one v2 batch (for internal topics, control records and tests). */
export function buildBatch(records: RecordIn[], o: BatchOptions = {}): Buffer {
  const now = Date.now();
  const base = records.length ? (records[0].timestamp ?? now) : now;
  let maxTs = base;
  const body = new Writer(256);
  records.forEach((rec, i) => {
    const ts = rec.timestamp ?? now;
    if (ts > maxTs) maxTs = ts;
    const w = new Writer(64);
    w.int8(0).varlong(ts - base).varint(i);
    const k = toBuf(rec.key);
    if (k === null) w.varint(-1);
    else w.varint(k.length).bytes(k);
    const v = toBuf(rec.value);
    if (v === null) w.varint(-1);
    else w.varint(v.length).bytes(v);
    const hs = rec.headers ?? [];
    w.varint(hs.length);
    for (const h of hs) {
      const hk = Buffer.from(h.key);
      w.varint(hk.length).bytes(hk);
      const hv = toBuf(h.value);
      if (hv === null) w.varint(-1);
      else w.varint(hv.length).bytes(hv);
    }
    const rb = w.toBuffer();
    body.varint(rb.length).bytes(rb);
  });
  let payload = body.toBuffer();
  let attributes = 0;
  if (o.compression === 'gzip') {
    payload = nodeZlib().gzipSync(payload);
    attributes |= 1;
  }
  if (o.transactional) attributes |= ATTR.transactional;
  if (o.control) attributes |= ATTR.control;
  const buf = Buffer.alloc(HEADER_SIZE + payload.length);
  writeInt64(buf, OFF.baseOffset, o.baseOffset ?? 0);
  buf.writeInt32BE(buf.length - 12, OFF.batchLength);
  buf.writeInt32BE(o.leaderEpoch ?? 0, OFF.leaderEpoch);
  buf.writeInt8(2, OFF.magic);
  buf.writeInt16BE(attributes, OFF.attributes);
  buf.writeInt32BE(Math.max(records.length - 1, 0), OFF.lastOffsetDelta);
  writeInt64(buf, OFF.baseTimestamp, base);
  writeInt64(buf, OFF.maxTimestamp, maxTs);
  writeInt64(buf, OFF.producerId, o.producerId ?? -1);
  buf.writeInt16BE(o.producerEpoch ?? -1, OFF.producerEpoch);
  buf.writeInt32BE(o.baseSequence ?? -1, OFF.baseSequence);
  buf.writeInt32BE(records.length, OFF.recordsCount);
  payload.copy(buf, HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, OFF.attributes), OFF.crc);
  return buf;
}

/** The bytes of a records field as the codec carries it: one buffer, several (a read of many batches), or none. */
export function recordBytes(records: Buffer | Buffer[] | null | undefined): number {
  if (!records) return 0;
  if (!Array.isArray(records)) return records.length;
  let n = 0;
  for (const b of records) n += b.length;
  return n;
}
