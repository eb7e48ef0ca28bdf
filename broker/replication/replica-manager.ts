// Data replication of one node, Kafka-style, over the partitions' own state (partition/):
// - Leader side: a periodic pass lets every partition this node leads shrink or expand its ISR
//   (Partition.maybeUpdateIsr); the HW and acks=all live in Partition.
// - Follower side: one fetcher per leader node (Fetch v16 with replicaState.replicaId); after
//   every leader change a partition first asks the leader where its log diverged
//   (OffsetForLeaderEpoch with its latest epoch, KIP-279) and truncates there, so replicas never
//   diverge; then it appends with Partition.appendAsFollower and takes the HW and the log start
//   offset from the responses. OFFSET_OUT_OF_RANGE with the leader's log start above this
//   replica's log end (it was away while records were deleted or retention ran) truncates
//   fully and starts at the leader's log start, as Kafka. A partition whose fetch or truncation
//   fails backs off (50 ms doubling to 500 ms) instead of spinning; a failed append (the fetched
//   batches do not continue this log: divergence) is logged and sends the partition back to
//   truncation.
// Each fetcher keeps an incremental fetch session with its leader (KIP-227, api/fetch-sessions.ts;
// Kafka's FetchSessionHandler): the first fetch lists every partition followed from that leader,
// later ones only the partitions whose fetch offset, leader epoch or log start offset changed,
// plus the ones to forget (partitions backing off, truncating or no longer followed); the leader
// answers only partitions with records or new offsets, so an idle follower's poll costs a few
// bytes whatever the partition count. Any failure or top-level error (FETCH_SESSION_ID_NOT_FOUND
// after a leader restart, INVALID_FETCH_SESSION_EPOCH) starts over with a full fetch; a leader that
// answers sessionId 0 gets full fetches.
// A node whose log dir went offline (log-dir.ts) stops fetching altogether, so its leaders drop
// it from their ISRs after replica.lag.time.max.ms, and the controller does at once on its
// heartbeat.
// Deviations from Kafka: no follower throttling; the leader's log start
// comes in its OFFSET_OUT_OF_RANGE answer, not from a ListOffsets request; a partition may take
// the whole fetch response (10 MiB, Kafka's replica.fetch.response.max.bytes) where Kafka stops
// it at replica.fetch.max.bytes (1 MiB): with a producer's 1 MB batches (librdkafka's
// batch.size) Kafka's follower gets one batch per round trip, and a round trip here costs more
// than the bytes it carries (docs/decisions/0032).

import { ErrorCode } from '../protocol/errors.ts';
import { INITIAL_EPOCH, nextEpoch } from '../api/fetch-sessions.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch.ts';
import { isStorageError, type LogDir } from '../log/log-dir.ts';
import type { Peers } from '../metadata/peers.ts';
import type { Partition } from '../partition/partition.ts';
import { tpName } from '../partition/topic-partition.ts';

export interface ReplicationConfig {
  replicaLagTimeMaxMs: number;
  replicaFetchWaitMaxMs: number;
}

/** Requests to other nodes. */
export type PeerClient = Pick<Peers, 'request'>;

/** What replication needs from its node. */
export interface ReplicationHost {
  readonly nodeId: number;
  /** Every partition this node replicates. */
  partitions(): Iterable<Partition>;
  topicId(topic: string): string | undefined;
  topicName(topicId: string): string | undefined;
  /** Absent on a single node without a metadata quorum: nothing to replicate. */
  readonly peers: PeerClient | undefined;
  /** Offline after a storage error: then this node fetches nothing more (log-dir.ts). */
  readonly logDir?: Pick<LogDir, 'offline' | 'fail'>;
  logger(msg: string): void;
}

/** Where a follower partition stands with its current leader epoch. */
interface FetchState {
  leaderEpoch: number;
  truncating: boolean;
  /** Consecutive failures, and when the partition may be tried again. */
  failures: number;
  retryAt: number;
}

/**
 * replica.fetch.max.bytes and replica.fetch.response.max.bytes in one: a partition may fill the
 * whole response (Kafka: 1 MiB per partition, 10 MiB per response; docs/decisions/0032).
 */
const REPLICA_FETCH_MAX_BYTES = 10 << 20;
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 500;

export class ReplicaManager {
  private fetchers = new Map<number, number>(); // leader id -> generation
  private lastError = new Map<number, string>(); // leader id -> last logged fetch failure
  private states = new WeakMap<Partition, FetchState>();
  private gen = 0;
  private timer: NodeJS.Timeout;
  private closed = false;
  /** Bytes appended as follower (Kafka's ReplicationBytesInPerSec), read by broker/metrics. */
  replicationBytesIn = 0;
  /** Fetch requests sent to leaders, and the partitions they listed (all, or in a session the changed ones). */
  fetchRequests = 0;
  fetchPartitionsSent = 0;

  constructor(
    private readonly host: ReplicationHost,
    private readonly cfg: ReplicationConfig,
  ) {
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const p of this.host.partitions()) if (p.role === 'leader') p.maybeUpdateIsr(now);
    }, 200);
    this.timer.unref();
  }

  /** Starts a fetcher for every leader that a partition of this node follows. Called after metadata changes. */
  sync(): void {
    if (!this.host.peers || this.closed) return;
    const leaders = new Set<number>();
    for (const p of this.host.partitions()) if (p.role === 'follower' && p.leaderId >= 0) leaders.add(p.leaderId);
    for (const l of leaders) {
      if (!this.fetchers.has(l)) {
        const g = ++this.gen;
        this.fetchers.set(l, g);
        void this.fetchLoop(l, g);
      }
    }
  }

  /** The fetch state for the partition's current epoch: a new epoch starts with truncation. */
  private stateOf(p: Partition): FetchState {
    let s = this.states.get(p);
    if (!s || s.leaderEpoch !== p.leaderEpoch) {
      s = { leaderEpoch: p.leaderEpoch, truncating: true, failures: 0, retryAt: 0 };
      this.states.set(p, s);
    }
    return s;
  }

  private backOff(s: FetchState): void {
    s.failures++;
    s.retryAt = Date.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (s.failures - 1));
  }

  private succeeded(s: FetchState): void {
    s.failures = 0;
    s.retryAt = 0;
  }

  private followed(leaderId: number): Partition[] {
    const out: Partition[] = [];
    if (this.host.logDir?.offline) return out; // a replica that cannot write stops fetching, and so leaves the ISRs
    for (const p of this.host.partitions()) if (p.role === 'follower' && p.leaderId === leaderId) out.push(p);
    return out;
  }

  private async fetchLoop(leaderId: number, gen: number): Promise<void> {
    const session = new FollowerSession();
    while (!this.closed && this.fetchers.get(leaderId) === gen) {
      const parts = this.followed(leaderId);
      if (!parts.length) {
        this.fetchers.delete(leaderId);
        return;
      }
      const now = Date.now();
      const due = parts.filter((p) => this.stateOf(p).retryAt <= now);
      try {
        const truncating = due.filter((p) => this.stateOf(p).truncating);
        if (truncating.length) await this.truncate(leaderId, truncating);
        const ready = due.filter((p) => p.role === 'follower' && p.leaderId === leaderId && !this.stateOf(p).truncating);
        if (!ready.length) {
          await sleep(BACKOFF_MIN_MS);
          continue;
        }
        await this.fetchOnce(leaderId, ready, session);
        this.lastError.delete(leaderId);
      } catch (e) {
        // Logged once per kind of failure, not once per retry (a dead leader fails every round).
        const msg = (e as Error).message;
        if (isStorageError(e)) this.host.logDir?.fail(`replication from node ${leaderId}`, e); // a truncation could not write
        if (this.lastError.get(leaderId) !== msg) this.host.logger(`replication: fetching from node ${leaderId} failed: ${msg}`);
        this.lastError.set(leaderId, msg);
        for (const p of due) this.backOff(this.stateOf(p));
        await sleep(BACKOFF_MIN_MS);
      }
    }
  }

  private async truncate(leaderId: number, parts: Partition[]): Promise<void> {
    const byTopic = groupBy(parts, (p) => p.tp.topic);
    const epochs = new Map(parts.map((p) => [p, p.leaderEpoch]));
    const res = await this.host.peers!.request(
      leaderId,
      'replica-control',
      OffsetForLeaderEpoch,
      4,
      {
        replicaId: this.host.nodeId,
        topics: [...byTopic].map(([topic, ps]) => ({
          topic,
          partitions: ps.map((p) => ({
            partition: p.tp.partition,
            currentLeaderEpoch: p.leaderEpoch,
            leaderEpoch: p.epochs.latestEpoch,
          })),
        })),
      },
      5000,
    );
    for (const t of res.topics) {
      for (const r of t.partitions) {
        const p = byTopic.get(t.topic)?.find((x) => x.tp.partition === r.partition);
        if (!p || p.leaderEpoch !== epochs.get(p)) continue; // the leader changed meanwhile
        const s = this.stateOf(p);
        if (!s.truncating) continue;
        if (r.errorCode !== ErrorCode.NONE) {
          this.backOff(s); // retried later: the leader may not know its new epoch yet
          continue;
        }
        const leo = p.logEndOffset;
        let to: number;
        if (p.epochs.latestEpoch < 0)
          to = leo; // nothing written under an epoch
        else if (r.endOffset < 0) to = Math.min(p.highWatermark, leo);
        else if (r.leaderEpoch === p.epochs.latestEpoch) to = Math.min(Number(r.endOffset), leo);
        else {
          const local = p.epochs.endOffsetFor(r.leaderEpoch, leo).endOffset;
          to = Math.min(Number(r.endOffset), local < 0 ? leo : local);
        }
        if (to < leo) {
          this.host.logger(
            `replication: ${tpName(p.tp)} truncating ${leo} -> ${to} (leader ${leaderId} epoch ${p.leaderEpoch})`,
          );
          p.truncateTo(to);
        }
        s.truncating = false;
      }
    }
  }

  private async fetchOnce(leaderId: number, parts: Partition[], session: FollowerSession): Promise<void> {
    // What each partition asks for now; in a session only what changed since it was last sent.
    const now = new Map<Partition, SentPartition>();
    for (const p of parts) {
      now.set(p, {
        topicId: this.host.topicId(p.tp.topic) ?? '0'.repeat(32),
        fetchOffset: p.logEndOffset,
        currentLeaderEpoch: p.leaderEpoch,
        lastFetchedEpoch: p.epochs.latestEpoch,
        logStartOffset: p.logStartOffset,
      });
    }
    const full = session.id === 0;
    const asked = full ? parts : parts.filter((p) => !sameSent(session.sent.get(p), now.get(p)!));
    const forgotten = full ? [] : [...session.sent].filter(([p]) => !now.has(p));
    const topics = [...groupBy(asked, (p) => now.get(p)!.topicId)].map(([topicId, ps]) => ({
      topicId,
      partitions: ps.map((p) => {
        const n = now.get(p)!;
        return {
          partition: p.tp.partition,
          currentLeaderEpoch: n.currentLeaderEpoch,
          fetchOffset: n.fetchOffset,
          lastFetchedEpoch: n.lastFetchedEpoch,
          logStartOffset: n.logStartOffset,
          partitionMaxBytes: REPLICA_FETCH_MAX_BYTES,
        };
      }),
    }));
    const forgottenTopicsData = [...groupBy(forgotten, ([, s]) => s.topicId)].map(([topicId, ps]) => ({
      topicId,
      partitions: ps.map(([p]) => p.tp.partition),
    }));
    this.fetchRequests++;
    this.fetchPartitionsSent += asked.length;
    let res;
    try {
      res = await this.host.peers!.request(
        leaderId,
        'replica-fetch',
        Fetch,
        16,
        {
          clusterId: null,
          replicaState: { replicaId: this.host.nodeId, replicaEpoch: -1 },
          maxWaitMs: this.cfg.replicaFetchWaitMaxMs,
          minBytes: 1,
          maxBytes: REPLICA_FETCH_MAX_BYTES,
          isolationLevel: 0,
          sessionId: session.id,
          sessionEpoch: full ? INITIAL_EPOCH : session.epoch,
          topics,
          forgottenTopicsData,
          rackId: '',
        },
        this.cfg.replicaFetchWaitMaxMs + 5000,
      );
    } catch (e) {
      session.reset(); // the leader may have applied the request or not: start over with a full fetch
      throw e;
    }
    if (res.errorCode !== ErrorCode.NONE) {
      // FETCH_SESSION_ID_NOT_FOUND (evicted, or the leader restarted), INVALID_FETCH_SESSION_EPOCH, ...
      session.reset();
      return;
    }
    // The session now holds what this request sent (a leader without sessions answers 0: full fetches again).
    if (res.sessionId === 0) session.reset();
    else {
      if (full) session.sent.clear();
      for (const [p] of forgotten) session.sent.delete(p);
      for (const p of asked) session.sent.set(p, now.get(p)!);
      session.epoch = full || session.id !== res.sessionId ? 1 : nextEpoch(session.epoch);
      session.id = res.sessionId;
    }
    const byTopicId = new Map<string, Map<number, Partition>>();
    for (const [p, n] of now) {
      let m = byTopicId.get(n.topicId);
      if (!m) byTopicId.set(n.topicId, (m = new Map()));
      m.set(p.tp.partition, p);
    }
    for (const t of res.responses) {
      const m = byTopicId.get(t.topicId);
      for (const r of t.partitions) {
        const p = m?.get(r.partitionIndex);
        if (!p) continue;
        const s = now.get(p)!;
        const state = this.stateOf(p);
        if (p.role !== 'follower' || p.leaderEpoch !== s.currentLeaderEpoch || p.logEndOffset !== s.fetchOffset || state.truncating)
          continue;
        if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE && r.logStartOffset > s.fetchOffset) {
          this.host.logger(
            `replication: ${tpName(p.tp)} log end ${s.fetchOffset} is below the leader's log start ${r.logStartOffset}: truncating fully, starting at it`,
          );
          p.truncateFullyAndStartAt(Number(r.logStartOffset));
          this.succeeded(state);
          continue;
        }
        if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          state.truncating = true; // beyond the leader's log end: find where the logs diverge
          this.backOff(state);
          continue;
        }
        if (r.errorCode !== ErrorCode.NONE) {
          this.backOff(state); // wait for metadata to catch up with the new leader or epoch
          continue;
        }
        try {
          if (r.records && r.records.length > 0) {
            p.appendAsFollower(r.records);
            this.replicationBytesIn += r.records.length;
          }
        } catch (e) {
          this.host.logger(
            `replication: ${tpName(p.tp)} cannot append what node ${leaderId} sent at ${s.fetchOffset}: ${(e as Error).message}; truncating again`,
          );
          state.truncating = true;
          this.backOff(state);
          continue;
        }
        p.updateFollowerHighWatermark(Number(r.highWatermark));
        p.updateFollowerLogStartOffset(Number(r.logStartOffset));
        this.succeeded(state);
      }
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}

/** What a partition last sent in its leader's fetch session. */
interface SentPartition {
  topicId: string;
  fetchOffset: number;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
  logStartOffset: number;
}

const sameSent = (a: SentPartition | undefined, b: SentPartition) =>
  !!a &&
  a.topicId === b.topicId &&
  a.fetchOffset === b.fetchOffset &&
  a.currentLeaderEpoch === b.currentLeaderEpoch &&
  a.lastFetchedEpoch === b.lastFetchedEpoch &&
  a.logStartOffset === b.logStartOffset;

/** The follower's end of a fetch session with one leader (Kafka's FetchSessionHandler). */
class FollowerSession {
  id = 0;
  epoch = INITIAL_EPOCH;
  /** What the leader's session holds for each partition. */
  readonly sent = new Map<Partition, SentPartition>();

  reset(): void {
    this.id = 0;
    this.epoch = INITIAL_EPOCH;
    this.sent.clear();
  }
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const arr = m.get(k);
    if (arr) arr.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
