// One transactional id's state on its coordinator, after Kafka's TransactionMetadata (transaction
// protocol version 0/1: the epoch is bumped by InitProducerId and by fencing, not per
// transaction). A change is prepared first (prepare*: validates the move, sets pendingState and
// returns the target as a TxnTransit), written to `__transaction_state`, and only then applied
// (completeTransition), so the in-memory state never runs ahead of the log. While a change is
// pending, other requests get CONCURRENT_TRANSACTIONS.
//
// States and moves (Kafka's validPreviousStates):
//   Empty / CompleteCommit / CompleteAbort --InitProducerId--> Empty (epoch + 1)
//   Empty / Complete* / Ongoing --AddPartitionsToTxn / AddOffsetsToTxn--> Ongoing
//   Ongoing --EndTxn--> PrepareCommit | PrepareAbort --markers written--> CompleteCommit | CompleteAbort
//   Ongoing --InitProducerId of a new instance, or the timeout--> PrepareEpochFence (epoch + 1,
//     never written) --> PrepareAbort with the bumped epoch
//   Empty / Complete* --transactional.id.expiration.ms--> Dead (a tombstone)
// Pure: no I/O, no clock.

import type { TxnRecordValue, TxnState } from './txn-records.ts';

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
const MAX_EPOCH = 32767;

/** The producer may not use an epoch this high: the coordinator must always be able to fence it. */
export const isEpochExhausted = (epoch: number) => epoch >= MAX_EPOCH - 1;

const VALID_PREVIOUS: Record<TxnState, readonly TxnState[]> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

/** A set of topic partitions, kept as topic -> partitions. */
export class TxnPartitions {
  private byTopic = new Map<string, Set<number>>();

  static of(list: readonly { topic: string; partitions: readonly number[] }[]): TxnPartitions {
    const s = new TxnPartitions();
    for (const t of list) for (const p of t.partitions) s.add(t.topic, p);
    return s;
  }

  add(topic: string, partition: number): void {
    let ps = this.byTopic.get(topic);
    if (!ps) this.byTopic.set(topic, (ps = new Set()));
    ps.add(partition);
  }
  delete(topic: string, partition: number): void {
    const ps = this.byTopic.get(topic);
    if (!ps) return;
    ps.delete(partition);
    if (ps.size === 0) this.byTopic.delete(topic);
  }
  has(topic: string, partition: number): boolean {
    return this.byTopic.get(topic)?.has(partition) ?? false;
  }
  get size(): number {
    let n = 0;
    for (const ps of this.byTopic.values()) n += ps.size;
    return n;
  }
  /** Whether every partition of `other` is in this set. */
  covers(other: TxnPartitions): boolean {
    return other.list().every((t) => t.partitions.every((p) => this.has(t.topic, p)));
  }
  union(other: TxnPartitions): TxnPartitions {
    const s = TxnPartitions.of(this.list());
    for (const t of other.list()) for (const p of t.partitions) s.add(t.topic, p);
    return s;
  }
  equals(other: TxnPartitions): boolean {
    return this.size === other.size && this.covers(other);
  }
  /** Sorted by topic then partition. */
  list(): { topic: string; partitions: number[] }[] {
    return [...this.byTopic]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, ps]) => ({ topic, partitions: [...ps].sort((a, b) => a - b) }));
  }
}

/** The target of a prepared change, as it is written to the log. */
export interface TxnTransit {
  producerId: number;
  /** The producer id before this change (Kafka's prevProducerId). */
  previousProducerId: number;
  producerEpoch: number;
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  partitions: TxnPartitions;
  startTimestamp: number;
  lastUpdateTimestamp: number;
}

export class TxnStateError extends Error {}

export class TxnMetadata {
  /** The state this id is moving to while its log write is in flight. */
  pendingState: TxnState | null = null;
  /** A fence whose log write failed: the epoch was bumped in memory only; do not bump it again. */
  hasFailedEpochFence = false;

  constructor(
    readonly transactionalId: string,
    public producerId: number,
    public previousProducerId: number,
    public producerEpoch: number,
    public lastProducerEpoch: number,
    public timeoutMs: number,
    public state: TxnState,
    public partitions: TxnPartitions,
    public startTimestamp: number,
    public lastUpdateTimestamp: number,
  ) {}

  /** A new transactional id: producer id allocated, no epoch yet (the first InitProducerId makes it 0). */
  static create(transactionalId: string, producerId: number, timeoutMs: number, now: number): TxnMetadata {
    return new TxnMetadata(transactionalId, producerId, NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_PRODUCER_EPOCH, timeoutMs, 'Empty', new TxnPartitions(), -1, now);
  }

  /** As read back from `__transaction_state` (Kafka does not store the last epoch). */
  static fromRecord(transactionalId: string, v: TxnRecordValue): TxnMetadata {
    return new TxnMetadata(
      transactionalId,
      v.producerId,
      NO_PRODUCER_ID,
      v.producerEpoch,
      NO_PRODUCER_EPOCH,
      v.timeoutMs,
      v.state,
      v.state === 'Empty' ? new TxnPartitions() : TxnPartitions.of(v.partitions),
      v.startTimestamp,
      v.lastUpdateTimestamp,
    );
  }

  get pending(): boolean {
    return this.pendingState !== null;
  }

  get isEpochExhausted(): boolean {
    return isEpochExhausted(this.producerEpoch);
  }

  /** Ongoing, PrepareCommit or PrepareAbort. */
  get hasPendingTransaction(): boolean {
    return this.state === 'Ongoing' || this.state === 'PrepareCommit' || this.state === 'PrepareAbort';
  }

  /** The marker of this partition is written: it no longer waits for it. */
  removePartition(topic: string, partition: number): void {
    if (this.state !== 'PrepareCommit' && this.state !== 'PrepareAbort')
      throw new TxnStateError(`${this.transactionalId}: removing a partition in state ${this.state}`);
    this.partitions.delete(topic, partition);
  }

  // ------------------------------------------------------------------ prepare

  prepareFenceProducerEpoch(): TxnTransit {
    if (this.producerEpoch === MAX_EPOCH) throw new TxnStateError(`${this.transactionalId}: cannot fence epoch ${MAX_EPOCH}`);
    const bumped = this.hasFailedEpochFence ? this.producerEpoch : this.producerEpoch + 1;
    return this.prepare('PrepareEpochFence', { producerEpoch: bumped, lastProducerEpoch: NO_PRODUCER_EPOCH });
  }

  /**
   * InitProducerId on an Empty or completed id: epoch + 1. With an expected epoch (KIP-360,
   * InitProducerId v3+): the current one bumps it, the last one is a retry answered with the
   * current epoch, any other is PRODUCER_FENCED (returned as a string).
   */
  prepareIncrementProducerEpoch(timeoutMs: number, expectedEpoch: number | null, now: number): TxnTransit | 'PRODUCER_FENCED' {
    if (this.isEpochExhausted) throw new TxnStateError(`${this.transactionalId}: producer epochs of ${this.producerId} exhausted`);
    let next = this.producerEpoch + 1;
    let last = NO_PRODUCER_EPOCH;
    if (expectedEpoch !== null) {
      if (this.producerEpoch === NO_PRODUCER_EPOCH || expectedEpoch === this.producerEpoch) last = this.producerEpoch;
      else if (expectedEpoch === this.lastProducerEpoch) {
        next = this.producerEpoch;
        last = this.lastProducerEpoch;
      } else return 'PRODUCER_FENCED';
    }
    return this.prepare('Empty', {
      producerEpoch: next,
      lastProducerEpoch: last,
      timeoutMs,
      partitions: new TxnPartitions(),
      startTimestamp: -1,
      lastUpdateTimestamp: now,
    });
  }

  /** The epoch is exhausted: a new producer id at epoch 0. */
  prepareProducerIdRotation(newProducerId: number, timeoutMs: number, now: number, recordLastEpoch: boolean): TxnTransit {
    if (this.hasPendingTransaction) throw new TxnStateError(`${this.transactionalId}: rotating the producer id of a pending transaction`);
    return this.prepare('Empty', {
      producerId: newProducerId,
      producerEpoch: 0,
      lastProducerEpoch: recordLastEpoch ? this.producerEpoch : NO_PRODUCER_EPOCH,
      timeoutMs,
      partitions: new TxnPartitions(),
      startTimestamp: -1,
      lastUpdateTimestamp: now,
    });
  }

  prepareAddPartitions(added: TxnPartitions, now: number): TxnTransit {
    const fresh = this.state === 'Empty' || this.state === 'CompleteCommit' || this.state === 'CompleteAbort';
    return this.prepare('Ongoing', {
      partitions: this.partitions.union(added),
      startTimestamp: fresh ? now : this.startTimestamp,
      lastUpdateTimestamp: now,
    });
  }

  prepareAbortOrCommit(state: 'PrepareCommit' | 'PrepareAbort', now: number): TxnTransit {
    return this.prepare(state, { lastUpdateTimestamp: now });
  }

  prepareComplete(now: number): TxnTransit {
    this.hasFailedEpochFence = false; // the fence (if any) is in the log now
    const state = this.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
    return this.prepare(state, { lastProducerEpoch: this.producerEpoch, partitions: new TxnPartitions(), lastUpdateTimestamp: now });
  }

  prepareDead(): TxnTransit {
    return this.prepare('Dead', { partitions: new TxnPartitions() });
  }

  private prepare(state: TxnState, changes: Partial<TxnTransit>): TxnTransit {
    if (this.pendingState !== null)
      throw new TxnStateError(`${this.transactionalId}: preparing ${state} while ${this.pendingState} is pending`);
    if (!VALID_PREVIOUS[state].includes(this.state))
      throw new TxnStateError(`${this.transactionalId}: ${state} cannot follow ${this.state}`);
    const t: TxnTransit = {
      producerId: this.producerId,
      previousProducerId: this.producerId,
      producerEpoch: this.producerEpoch,
      lastProducerEpoch: this.lastProducerEpoch,
      timeoutMs: this.timeoutMs,
      state,
      partitions: this.partitions,
      startTimestamp: this.startTimestamp,
      lastUpdateTimestamp: this.lastUpdateTimestamp,
      ...changes,
    };
    if (t.producerId < 0) throw new TxnStateError(`${this.transactionalId}: illegal producer id ${t.producerId}`);
    if (state !== 'Dead' && t.producerEpoch < 0) throw new TxnStateError(`${this.transactionalId}: illegal epoch ${t.producerEpoch}`);
    this.pendingState = state;
    return t;
  }

  // ------------------------------------------------------------------ complete

  /** Applies a prepared change once its log write succeeded (Kafka's completeTransitionTo, with its checks). */
  completeTransition(t: TxnTransit): void {
    const fail = () => {
      throw new TxnStateError(`${this.transactionalId}: unexpected transition from ${this.state} to ${JSON.stringify({ ...t, partitions: t.partitions.list() })}`);
    };
    if (this.pendingState !== t.state) fail();
    const sameProducer = t.producerId === this.producerId && t.producerEpoch === this.producerEpoch;
    switch (t.state) {
      case 'Empty': {
        const bump = t.producerEpoch === this.producerEpoch + 1 || (t.producerEpoch === 0 && t.producerId !== this.producerId);
        if ((this.producerEpoch !== t.producerEpoch && !bump) || t.partitions.size > 0 || t.startTimestamp !== -1) fail();
        this.timeoutMs = t.timeoutMs;
        this.producerEpoch = t.producerEpoch;
        this.lastProducerEpoch = t.lastProducerEpoch;
        this.previousProducerId = t.previousProducerId;
        this.producerId = t.producerId;
        break;
      }
      case 'Ongoing':
        if (!sameProducer || !t.partitions.covers(this.partitions) || this.timeoutMs !== t.timeoutMs) fail();
        this.startTimestamp = t.startTimestamp;
        this.partitions = t.partitions;
        break;
      case 'PrepareCommit':
      case 'PrepareAbort':
        if (!sameProducer || !t.partitions.equals(this.partitions) || this.timeoutMs !== t.timeoutMs || this.startTimestamp !== t.startTimestamp)
          fail();
        break;
      case 'CompleteCommit':
      case 'CompleteAbort':
        if (!sameProducer || this.timeoutMs !== t.timeoutMs || t.startTimestamp === -1) fail();
        this.startTimestamp = t.startTimestamp;
        this.partitions = new TxnPartitions();
        this.lastProducerEpoch = t.lastProducerEpoch;
        break;
      default:
        // PrepareEpochFence is never written and Dead removes the id: neither completes here.
        fail();
    }
    this.lastUpdateTimestamp = t.lastUpdateTimestamp;
    this.pendingState = null;
    this.state = t.state;
  }

  /** The record written for a transit. */
  static recordOf(t: TxnTransit): TxnRecordValue {
    return {
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      timeoutMs: t.timeoutMs,
      state: t.state,
      partitions: t.partitions.list(),
      lastUpdateTimestamp: t.lastUpdateTimestamp,
      startTimestamp: t.startTimestamp,
    };
  }
}
