// Control records (Kafka's EndTransactionMarker): the one record of a control batch that closes a
// transaction on a partition. Key: int16 version 0, int16 type (0 = ABORT, 1 = COMMIT); value:
// int16 version 0, int32 coordinator epoch. The batch carries the producer id and epoch, the
// transactional and control attributes and no sequence, as Kafka writes it. Pure.

import { ATTR, type BatchInfo, batchInfo, buildBatch, HEADER_SIZE } from './record-batch.ts';
import { Reader } from './reader.ts';

export const CONTROL_ABORT = 0;
export const CONTROL_COMMIT = 1;

export interface TxnMarker {
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
}

/** One control batch holding the marker, offsets to be assigned by the log. */
export function buildMarkerBatch(m: TxnMarker, timestamp = Date.now()): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(m.commit ? CONTROL_COMMIT : CONTROL_ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(m.coordinatorEpoch, 2);
  return buildBatch([{ key, value, timestamp }], {
    producerId: m.producerId,
    producerEpoch: m.producerEpoch,
    transactional: true,
    control: true,
  });
}

/**
 * The marker in a control batch whose first record starts right after the header (control
 * batches are never compressed), or null when the batch holds none (a cleaned, empty batch) or
 * an unknown control type.
 */
export function readMarker(buf: Buffer, info: BatchInfo = batchInfo(buf, 0)): { commit: boolean; coordinatorEpoch: number } | null {
  if (!(info.attributes & ATTR.control) || info.recordsCount < 1) return null;
  try {
    const r = new Reader(buf.subarray(info.pos + HEADER_SIZE, info.pos + info.size));
    r.varint(); // record length
    r.int8(); // attributes
    r.varlong(); // timestamp delta
    r.varint(); // offset delta
    const kl = r.varint();
    if (kl < 4) return null;
    const key = r.slice(kl);
    const type = key.readInt16BE(2);
    if (type !== CONTROL_ABORT && type !== CONTROL_COMMIT) return null;
    const vl = r.varint();
    const coordinatorEpoch = vl >= 6 ? r.slice(vl).readInt32BE(2) : -1;
    return { commit: type === CONTROL_COMMIT, coordinatorEpoch };
  } catch {
    return null;
  }
}
