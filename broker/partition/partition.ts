// One partition replica on this node: its log, its role and leader epoch, its view of the ISR,
// the high watermark, the acks=all waiters and the fetches long-polling it (Kafka's Partition
// with the part of UnifiedLog above storage). Every write of the data path goes through here
// once: appendAsLeader (Produce, the offsets topic) or appendAsFollower (replication); both apply
// the fsync policy and wake waiting fetches. Every read goes through read(); as leader, what it
// appended with acks=all and not every ISR member has yet is read from memory (tail-cache.ts).
//
// Leader: tracks each follower's fetch offset (its log end offset) and log start offset; the
// high watermark is the smallest log end offset of the ISR (the maximal ISR while an ISR change
// is in flight, so a replica being added counts before it is committed). acks=all appends are
// refused with NOT_ENOUGH_REPLICAS when fewer than min.insync.replicas ISR members are caught
// up, and completed once the high watermark passes them. The ISR shrinks when a follower has not
// caught up for replica.lag.time.max.ms and grows when a follower reaches the high watermark and
// the current epoch, both through AlterPartition (host.alterIsr); a change refused because
// this leader's view is out of date (INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH) is not asked
// again before the partition's metadata changes.
// Follower: appends what it fetched with the offsets the leader gave, learns leader epochs and
// producer state from the batches and takes the high watermark from the leader (replication/
// drives it).
// Producer state (producer-state.ts): the leader checks idempotent batches before appending and
// answers retries with their original offsets; every append, leader's or follower's, updates
// it; it is snapshotted at segment roll and close and rebuilt at open and after truncation.
// Transactions: transactional batches open a transaction per producer, commit/abort markers
// (appendTxnMarker, from WriteTxnMarkers) close it; aborted ones go to the log's `.txnindex`.
// The last stable offset is the smaller of the high watermark and the first offset of a
// transaction still open or whose marker the high watermark has not passed (Kafka's
// firstUnstableOffset). read('committed') stops there and lists the aborted transactions
// overlapping what it returns.
//
// Storage failures (log/log-dir.ts): an append the disk refuses leaves the log, the log end
// offset and the high watermark as they were and answers KAFKA_STORAGE_ERROR; an I/O error takes
// the node's log dir offline, after which nothing is written here (leader appends answer
// KAFKA_STORAGE_ERROR without trying, follower appends throw) while reads go on.
//
// Deviations from Kafka: the high watermark is kept in memory only (no
// replication-offset-checkpoint: a restarted node starts at 0 and learns it again); acks=all
// counts ISR members caught up within replica.lag.time.max.ms against min.insync.replicas
// (Kafka counts the committed ISR; this answers at once while the controller is unreachable,
// as with 2 of 3 nodes down).

import { hasKeylessRecord } from '../log/compacted-batch.ts';
import { isStorageError, type LogDir } from '../log/log-dir.ts';
import type { ReadAlloc } from '../log/read-buffers.ts';
import type { PartitionLog } from '../log/types.ts';
import type { PartitionMeta } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { type BatchInfo, nextOffsetAfter } from '../protocol/record-batch.ts';
import type { EpochCache } from './epoch-cache.ts';
import { buildMarkerBatch, type TxnMarker } from '../protocol/control-record.ts';
import type { AppendOrigin, ProducerStateManager } from './producer-state.ts';
import { TailCache } from './tail-cache.ts';
import { tpName, type TopicPartition } from './topic-partition.ts';

export type Role = 'leader' | 'follower' | 'none';

/** How far a read may go (Kafka's FetchIsolation): a follower's, read_uncommitted, read_committed. */
export type FetchIsolation = 'log-end' | 'high-watermark' | 'committed';

/** What a partition needs from its node. */
export interface PartitionHost {
  readonly nodeId: number;
  /** --fsync: every acknowledged write is fsynced before it is acknowledged. */
  readonly fsync: boolean;
  readonly replicaLagTimeMaxMs: number;
  /** producer.id.expiration.ms */
  readonly producerIdExpirationMs: number;
  /** AlterPartition to the controller (absent without a metadata quorum); settles once answered. */
  alterIsr?(tp: TopicPartition, meta: PartitionMeta, isr: number[]): Promise<unknown>;
  /** The log directory: offline after a storage error, then nothing more is written (log-dir.ts). */
  readonly logDir?: Pick<LogDir, 'offline' | 'failure' | 'fail'>;
  logger(msg: string): void;
}

/** The topic configs the data path enforces. */
export interface PartitionConfig {
  minInsyncReplicas: number;
  maxMessageBytes: number;
  /** cleanup.policy includes compact: every record needs a key (log/cleaner.ts keeps the latest per key). */
  compacted: boolean;
}

/** A Produce payload that passed validateBatches: the buffer and its batches' headers. */
export interface ValidatedRecords {
  buf: Buffer;
  batches: readonly BatchInfo[];
}

export interface LeaderAppendResult {
  errorCode: number;
  errorMessage: string | null;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export interface PartitionRead {
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** Whole batches as slices of the log, from the one holding the fetch offset. */
  records: Buffer[];
  bytes: number;
  /** read('committed'): the aborted transactions overlapping the records returned; else null. */
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
}

interface FollowerState {
  leo: number;
  logStartOffset: number;
  lastCaughtUp: number;
  lastFetch: number;
  leaderLeoAtLastFetch: number;
}

interface CommitWaiter {
  offset: number;
  resolve: (code: number) => void;
  timer: NodeJS.Timeout;
}

export interface DeleteRecordsResult {
  errorCode: number;
  lowWatermark: number;
}

const NO_RECORDS: Buffer[] = [];
const NO_ABORTED: { producerId: number; firstOffset: number }[] = [];
/** AlterPartition errors meaning this leader's view of the partition is out of date. */
const STALE_ISR_ERRORS = new Set<number>([
  ErrorCode.INVALID_UPDATE_VERSION,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
]);

function failed(errorCode: number, errorMessage: string | null = null): LeaderAppendResult {
  return { errorCode, errorMessage, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 };
}

export class Partition {
  private _role: Role = 'none';
  private _leaderId = -1;
  private _leaderEpoch = -1;
  private meta: PartitionMeta;
  private config: PartitionConfig = { minInsyncReplicas: 1, maxMessageBytes: 1048588, compacted: false };
  private hw = 0;
  private followers = new Map<number, FollowerState>();
  private pendingIsr: number[] | null = null;
  private nextAlterAt = 0;
  /** The metadata an ISR change was refused for as out of date: no new one until it changes. */
  private staleMeta: PartitionMeta | null = null;
  private commitWaiters: CommitWaiter[] = [];
  private deleteWaiters: CommitWaiter[] = [];
  private wakeups = new Set<() => void>();
  /** The leader's appends not yet fetched by every ISR follower, served from memory. */
  private readonly tail = new TailCache();

  constructor(
    readonly tp: TopicPartition,
    readonly topicId: string,
    readonly log: PartitionLog,
    readonly epochs: EpochCache,
    readonly producers: ProducerStateManager,
    private readonly host: PartitionHost,
  ) {
    this.meta = { partition: tp.partition, leader: -1, leaderEpoch: -1, replicas: [], isr: [] };
    producers.onAbortedTxn = (t) => this.log.addAbortedTxn(t);
    this.reloadProducers();
    // Kafka snapshots producer state where a segment starts: recovery replays one segment at most.
    log.onRoll = () => this.producers.takeSnapshot(this.log.logStartOffset);
  }

  private reloadProducers(): void {
    this.producers.reload(this.log, Date.now(), this.host.producerIdExpirationMs);
  }

  get role(): Role {
    return this._role;
  }
  get leaderId(): number {
    return this._leaderId;
  }
  get leaderEpoch(): number {
    return this._leaderEpoch;
  }
  get isr(): readonly number[] {
    return this.meta.isr;
  }
  get replicas(): readonly number[] {
    return this.meta.replicas;
  }
  /** Offset below which records are committed and visible to consumers. */
  get highWatermark(): number {
    return Math.min(this.hw, this.log.logEndOffset);
  }
  /** Offset below which every transaction is decided and replicated: read_committed reads up to it. */
  get lastStableOffset(): number {
    return Math.min(this.producers.firstUnstableOffset, this.highWatermark);
  }
  get logStartOffset(): number {
    return this.log.logStartOffset;
  }
  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  // ------------------------------------------------------------------ role

  /** Follows the partition's metadata: leader/follower transitions, ISR, topic configs. */
  applyMetadata(meta: PartitionMeta, config: PartitionConfig): void {
    this.meta = meta;
    this.config = config;
    if (meta.leader === this.host.nodeId) {
      if (this._role !== 'leader' || this._leaderEpoch !== meta.leaderEpoch) this.makeLeader(meta);
      if (this.pendingIsr && sameSet(this.pendingIsr, meta.isr)) this.pendingIsr = null;
      this.maybeAdvanceHw();
      this.maybeCompleteDeletes(); // a lagging replica dropped from the ISR no longer holds them back
    } else if (this._role !== 'follower' || this._leaderId !== meta.leader || this._leaderEpoch !== meta.leaderEpoch) {
      this.makeFollower(meta);
    }
  }

  private makeLeader(meta: PartitionMeta): void {
    this._role = 'leader';
    this._leaderId = this.host.nodeId;
    this._leaderEpoch = meta.leaderEpoch;
    this.pendingIsr = null;
    this.tail.clear();
    this.epochs.assign(meta.leaderEpoch, this.log.logEndOffset);
    const now = Date.now();
    this.followers = new Map(
      meta.replicas
        .filter((id) => id !== this.host.nodeId)
        .map((id) => [id, { leo: -1, logStartOffset: -1, lastCaughtUp: now, lastFetch: 0, leaderLeoAtLastFetch: -1 }]),
    );
  }

  private makeFollower(meta: PartitionMeta): void {
    this.failWaiters(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    this._role = meta.leader >= 0 ? 'follower' : 'none';
    this._leaderId = meta.leader;
    this._leaderEpoch = meta.leaderEpoch;
    this.pendingIsr = null;
    this.followers.clear();
    this.tail.clear();
    this.wake(); // long-polling consumers learn at once that this node no longer leads
  }

  /** The partition leaves this node (topic deleted, replica moved, node closing): before its log closes. */
  close(): void {
    this.failWaiters(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    this._role = 'none';
    this.tail.clear();
    this.wake();
    this.producers.takeSnapshot(this.log.logStartOffset); // clean shutdown: no replay at the next start
  }

  /** Drops producers idle for producer.id.expiration.ms. */
  expireProducers(now = Date.now()): void {
    this.producers.removeExpired(now, this.host.producerIdExpirationMs);
  }

  // ------------------------------------------------------------------ leader: writes

  /**
   * Appends a validated Produce payload (or a coordinator's batch) as the leader: assigns
   * offsets, applies the fsync policy, wakes fetches. The append happens before this returns.
   * The result is synchronous, except for an accepted acks=all append: then a promise that
   * settles once the high watermark passes the batches (REQUEST_TIMED_OUT after timeoutMs,
   * NOT_LEADER_OR_FOLLOWER if leadership is lost meanwhile).
   */
  appendAsLeader(
    records: ValidatedRecords,
    acks: number,
    timeoutMs: number,
    origin: AppendOrigin = 'client',
  ): LeaderAppendResult | Promise<LeaderAppendResult> {
    if (this._role !== 'leader') return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const max = this.config.maxMessageBytes;
    const tooBig = records.batches.find((b) => b.size > max);
    if (tooBig) return failed(ErrorCode.MESSAGE_TOO_LARGE, `batch of ${tooBig.size} bytes exceeds max.message.bytes ${max}`);
    if (this.config.compacted && hasKeylessRecord(records.buf, records.batches))
      return failed(ErrorCode.INVALID_RECORD, `Compacted topic cannot accept message without key in topic partition ${tpName(this.tp)}.`);
    if (acks === -1 && this.caughtUpIsr() < this.config.minInsyncReplicas) return failed(ErrorCode.NOT_ENOUGH_REPLICAS);
    const check = this.producers.checkAsLeader(records.batches, origin);
    if (check.kind === 'error') return failed(check.errorCode, check.message);
    if (check.kind === 'duplicate') {
      // A retry of a batch already in the log: its original offsets, committed as any other.
      const dup: LeaderAppendResult = {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        baseOffset: check.firstOffset,
        logAppendTime: check.timestamp,
        logStartOffset: this.log.logStartOffset,
      };
      if (acks !== -1) return dup;
      return this.waitForCommit(check.lastOffset + 1, timeoutMs).then((code) => (code ? failed(code) : dup));
    }
    return this.appendChecked(records.buf, acks, timeoutMs);
  }

  /**
   * WriteTxnMarkers: appends the commit or abort marker of a producer's transaction, as the
   * leader, answered as an append with `acks` (the coordinator asks for all). Refused with
   * INVALID_PRODUCER_EPOCH / TRANSACTION_COORDINATOR_FENCED when the marker is older than what
   * this partition has seen of the producer.
   */
  appendTxnMarker(marker: TxnMarker, acks: number, timeoutMs: number): LeaderAppendResult | Promise<LeaderAppendResult> {
    if (this._role !== 'leader') return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    if (acks === -1 && this.caughtUpIsr() < this.config.minInsyncReplicas) return failed(ErrorCode.NOT_ENOUGH_REPLICAS);
    const check = this.producers.checkMarker(marker);
    if (check.kind === 'error') return failed(check.errorCode, check.message);
    return this.appendChecked(buildMarkerBatch(marker), acks, timeoutMs);
  }

  /** Appends batches that passed the leader's checks; see appendAsLeader. */
  private appendChecked(buf: Buffer, acks: number, timeoutMs: number): LeaderAppendResult | Promise<LeaderAppendResult> {
    const offline = this.storageOffline();
    if (offline) return offline;
    let res;
    try {
      res = this.log.append(buf, this._leaderEpoch);
    } catch (e) {
      // The log took nothing (segment.ts undoes a cut write): log end offset and HW stay.
      return this.storageFailed('append to', e);
    }
    this.producers.observe(buf, this.log.logEndOffset); // the batches now carry their offsets
    if (this.host.fsync) {
      try {
        this.log.flush();
      } catch (e) {
        // Not acknowledged and not committed by this append; the dir goes offline.
        return this.storageFailed('fsync of', e);
      }
    }
    this.afterAppend(buf, acks);
    const out: LeaderAppendResult = {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      baseOffset: res.baseOffset,
      logAppendTime: res.logAppendTime,
      logStartOffset: res.logStartOffset,
    };
    if (acks !== -1) return out;
    return this.waitForCommit(res.lastOffset + 1, timeoutMs).then((code) => (code ? failed(code) : out));
  }

  private afterAppend(appended: Buffer, acks: number): void {
    // acks=all: the request holds these bytes until the followers have them anyway (tail-cache.ts)
    if (acks === -1 && this.followers.size) this.tail.add(appended);
    this.maybeAdvanceHw(); // alone in the ISR, the leader commits what it appends
    this.wake();
  }

  /** KAFKA_STORAGE_ERROR while the log dir is offline, else null. */
  private storageOffline(): LeaderAppendResult | null {
    const failure = this.host.logDir?.failure;
    return failure ? failed(ErrorCode.KAFKA_STORAGE_ERROR, `log dir offline: ${failure.message}`) : null;
  }

  /** A write failed: an I/O error takes the log dir offline; the client gets KAFKA_STORAGE_ERROR. */
  private storageFailed(what: string, e: unknown): LeaderAppendResult {
    const msg = `${what} ${tpName(this.tp)} failed: ${(e as Error).message}`;
    this.host.logger(msg);
    if (isStorageError(e)) this.host.logDir?.fail(`${what} ${tpName(this.tp)}`, e);
    return failed(ErrorCode.KAFKA_STORAGE_ERROR, msg);
  }

  /** Resolves with NONE once the high watermark reaches `offset`, or with an error code. */
  private waitForCommit(offset: number, timeoutMs: number): Promise<number> {
    if (this.hw >= offset) return Promise.resolve(this.commitCode());
    return new Promise((resolve) => {
      const w: CommitWaiter = {
        offset,
        resolve,
        timer: setTimeout(
          () => {
            this.commitWaiters = this.commitWaiters.filter((x) => x !== w);
            resolve(ErrorCode.REQUEST_TIMED_OUT);
          },
          Math.max(0, timeoutMs),
        ),
      };
      this.commitWaiters.push(w); // appends come in offset order, so the list stays sorted
    });
  }

  private commitCode(): number {
    return this.caughtUpIsr() < this.config.minInsyncReplicas
      ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND
      : ErrorCode.NONE;
  }

  private failWaiters(code: number): void {
    const ws = [...this.commitWaiters, ...this.deleteWaiters];
    this.commitWaiters = [];
    this.deleteWaiters = [];
    for (const w of ws) {
      clearTimeout(w.timer);
      w.resolve(code);
    }
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (-1: the high watermark). Answered
   * once every ISR member has moved its log start there too (the low watermark), as Kafka's
   * DelayedDeleteRecords; REQUEST_TIMED_OUT after timeoutMs.
   */
  deleteRecordsTo(offset: number, timeoutMs: number): DeleteRecordsResult | Promise<DeleteRecordsResult> {
    if (this._role !== 'leader') return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, lowWatermark: -1 };
    const hw = this.highWatermark;
    const target = offset === -1 ? hw : offset;
    if (target < 0 || target > hw) return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 };
    if (target > this.log.logStartOffset) {
      if (this.host.logDir?.offline) return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, lowWatermark: -1 };
      try {
        this.log.advanceStartOffset(target); // writes its checkpoint first
      } catch (e) {
        return { errorCode: this.storageFailed('DeleteRecords on', e).errorCode, lowWatermark: -1 };
      }
      this.wake(); // long-polling followers learn the new log start at once
    }
    const low = this.lowWatermark();
    if (low >= target) return { errorCode: ErrorCode.NONE, lowWatermark: low };
    return new Promise((resolve) => {
      const w: CommitWaiter = {
        offset: target,
        resolve: (code) => resolve({ errorCode: code, lowWatermark: code ? -1 : this.lowWatermark() }),
        timer: setTimeout(
          () => {
            this.deleteWaiters = this.deleteWaiters.filter((x) => x !== w);
            resolve({ errorCode: ErrorCode.REQUEST_TIMED_OUT, lowWatermark: -1 });
          },
          Math.max(0, timeoutMs),
        ),
      };
      this.deleteWaiters.push(w);
    });
  }

  /** The smallest log start offset of the ISR (-1 while a member has not reported one). */
  private lowWatermark(): number {
    let low = this.log.logStartOffset;
    for (const id of this.maximalIsr()) {
      if (id !== this.host.nodeId) low = Math.min(low, this.followers.get(id)?.logStartOffset ?? -1);
    }
    return low;
  }

  private maybeCompleteDeletes(): void {
    if (!this.deleteWaiters.length) return;
    const low = this.lowWatermark();
    const done = this.deleteWaiters.filter((w) => w.offset <= low);
    if (!done.length) return;
    this.deleteWaiters = this.deleteWaiters.filter((w) => w.offset > low);
    for (const w of done) {
      clearTimeout(w.timer);
      w.resolve(ErrorCode.NONE);
    }
  }

  // ------------------------------------------------------------------ leader: followers and HW

  /** As leader, each follower's last fetch offset and when it last caught up (read by broker/metrics). */
  *followerProgress(): Iterable<{ replicaId: number; fetchOffset: number; lastCaughtUp: number }> {
    if (this._role !== 'leader') return;
    for (const [replicaId, f] of this.followers) yield { replicaId, fetchOffset: f.leo, lastCaughtUp: f.lastCaughtUp };
  }

  /** A follower fetched from fetchOffset: that is its log end offset. */
  onFollowerFetch(replicaId: number, fetchOffset: number, followerLogStartOffset: number): void {
    if (this._role !== 'leader') return;
    const f = this.followers.get(replicaId);
    const leo = this.log.logEndOffset;
    if (!f || fetchOffset > leo) return;
    const now = Date.now();
    if (fetchOffset >= leo) f.lastCaughtUp = now;
    else if (f.leaderLeoAtLastFetch >= 0 && fetchOffset >= f.leaderLeoAtLastFetch)
      f.lastCaughtUp = Math.max(f.lastCaughtUp, f.lastFetch);
    f.leo = fetchOffset;
    f.logStartOffset = followerLogStartOffset;
    f.lastFetch = now;
    f.leaderLeoAtLastFetch = leo;
    this.maybeAdvanceHw();
    this.maybeCompleteDeletes();
    if (!this.meta.isr.includes(replicaId) && !this.pendingIsr && this.canJoinIsr(f)) this.maybeUpdateIsr(now);
  }

  private canJoinIsr(f: FollowerState): boolean {
    return f.leo >= this.hw && f.leo >= this.epochs.latestStartOffset;
  }

  private maximalIsr(): number[] {
    return this.pendingIsr ? [...new Set([...this.meta.isr, ...this.pendingIsr])] : this.meta.isr;
  }

  private maybeAdvanceHw(): void {
    if (this._role !== 'leader') return;
    let hw = this.log.logEndOffset;
    for (const id of this.maximalIsr()) {
      if (id !== this.host.nodeId) hw = Math.min(hw, this.followers.get(id)?.leo ?? -1);
    }
    if (hw <= this.hw) return;
    this.hw = hw;
    this.tail.trimBelow(hw); // every ISR member has these
    this.producers.onHighWatermarkUpdated(hw);
    if (this.commitWaiters.length && this.commitWaiters[0].offset <= hw) {
      const code = this.commitCode();
      let n = 0;
      while (n < this.commitWaiters.length && this.commitWaiters[n].offset <= hw) n++;
      for (const w of this.commitWaiters.splice(0, n)) {
        clearTimeout(w.timer);
        w.resolve(code);
      }
    }
    this.wake();
  }

  /** ISR members (with the leader) that have caught up within replica.lag.time.max.ms. */
  private caughtUpIsr(): number {
    const now = Date.now();
    let n = 0;
    for (const id of this.meta.isr) {
      if (id === this.host.nodeId || now - (this.followers.get(id)?.lastCaughtUp ?? 0) <= this.host.replicaLagTimeMaxMs)
        n++;
    }
    return n;
  }

  /** ISR shrink/expand through AlterPartition; called periodically and when a follower catches up. */
  maybeUpdateIsr(now = Date.now()): void {
    const alter = this.host.alterIsr;
    if (this._role !== 'leader' || this.pendingIsr || now < this.nextAlterAt || !alter) return;
    // Refused for a stale partition or leader epoch: asking again with it can only be refused
    // again (as Kafka's leader, wait for the metadata that changed the partition).
    const stale = this.staleMeta;
    if (stale && stale.partitionEpoch === this.meta.partitionEpoch && stale.leaderEpoch === this.meta.leaderEpoch) return;
    this.staleMeta = null;
    const self = this.host.nodeId;
    const lag = this.host.replicaLagTimeMaxMs;
    const isr = this.meta.isr;
    if (!this.isrMayChange(now)) return; // the usual case, every 200 ms for every partition led: no allocation
    const out = isr.filter((id) => id !== self && now - (this.followers.get(id)?.lastCaughtUp ?? 0) > lag);
    const add = this.meta.replicas.filter((id) => {
      if (id === self || isr.includes(id)) return false;
      const f = this.followers.get(id);
      return !!f && this.canJoinIsr(f) && now - f.lastFetch < lag;
    });
    if (!out.length && !add.length) return;
    const next = [...isr.filter((id) => !out.includes(id)), ...add];
    if (!next.includes(self)) next.unshift(self);
    this.pendingIsr = next;
    const meta = this.meta;
    alter(this.tp, meta, next).then(
      () => {
        // Applied by the time AlterPartition answers; applyMetadata clears it once metadata shows it.
        setTimeout(() => {
          if (this.pendingIsr === next) this.pendingIsr = null;
        }, 2000).unref();
      },
      (e: Error) => {
        if (this.pendingIsr === next) this.pendingIsr = null;
        this.nextAlterAt = Date.now() + 500;
        if ('code' in e && typeof e.code === 'number' && STALE_ISR_ERRORS.has(e.code)) this.staleMeta = meta;
        this.host.logger(`replication: AlterPartition ${tpName(this.tp)} -> ${JSON.stringify(next)} failed: ${e.message}`);
      },
    );
  }

  /** Whether a member would leave the ISR or a replica join it now (maybeUpdateIsr's filters, without arrays). */
  private isrMayChange(now: number): boolean {
    const self = this.host.nodeId;
    const lag = this.host.replicaLagTimeMaxMs;
    const isr = this.meta.isr;
    for (const id of isr) if (id !== self && now - (this.followers.get(id)?.lastCaughtUp ?? 0) > lag) return true;
    for (const id of this.meta.replicas) {
      if (id === self || isr.includes(id)) continue;
      const f = this.followers.get(id);
      if (f && this.canJoinIsr(f) && now - f.lastFetch < lag) return true;
    }
    return false;
  }

  /** OffsetForLeaderEpoch as the leader: where `epoch` ends in this log. */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    return this.epochs.endOffsetFor(epoch, this.log.logEndOffset);
  }

  // ------------------------------------------------------------------ follower

  /** Appends batches fetched from the leader, with the offsets it assigned. */
  appendAsFollower(batches: Buffer): void {
    if (batches.length === 0) return;
    const dir = this.host.logDir;
    if (dir?.failure) throw new Error(`log dir offline: ${dir.failure.message}`);
    try {
      this.log.appendAsFollower(batches);
      this.epochs.observeBatches(batches);
      this.producers.observe(batches, this.log.logEndOffset); // a new leader de-duplicates retries too
      if (this.host.fsync) this.log.flush();
    } catch (e) {
      if (isStorageError(e)) dir?.fail(`follower append to ${tpName(this.tp)}`, e);
      throw e;
    }
  }

  /** The leader's high watermark from a fetch response. */
  updateFollowerHighWatermark(leaderHw: number): void {
    this.hw = Math.max(this.hw, Math.min(leaderHw, this.log.logEndOffset));
    this.producers.onHighWatermarkUpdated(this.hw);
  }

  /** The leader's log start offset from a fetch response: records below it go here too. */
  updateFollowerLogStartOffset(leaderLogStartOffset: number): void {
    const to = Math.min(leaderLogStartOffset, this.highWatermark);
    if (to > this.log.logStartOffset) this.log.advanceStartOffset(to);
  }

  /**
   * The leader no longer has what this replica would fetch next (its log start is past our log
   * end): nothing here is worth keeping, continue at `offset`.
   */
  truncateFullyAndStartAt(offset: number): void {
    this.log.advanceStartOffset(offset);
    this.epochs.clear();
    this.producers.truncateFullyAndStartAt(offset);
    this.hw = offset;
  }

  /** Removes everything from `offset` on (where the log diverged from the leader's). */
  truncateTo(offset: number): void {
    this.log.truncateTo(Math.max(offset, this.log.logStartOffset));
    this.epochs.truncateFromEnd(this.log.logEndOffset);
    this.reloadProducers();
    this.hw = Math.min(this.hw, this.log.logEndOffset);
  }

  // ------------------------------------------------------------------ reads

  read(offset: number, maxBytes: number, isolation: FetchIsolation, alloc?: ReadAlloc): PartitionRead {
    const hw = this.highWatermark;
    const lso = this.lastStableOffset;
    const logStartOffset = this.log.logStartOffset;
    const leo = this.log.logEndOffset;
    const committed = isolation === 'committed';
    const out: PartitionRead = {
      errorCode: ErrorCode.NONE,
      highWatermark: hw,
      lastStableOffset: lso,
      logStartOffset,
      records: NO_RECORDS,
      bytes: 0,
      abortedTransactions: committed ? NO_ABORTED : null,
    };
    if (offset < logStartOffset || offset > leo) {
      out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
      return out;
    }
    const limit = isolation === 'log-end' ? leo : committed ? lso : hw;
    if (offset >= limit || maxBytes <= 0) return out;
    const r = (this._role === 'leader' && this.tail.read(offset, maxBytes, limit)) || this.log.read(offset, maxBytes, limit, alloc);
    out.records = r.chunks;
    out.bytes = r.bytes;
    if (committed && r.chunks.length) {
      // Kafka's upper bound: the offset after the last batch returned.
      const upper = nextOffsetAfter(r.chunks[r.chunks.length - 1]);
      const aborted = this.log.collectAbortedTxns(offset, upper);
      if (aborted.length) out.abortedTransactions = aborted.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }));
    }
    return out;
  }

  /** Calls fn once, on the next append, high watermark move or role change. Returns its cancel. */
  onNextChange(fn: () => void): () => void {
    this.wakeups.add(fn);
    return () => this.wakeups.delete(fn);
  }

  private wake(): void {
    if (this.wakeups.size === 0) return;
    const fns = this.wakeups;
    this.wakeups = new Set();
    for (const fn of fns) fn();
  }
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
