// Data replication of one node, Kafka-style, over the partitions' own state (partition/):
// - Leader side: a periodic pass lets every partition this node leads shrink or expand its ISR
//   (Partition.maybeUpdateIsr); the HW and acks=all live in Partition.
// - Follower side: one fetcher per leader node (Fetch v16 with replicaState.replicaId); after
//   every leader change a partition first asks the leader where its log diverged
//   (OffsetForLeaderEpoch with its latest epoch, KIP-279) and truncates there, so replicas never
//   diverge; then it appends with Partition.appendAsFollower and takes the HW from the responses.
// Deviations from Kafka: no fetch sessions and no follower throttling.

import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch.ts';
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
  logger(msg: string): void;
}

/** Where a follower partition stands with its current leader epoch. */
interface FetchState {
  leaderEpoch: number;
  truncating: boolean;
}

export class ReplicaManager {
  private fetchers = new Map<number, number>(); // leader id -> generation
  private states = new WeakMap<Partition, FetchState>();
  private gen = 0;
  private timer: NodeJS.Timeout;
  private closed = false;

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
      s = { leaderEpoch: p.leaderEpoch, truncating: true };
      this.states.set(p, s);
    }
    return s;
  }

  private followed(leaderId: number): Partition[] {
    const out: Partition[] = [];
    for (const p of this.host.partitions()) if (p.role === 'follower' && p.leaderId === leaderId) out.push(p);
    return out;
  }

  private async fetchLoop(leaderId: number, gen: number): Promise<void> {
    while (!this.closed && this.fetchers.get(leaderId) === gen) {
      const parts = this.followed(leaderId);
      if (!parts.length) {
        this.fetchers.delete(leaderId);
        return;
      }
      try {
        const truncating = parts.filter((p) => this.stateOf(p).truncating);
        if (truncating.length) await this.truncate(leaderId, truncating);
        const ready = parts.filter(
          (p) => p.role === 'follower' && p.leaderId === leaderId && !this.stateOf(p).truncating,
        );
        if (!ready.length) {
          await sleep(50);
          continue;
        }
        await this.fetchOnce(leaderId, ready);
      } catch {
        await sleep(100);
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
        if (!s.truncating || r.errorCode !== ErrorCode.NONE) continue; // retried on the next round
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

  private async fetchOnce(leaderId: number, parts: Partition[]): Promise<void> {
    const byTopic = groupBy(parts, (p) => p.tp.topic);
    const topics = [...byTopic].map(([topic, ps]) => ({
      topicId: this.host.topicId(topic) ?? '0'.repeat(32),
      partitions: ps.map((p) => ({
        partition: p.tp.partition,
        currentLeaderEpoch: p.leaderEpoch,
        fetchOffset: p.logEndOffset,
        lastFetchedEpoch: p.epochs.latestEpoch,
        logStartOffset: p.logStartOffset,
        partitionMaxBytes: 1 << 20,
      })),
    }));
    const sent = new Map(parts.map((p) => [p, { leo: p.logEndOffset, epoch: p.leaderEpoch }]));
    const res = await this.host.peers!.request(
      leaderId,
      'replica-fetch',
      Fetch,
      16,
      {
        clusterId: null,
        replicaState: { replicaId: this.host.nodeId, replicaEpoch: -1 },
        maxWaitMs: this.cfg.replicaFetchWaitMaxMs,
        minBytes: 1,
        maxBytes: 10 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics,
        forgottenTopicsData: [],
        rackId: '',
      },
      this.cfg.replicaFetchWaitMaxMs + 5000,
    );
    let backoff = false;
    for (const t of res.responses) {
      const name = this.host.topicName(t.topicId);
      for (const r of t.partitions) {
        const p = name ? byTopic.get(name)?.find((x) => x.tp.partition === r.partitionIndex) : undefined;
        if (!p) continue;
        const s = sent.get(p)!;
        const state = this.stateOf(p);
        if (p.role !== 'follower' || p.leaderEpoch !== s.epoch || p.logEndOffset !== s.leo || state.truncating)
          continue;
        if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          state.truncating = true;
          continue;
        }
        if (r.errorCode !== ErrorCode.NONE) {
          backoff = true; // wait for metadata to catch up with the new leader or epoch
          continue;
        }
        const records = r.records;
        if (records && records.length > 0) p.appendAsFollower(records);
        p.updateFollowerHighWatermark(Number(r.highWatermark));
      }
    }
    if (backoff) await sleep(50);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
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
