// Records of the `__transaction_state` internal topic, in Kafka's formats
// (../shared/kafka-reference/internal-topics/TransactionLog*.json): key = int16 version 0 and the
// transactional id; value = int16 version and TransactionLogValue (producer id and epoch, timeout,
// status id, partitions, last update and start timestamps); a null value is a tombstone (an
// expired transactional id). Written as value version 0, as Kafka does until transaction.version
// 1 (version 1 is flexible and adds tagged fields; it is read too). Partitions are null in the
// Empty state, as Kafka writes them.

import { Reader } from '../protocol/reader.ts';
import { array, decode, narray, struct, T } from '../protocol/schema.ts';
import { msg, versioned } from './records.ts';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

/** Kafka's TransactionState ids and names (DescribeTransactions / ListTransactions show the names). */
export const TXN_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;
export type TxnState = (typeof TXN_STATES)[number];

const TransactionLogKey = msg({ transactionalId: T.string });
const PartitionsSchema = struct({ topic: T.string, partitionIds: array(T.int32) });
const TransactionLogValue = msg(
  {
    producerId: T.int64,
    previousProducerId: { type: T.int64, v: '1+', tag: 0, default: -1 },
    nextProducerId: { type: T.int64, v: '1+', tag: 1, default: -1 },
    producerEpoch: T.int16,
    transactionTimeoutMs: T.int32,
    transactionStatus: T.int8,
    transactionPartitions: narray(PartitionsSchema),
    transactionLastUpdateTimestampMs: T.int64,
    transactionStartTimestampMs: T.int64,
    clientTransactionVersion: { type: T.int16, v: '1+', tag: 2, default: 0 },
  },
  1,
);

export interface TxnRecordValue {
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  /** topic -> partitions (empty in Empty and Complete* states). */
  partitions: { topic: string; partitions: number[] }[];
  lastUpdateTimestamp: number;
  startTimestamp: number;
}

export function txnKey(transactionalId: string): Buffer {
  return versioned(TransactionLogKey, 0, { transactionalId });
}

export function txnValue(v: TxnRecordValue): Buffer {
  return versioned(TransactionLogValue, 0, {
    producerId: v.producerId,
    producerEpoch: v.producerEpoch,
    transactionTimeoutMs: v.timeoutMs,
    transactionStatus: TXN_STATES.indexOf(v.state),
    transactionPartitions:
      v.state === 'Empty' ? null : v.partitions.map((p) => ({ topic: p.topic, partitionIds: p.partitions })),
    transactionLastUpdateTimestampMs: v.lastUpdateTimestamp,
    transactionStartTimestampMs: v.startTimestamp,
  });
}

/**
 * Decodes one record: the transactional id and its value (null for a tombstone), or null for a
 * key version this broker does not know (skipped, as Kafka does). Throws on a malformed record.
 */
export function decodeTxnRecord(key: Buffer | null, value: Buffer | null): { transactionalId: string; value: TxnRecordValue | null } | null {
  if (!key || key.length < 2) return null;
  const kr = new Reader(key);
  const kv = kr.int16();
  if (kv !== 0) return null;
  const { transactionalId } = decode(TransactionLogKey, 0, kr);
  if (!value) return { transactionalId, value: null };
  const vr = new Reader(value);
  const ver = vr.int16();
  const v = decode(TransactionLogValue, Math.min(ver, 1), vr);
  const state = TXN_STATES[v.transactionStatus];
  if (state === undefined) throw new Error(`unknown transaction status ${v.transactionStatus}`);
  return {
    transactionalId,
    value: {
      producerId: v.producerId,
      producerEpoch: v.producerEpoch,
      timeoutMs: v.transactionTimeoutMs,
      state,
      partitions: (v.transactionPartitions ?? []).map((p) => ({ topic: p.topic, partitions: p.partitionIds })),
      lastUpdateTimestamp: v.transactionLastUpdateTimestampMs,
      startTimestamp: v.transactionStartTimestampMs,
    },
  };
}
