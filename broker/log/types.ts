// The partition log contract. The broker talks to storage only through these interfaces;
// `file-log.ts` is Kafka's on-disk layout, `memory-log.ts` its in-memory twin for tests.

import type { ReadAlloc } from './read-buffers.ts';
import type { AbortedTxn } from './txn-index.ts';

export interface AppendResult {
  baseOffset: number; // offset assigned to the first record of the first batch
  lastOffset: number; // offset of the last record appended
  logAppendTime: number; // -1 unless the topic uses LogAppendTime
  logStartOffset: number;
}

export interface ReadResult {
  /** Whole batches as buffer slices, starting with the batch that contains fetchOffset. */
  chunks: Buffer[];
  bytes: number;
}

export interface LogConfig {
  segmentBytes: number; // segment.bytes
  segmentMs: number; // segment.ms
  retentionMs: number; // retention.ms, -1 = unlimited
  retentionBytes: number; // retention.bytes, -1 = unlimited
  indexIntervalBytes: number; // index.interval.bytes
  flushMessages: number; // flush.messages (Long.MAX = never forced)
  flushMs: number; // flush.ms
  logAppendTime: boolean; // message.timestamp.type=LogAppendTime
  compact: boolean; // cleanup.policy includes compact: the log cleaner keeps the latest record per key
  delete: boolean; // cleanup.policy includes delete: retention.ms / retention.bytes delete old segments
  deleteRetentionMs: number; // delete.retention.ms: how long the cleaner keeps tombstones
  minCleanableDirtyRatio: number; // min.cleanable.dirty.ratio
  minCompactionLagMs: number; // min.compaction.lag.ms
  maxCompactionLagMs: number; // max.compaction.lag.ms
}

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** First offset still readable (moves with retention and DeleteRecords). */
  readonly logStartOffset: number;
  /** Offset the next appended record gets. */
  readonly logEndOffset: number;
  /** Total bytes of all segments. */
  readonly size: number;
  /**
   * Appends validated batches (a Produce payload: batches end to end), assigning offsets from
   * logEndOffset by patching baseOffset and partitionLeaderEpoch in place.
   */
  append(batches: Buffer, leaderEpoch: number): AppendResult;
  /** Appends batches that already carry their offsets (a follower copying its leader). */
  appendAsFollower(batches: Buffer): void;
  /**
   * Reads whole batches from the one containing offset, up to maxBytes (at least one batch),
   * below maxOffset; into memory from alloc (fresh memory by default: read-buffers.ts).
   */
  read(offset: number, maxBytes: number, maxOffset?: number, alloc?: ReadAlloc): ReadResult;
  /** First offset whose timestamp >= ts, with that timestamp; null if none. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null;
  /** Offset and timestamp of the record with the largest timestamp; null when empty. */
  maxTimestamp(): { offset: number; timestamp: number } | null;
  /**
   * Records a transaction aborted by the marker at t.lastOffset (the `.txnindex` of its segment);
   * a replay of a marker the index already has (t.lastOffset not after its last entry) is a no-op.
   */
  addAbortedTxn(t: AbortedTxn): void;
  /** Aborted transactions overlapping [fetchOffset, upperBound), as Kafka's collectAbortedTransactions. */
  collectAbortedTxns(fetchOffset: number, upperBound: number): AbortedTxn[];
  /** Moves logStartOffset forward (DeleteRecords); deletes segments entirely below it. */
  advanceStartOffset(offset: number): void;
  /** Removes everything at and above offset (follower truncation). */
  truncateTo(offset: number): void;
  /**
   * Deletes whole segments below the start offset and, with cleanup.policy delete, past
   * retention.ms / retention.bytes (a compact-only log keeps them for the cleaner); returns
   * segments deleted.
   */
  applyRetention(now: number): number;
  updateConfig(config: LogConfig): void;
  /** Called when a new segment is created for an append, before that append is written. */
  onRoll: ((baseOffset: number) => void) | null;
  flush(): void;
  close(): void;
  /** Closes and removes the partition's files (topic deletion). */
  delete(): void;
}

/** Kafka's defaults (1 GiB / 7-day segments, 7-day retention, flushing left to the OS). */
export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  retentionMs: 604800000,
  retentionBytes: -1,
  indexIntervalBytes: 4096,
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  logAppendTime: false,
  compact: false,
  delete: true,
  deleteRetentionMs: 86400000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
};
