// Data replication of one node, Kafka-style:
// - Leader: tracks each follower's fetch offset (its log end offset), moves the high watermark
//   to the smallest log end offset of the ISR (the maximal ISR while an ISR change is in flight,
//   so a replica being added counts before it is committed), completes acks=all produces once
//   the HW passes them, shrinks the ISR when a follower has not caught up for
//   replica.lag.time.max.ms and expands it when a follower reaches the HW, both by AlterPartition
//   to the controller.
// - Follower: one fetcher per leader node (Fetch v16 with replicaState.replicaId); after every
//   leader change it first asks the leader where its log diverged (OffsetForLeaderEpoch with its
//   latest epoch, KIP-279) and truncates there, so replicas never diverge; then it appends with
//   appendAsFollower, learns leader epochs from the batches (leader-epoch-checkpoint) and takes
//   the HW from fetch responses.
// Deviations from Kafka: the HW is kept in memory only (no replication-offset-checkpoint; a
// restarted node starts at 0 and learns it again); there are no fetch sessions, no
// NOT_ENOUGH_REPLICAS check against pending shrinks beyond the live "caught up" count, and no
// follower throttling. acks=all is refused with NOT_ENOUGH_REPLICAS when fewer than
// min.insync.replicas ISR members are caught up (Kafka counts the committed ISR only; counting
// the caught-up ones answers at once while the controller is unreachable, as with 2 of 3 down).

import path from 'node:path';
import type { Broker } from '../broker.ts';
import type { PartitionLog } from '../log/types.ts';
import { effectiveConfig } from '../metadata/topic-configs.ts';
import type { PartitionMeta, TopicMeta } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch.ts';
import { EpochCache } from './epoch-cache.ts';

export interface ReplicationConfig {
  replicaLagTimeMaxMs: number;
  replicaFetchWaitMaxMs: number;
}

interface FollowerState {
  leo: number;
  lastCaughtUp: number;
  lastFetch: number;
  leaderLeoAtLastFetch: number;
}

interface Waiter {
  offset: number;
  epoch: number;
  minIsr: number;
  resolve: (code: number) => void;
  timer: NodeJS.Timeout;
}

class Replica {
  role: 'leader' | 'follower' | 'none' = 'none';
  leaderId = -1;
  leaderEpoch = -1;
  hw = 0;
  meta!: PartitionMeta;
  followers = new Map<number, FollowerState>();
  pendingIsr: number[] | null = null;
  nextAlterAt = 0;
  needsTruncation = false;
  waiters: Waiter[] = [];

  constructor(
    readonly topic: string,
    readonly log: PartitionLog,
    readonly cache: EpochCache,
  ) {}
}

export class ReplicaManager {
  private replicas = new Map<string, Replica>();
  private fetchers = new Map<number, number>(); // leader id -> generation
  private gen = 0;
  private timer: NodeJS.Timeout;
  private closed = false;
  /** Bytes appended as follower (Kafka's ReplicationBytesInPerSec), read by broker/metrics. */
  replicationBytesIn = 0;

  constructor(
    private readonly broker: Broker,
    private readonly cfg: ReplicationConfig,
  ) {
    this.timer = setInterval(() => this.maintainIsr(), 200);
    this.timer.unref();
  }

  private get self(): number {
    return this.broker.config.nodeId;
  }

  private key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  private replica(log: PartitionLog): Replica | undefined {
    return this.replicas.get(this.key(log.topic, log.partition));
  }

  /** Follows metadata: leader/follower transitions, fetchers per leader. Called by reconcile. */
  sync(): void {
    const seen = new Set<string>();
    for (const t of this.broker.metadata.topics()) {
      for (const p of t.partitions) {
        if (!p.replicas.includes(this.self)) continue;
        const log = this.broker.logs.get(t.name, p.partition);
        if (!log) continue;
        const k = this.key(t.name, p.partition);
        seen.add(k);
        let r = this.replicas.get(k);
        if (!r || r.log !== log) {
          r = new Replica(t.name, log, new EpochCache(path.join(this.broker.logs.dataDir, `${t.name}-${p.partition}`)));
          this.replicas.set(k, r);
        }
        r.meta = p;
        if (p.leader === this.self) {
          if (r.role !== 'leader' || r.leaderEpoch !== p.leaderEpoch) this.becomeLeader(r, p);
          if (r.pendingIsr && sameSet(r.pendingIsr, p.isr)) r.pendingIsr = null;
          this.maybeAdvanceHw(r);
        } else if (r.role !== 'follower' || r.leaderId !== p.leader || r.leaderEpoch !== p.leaderEpoch) {
          this.becomeFollower(r, p);
        }
      }
    }
    for (const [k, r] of this.replicas) {
      if (!seen.has(k)) {
        this.failWaiters(r, ErrorCode.NOT_LEADER_OR_FOLLOWER);
        this.replicas.delete(k);
      }
    }
    const leaders = new Set(
      [...this.replicas.values()].filter((r) => r.role === 'follower' && r.leaderId >= 0).map((r) => r.leaderId),
    );
    for (const l of leaders) {
      if (!this.fetchers.has(l)) {
        const g = ++this.gen;
        this.fetchers.set(l, g);
        void this.fetchLoop(l, g);
      }
    }
  }

  private becomeLeader(r: Replica, p: PartitionMeta): void {
    r.role = 'leader';
    r.leaderId = this.self;
    r.leaderEpoch = p.leaderEpoch;
    r.pendingIsr = null;
    r.needsTruncation = false;
    r.cache.assign(p.leaderEpoch, r.log.logEndOffset);
    const now = Date.now();
    r.followers = new Map(
      p.replicas
        .filter((x) => x !== this.self)
        .map((x) => [x, { leo: -1, lastCaughtUp: now, lastFetch: 0, leaderLeoAtLastFetch: -1 }]),
    );
  }

  private becomeFollower(r: Replica, p: PartitionMeta): void {
    this.failWaiters(r, ErrorCode.NOT_LEADER_OR_FOLLOWER);
    r.role = p.leader >= 0 ? 'follower' : 'none';
    r.leaderId = p.leader;
    r.leaderEpoch = p.leaderEpoch;
    r.pendingIsr = null;
    r.followers.clear();
    r.needsTruncation = true;
  }

  private failWaiters(r: Replica, code: number): void {
    const ws = r.waiters;
    r.waiters = [];
    for (const w of ws) {
      clearTimeout(w.timer);
      w.resolve(code);
    }
  }

  // ------------------------------------------------------------------ leader side

  highWatermark(log: PartitionLog): number {
    const r = this.replica(log);
    if (!r) return log.logEndOffset;
    this.maybeAdvanceHw(r); // an append (acks 0/1) moves it when the leader alone is the ISR
    return Math.min(r.hw, log.logEndOffset);
  }

  private maximalIsr(r: Replica): number[] {
    return [...new Set([...r.meta.isr, ...(r.pendingIsr ?? [])])];
  }

  private maybeAdvanceHw(r: Replica): void {
    if (r.role !== 'leader') return;
    let hw = r.log.logEndOffset;
    for (const id of this.maximalIsr(r)) {
      if (id === this.self) continue;
      const f = r.followers.get(id);
      hw = Math.min(hw, f ? f.leo : -1);
    }
    if (hw > r.hw) {
      r.hw = hw;
      if (r.waiters.length) {
        const caughtUp = this.caughtUpIsr(r);
        const done = r.waiters.filter((w) => w.offset <= hw);
        r.waiters = r.waiters.filter((w) => w.offset > hw);
        for (const w of done) {
          clearTimeout(w.timer);
          w.resolve(caughtUp < w.minIsr ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE);
        }
      }
      this.broker.notifyAppend(r.topic, r.meta.partition);
    }
  }

  /** ISR members (with the leader) that have caught up within replica.lag.time.max.ms. */
  private caughtUpIsr(r: Replica): number {
    const now = Date.now();
    return r.meta.isr.filter(
      (id) => id === this.self || now - (r.followers.get(id)?.lastCaughtUp ?? 0) <= this.cfg.replicaLagTimeMaxMs,
    ).length;
  }

  private minIsr(topic: TopicMeta): number {
    return Number(effectiveConfig(topic.configs, this.broker.metadata.brokerConfigs())('min.insync.replicas')) || 1;
  }

  /** acks=all precondition, checked before appending: 0 or NOT_ENOUGH_REPLICAS. */
  checkEnoughReplicas(topic: TopicMeta, partition: number): number {
    const r = this.replicas.get(this.key(topic.name, partition));
    if (!r || r.role !== 'leader') return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    return this.caughtUpIsr(r) < this.minIsr(topic) ? ErrorCode.NOT_ENOUGH_REPLICAS : ErrorCode.NONE;
  }

  /** acks=all: resolves with 0 once the HW reaches `offset`, or an error code. */
  waitForCommit(topic: TopicMeta, partition: number, offset: number, timeoutMs: number): Promise<number> {
    const r = this.replicas.get(this.key(topic.name, partition));
    if (!r || r.role !== 'leader') return Promise.resolve(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    this.maybeAdvanceHw(r);
    const minIsr = this.minIsr(topic);
    if (r.hw >= offset)
      return Promise.resolve(
        this.caughtUpIsr(r) < minIsr ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE,
      );
    return new Promise((resolve) => {
      const w: Waiter = {
        offset,
        epoch: r.leaderEpoch,
        minIsr,
        resolve,
        timer: setTimeout(
          () => {
            r.waiters = r.waiters.filter((x) => x !== w);
            resolve(ErrorCode.REQUEST_TIMED_OUT);
          },
          Math.max(0, timeoutMs),
        ),
      };
      r.waiters.push(w);
    });
  }

  /** A follower fetched at fetchOffset: its log end offset. Returns the leader's HW. */
  onFollowerFetch(log: PartitionLog, replicaId: number, fetchOffset: number): void {
    const r = this.replica(log);
    if (!r || r.role !== 'leader') return;
    const f = r.followers.get(replicaId);
    if (!f) return;
    const now = Date.now();
    const leo = log.logEndOffset;
    if (fetchOffset >= leo) f.lastCaughtUp = now;
    else if (f.leaderLeoAtLastFetch >= 0 && fetchOffset >= f.leaderLeoAtLastFetch)
      f.lastCaughtUp = Math.max(f.lastCaughtUp, f.lastFetch);
    f.leo = fetchOffset;
    f.lastFetch = now;
    f.leaderLeoAtLastFetch = leo;
    this.maybeAdvanceHw(r);
    if (
      !r.meta.isr.includes(replicaId) &&
      !r.pendingIsr &&
      fetchOffset >= r.hw &&
      fetchOffset >= r.cache.latestStartOffset
    )
      this.maintainIsr();
  }

  /** Periodic ISR shrink/expand through AlterPartition. */
  private maintainIsr(): void {
    const now = Date.now();
    const quorum = this.broker.quorum;
    if (!quorum) return;
    for (const r of this.replicas.values()) {
      if (r.role !== 'leader' || r.pendingIsr || now < r.nextAlterAt) continue;
      const isr = r.meta.isr;
      const out = isr.filter(
        (id) => id !== this.self && now - (r.followers.get(id)?.lastCaughtUp ?? 0) > this.cfg.replicaLagTimeMaxMs,
      );
      const add = r.meta.replicas.filter((id) => {
        if (id === this.self || isr.includes(id)) return false;
        const f = r.followers.get(id);
        return (
          !!f && f.leo >= r.hw && f.leo >= r.cache.latestStartOffset && now - f.lastFetch < this.cfg.replicaLagTimeMaxMs
        );
      });
      if (!out.length && !add.length) continue;
      const next = [...isr.filter((id) => !out.includes(id)), ...add];
      if (!next.includes(this.self)) next.unshift(this.self);
      r.pendingIsr = next;
      const meta = r.meta;
      quorum.alterPartition(r.topic, meta, next).then(
        () => {
          if (r.pendingIsr === next && r.meta === meta) {
            // Applied by the time AlterPartition answers; sync() clears it when metadata shows it.
            setTimeout(() => {
              if (r.pendingIsr === next) r.pendingIsr = null;
            }, 2000).unref();
          }
        },
        (e: Error) => {
          if (r.pendingIsr === next) r.pendingIsr = null;
          r.nextAlterAt = Date.now() + 500;
          this.broker.logger(
            `replication: AlterPartition ${r.topic}-${meta.partition} -> ${JSON.stringify(next)} failed: ${e.message}`,
          );
        },
      );
    }
  }

  /** OffsetForLeaderEpoch as the leader: where `epoch` ends in this log. */
  endOffsetForEpoch(log: PartitionLog, epoch: number): { epoch: number; endOffset: number } {
    const r = this.replica(log);
    if (!r) return { epoch: -1, endOffset: -1 };
    return r.cache.endOffsetFor(epoch, log.logEndOffset);
  }

  // ------------------------------------------------------------------ follower side

  private async fetchLoop(leaderId: number, gen: number): Promise<void> {
    const quorum = this.broker.quorum;
    if (!quorum) return;
    while (!this.closed && this.fetchers.get(leaderId) === gen) {
      const parts = [...this.replicas.values()].filter((r) => r.role === 'follower' && r.leaderId === leaderId);
      if (!parts.length) {
        this.fetchers.delete(leaderId);
        return;
      }
      try {
        const truncating = parts.filter((r) => r.needsTruncation);
        if (truncating.length) await this.truncate(leaderId, truncating);
        const ready = parts.filter((r) => !r.needsTruncation && r.role === 'follower' && r.leaderId === leaderId);
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

  private async truncate(leaderId: number, parts: Replica[]): Promise<void> {
    const quorum = this.broker.quorum!;
    const byTopic = groupBy(parts, (r) => r.topic);
    const res = await quorum.peers.request(
      leaderId,
      'replica-control',
      OffsetForLeaderEpoch,
      4,
      {
        replicaId: this.self,
        topics: [...byTopic].map(([topic, rs]) => ({
          topic,
          partitions: rs.map((r) => ({
            partition: r.meta.partition,
            currentLeaderEpoch: r.leaderEpoch,
            leaderEpoch: r.cache.latestEpoch,
          })),
        })),
      } as never,
      5000,
    );
    for (const t of res.topics) {
      for (const p of t.partitions) {
        const r = byTopic.get(t.topic)?.find((x) => x.meta.partition === p.partition);
        if (!r || !r.needsTruncation) continue;
        if (p.errorCode !== ErrorCode.NONE) continue; // retried on the next round
        const log = r.log;
        let to: number;
        if (r.cache.latestEpoch < 0)
          to = log.logEndOffset; // nothing written under an epoch
        else if (p.endOffset < 0) to = Math.min(r.hw, log.logEndOffset);
        else if (p.leaderEpoch === r.cache.latestEpoch) to = Math.min(Number(p.endOffset), log.logEndOffset);
        else
          to = Math.min(
            Number(p.endOffset),
            r.cache.endOffsetFor(p.leaderEpoch, log.logEndOffset).endOffset < 0
              ? log.logEndOffset
              : r.cache.endOffsetFor(p.leaderEpoch, log.logEndOffset).endOffset,
          );
        if (to < log.logEndOffset) {
          this.broker.logger(
            `replication: ${r.topic}-${r.meta.partition} truncating ${log.logEndOffset} -> ${to} (leader ${leaderId} epoch ${r.leaderEpoch})`,
          );
          log.truncateTo(Math.max(to, log.logStartOffset));
          r.cache.truncateFromEnd(log.logEndOffset);
        }
        r.needsTruncation = false;
      }
    }
  }

  private async fetchOnce(leaderId: number, parts: Replica[]): Promise<void> {
    const quorum = this.broker.quorum!;
    const byTopic = groupBy(parts, (r) => r.topic);
    const topics = [...byTopic].map(([topic, rs]) => ({
      topicId: this.broker.metadata.topic(topic)?.topicId ?? '0'.repeat(32),
      partitions: rs.map((r) => ({
        partition: r.meta.partition,
        currentLeaderEpoch: r.leaderEpoch,
        fetchOffset: r.log.logEndOffset,
        lastFetchedEpoch: r.cache.latestEpoch,
        logStartOffset: r.log.logStartOffset,
        partitionMaxBytes: 1 << 20,
      })),
    }));
    const sent = new Map(parts.map((r) => [r, { leo: r.log.logEndOffset, epoch: r.leaderEpoch }]));
    const res = await quorum.peers.request(
      leaderId,
      'replica-fetch',
      Fetch,
      16,
      {
        clusterId: null,
        replicaState: { replicaId: this.self, replicaEpoch: -1 },
        maxWaitMs: this.cfg.replicaFetchWaitMaxMs,
        minBytes: 1,
        maxBytes: 10 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics,
        forgottenTopicsData: [],
        rackId: '',
      } as never,
      this.cfg.replicaFetchWaitMaxMs + 5000,
    );
    let backoff = false;
    for (const t of res.responses) {
      const name = this.broker.metadata.topicById(t.topicId)?.name;
      for (const p of t.partitions) {
        const r = name ? byTopic.get(name)?.find((x) => x.meta.partition === p.partitionIndex) : undefined;
        if (!r) continue;
        const s = sent.get(r)!;
        if (r.role !== 'follower' || r.leaderEpoch !== s.epoch || r.log.logEndOffset !== s.leo || r.needsTruncation)
          continue;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          r.needsTruncation = true;
          continue;
        }
        if (p.errorCode !== ErrorCode.NONE) {
          backoff = true; // wait for metadata to catch up with the new leader or epoch
          continue;
        }
        const records = p.records as Buffer | null;
        if (records && records.length > 0) {
          r.log.appendAsFollower(records);
          this.replicationBytesIn += records.length;
          r.cache.observeBatches(records);
          if (this.broker.config.fsync) r.log.flush();
        }
        r.hw = Math.max(r.hw, Math.min(Number(p.highWatermark), r.log.logEndOffset));
      }
    }
    if (backoff) await sleep(50);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const r of this.replicas.values()) this.failWaiters(r, ErrorCode.NOT_LEADER_OR_FOLLOWER);
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

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
