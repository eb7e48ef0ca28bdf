// Read-only view of the committed metadata log, for the console's cluster timeline (served as
// JSON on GET /metadata/records of the node's metrics port, see metrics/http-server.ts). Every
// node holds the same committed log (voters and observers alike), so any live node can answer
// and a reader can move from one node to another with the same cursor (offsets are the log's).
// A reader behind the log start (the entries a snapshot replaced) gets the snapshot's
// materialized state first, then the entries after it. Only entries this node has applied are
// returned: they are committed and never truncated.
// Deviation from Kafka: Kafka exposes no such endpoint (its metadata log is read through the
// `kafka-metadata-shell` / `kafka-dump-log` tools on a stopped or live node's files); this is a
// Samsa-only read on the loopback metrics port.

import type { RaftEntry, Snapshot } from './raft-store.ts';

/** What the feed needs of a Raft node (raft.ts's RaftNode has it). */
export interface MetadataLogView {
  readonly applied: number;
  readonly store: {
    readonly startOffset: number;
    readonly snapshot: Snapshot | null;
    slice(from: number, max: number): RaftEntry[];
  };
}

export interface FeedRecord {
  offset: number;
  /** Raft epoch of the entry. */
  epoch: number;
  /** The controller's clock when it proposed the record (ms since the epoch); null for records
   *  written before records carried one (and for imported single-node metadata). */
  at: number | null;
  record: unknown;
}

export interface FeedPage {
  /** First offset still held as an entry (older ones are in the snapshot). */
  logStartOffset: number;
  /** Entries below this offset are committed and applied here: the next `after` is at most this - 1. */
  appliedOffset: number;
  /** The state below `snapshot.endOffset`, when the reader asked for entries the log no longer holds. */
  snapshot: { endOffset: number; data: unknown } | null;
  records: FeedRecord[];
}

export const FEED_MAX_RECORDS = 1000;

const timeOf = (record: unknown): number | null => {
  const at = (record as { at?: unknown } | null)?.at;
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
};

/** Committed entries with offsets greater than `after` (-1: from the start), at most `max`. */
export function readFeed(log: MetadataLogView, after: number, max = FEED_MAX_RECORDS): FeedPage {
  const { store } = log;
  const start = store.startOffset;
  let from = after + 1;
  let snapshot: FeedPage['snapshot'] = null;
  if (from < start && store.snapshot) {
    snapshot = { endOffset: store.snapshot.endOffset, data: store.snapshot.data };
    from = store.snapshot.endOffset;
  }
  from = Math.max(from, start);
  const upTo = log.applied;
  const entries = from < upTo ? store.slice(from, Math.min(max, upTo - from)) : [];
  return {
    logStartOffset: start,
    appliedOffset: upTo,
    snapshot,
    records: entries.map((e) => ({ offset: e.offset, epoch: e.epoch, at: timeOf(e.record), record: e.record })),
  };
}
