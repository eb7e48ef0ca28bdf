// The transaction coordinator, after Kafka's TransactionCoordinator / TransactionStateManager
// (transaction protocol version 0/1): InitProducerId with a transactional id (epoch bump,
// fencing an ongoing transaction of an older instance, KIP-360 resumption, producer id rotation
// when the epoch is exhausted), AddPartitionsToTxn (and its v4+ verification form),
// AddOffsetsToTxn (through addPartitions with the group's __consumer_offsets partition), EndTxn,
// DescribeTransactions and ListTransactions, the abort of transactions open past their timeout,
// and the expiry of idle transactional ids (tombstones). State lives per `__transaction_state`
// partition this node leads, at the coordinator epoch (the partition's leader epoch) it was
// loaded in; every change is written there (acks=all) before it is applied (txn-metadata.ts).
//
// Ending a transaction: PrepareCommit/PrepareAbort is written, the client is answered, then the
// markers go to every partition of the transaction (MarkerWriter: WriteTxnMarkers to their
// leaders, retried until written); once all are written CompleteCommit/CompleteAbort is
// written. A coordinator that starts leading a partition loads it and completes what was
// prepared there (sending the markers again: a partition that has the marker already answers
// NONE and changes nothing), so a commit or abort acknowledged to the client ends the same way
// on every partition whatever fails; a transaction that was still Ongoing is aborted by the new
// coordinator once its timeout passes (its start time is in the log).
//
// Time is explicit: tick(now) runs the timeout and expiry passes; the service calls it from a
// timer with the node's clock (the coordinator's own clock, as Kafka), unit tests with a fake one.
//
// Errors, as Kafka: NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS for a transactional id this
// node does not (yet) serve; INVALID_PRODUCER_ID_MAPPING for an unknown id or a producer id that
// is not its current one; PRODUCER_FENCED for another epoch (the handlers answer
// INVALID_PRODUCER_EPOCH to client versions that predate it); CONCURRENT_TRANSACTIONS while a
// change or the markers of the last transaction are in flight; INVALID_TXN_STATE for an EndTxn
// that contradicts the state; INVALID_TRANSACTION_TIMEOUT outside (0, transaction.max.timeout.ms].
// Log write failures map to COORDINATOR_NOT_AVAILABLE (not enough replicas, timeout) or
// NOT_COORDINATOR (leadership lost), as TransactionStateManager.appendTransactionToLog.

import { ErrorCode } from '../protocol/errors.ts';
import type { LoggedRecord } from './log-records.ts';
import { isEpochExhausted, NO_PRODUCER_EPOCH, TxnMetadata, TxnPartitions, TxnStateError, type TxnTransit } from './txn-metadata.ts';
import { decodeTxnRecord, TXN_STATES, txnKey, txnValue, type TxnState } from './txn-records.ts';

export interface TxnCoordinatorConfig {
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms */
  transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  abortTimedOutTransactionsIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms */
  removeExpiredTransactionalIdsIntervalMs: number;
}

export const TXN_COORDINATOR_DEFAULTS: TxnCoordinatorConfig = {
  transactionMaxTimeoutMs: 900000,
  transactionalIdExpirationMs: 604800000,
  abortTimedOutTransactionsIntervalMs: 10000,
  removeExpiredTransactionalIdsIntervalMs: 3600000,
};

/** Where the coordinator persists. */
export interface TxnStore {
  partitionFor(transactionalId: string): number;
  /** Appends one record to the partition with acks=all; resolves with the append's error code. */
  append(partition: number, key: Buffer, value: Buffer | null, timeoutMs: number): Promise<number>;
}

/** Markers of one ended transaction to write to its partitions' leaders. */
export interface MarkerJob {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
  partitions: { topic: string; partition: number }[];
  /** False once this coordinator no longer owns the transaction at this epoch: stop. */
  valid(): boolean;
  /** The marker is written (or the partition is gone). */
  done(topic: string, partition: number): void;
  /** The partition refused for good (a newer producer or coordinator epoch): stop the whole job. */
  fenced(topic: string, partition: number, errorCode: number): void;
}

export interface MarkerWriter {
  write(job: MarkerJob): void;
}

export interface InitResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export interface TxnDescription {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

/** An id's description without state: the answer for an error (`errorCode`) on that id. */
export const noTxnDescription = (transactionalId: string, errorCode: number): TxnDescription => ({
  errorCode,
  transactionalId,
  transactionState: '',
  transactionTimeoutMs: 0,
  transactionStartTimeMs: -1,
  producerId: -1,
  producerEpoch: -1,
  topics: [],
});

export interface TxnListing {
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: { transactionalId: string; producerId: number; transactionState: string }[];
}

interface Loaded {
  epoch: number;
  txns: Map<string, TxnMetadata>;
}

type Lookup = { errorCode: number } | { errorCode: 0; epoch: number; meta: TxnMetadata | undefined; loaded: Loaded };

const initError = (errorCode: number): InitResult => ({ errorCode, producerId: -1, producerEpoch: -1 });
const COMPLETE_RETRY_MS = 200;

/** Kafka's mapping of a transaction-log append error to what the coordinator answers. */
function appendError(code: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}

export class TransactionCoordinator {
  private readonly cache = new Map<number, Loaded>();
  private readonly loading = new Set<number>();
  private nextAbortCheck: number;
  private nextExpiry: number;
  private closed = false;

  constructor(
    private readonly store: TxnStore,
    private readonly markers: MarkerWriter,
    private readonly allocateProducerId: () => number,
    readonly config: TxnCoordinatorConfig = TXN_COORDINATOR_DEFAULTS,
    private readonly now: () => number = Date.now,
    private readonly logger: (msg: string) => void = () => {},
  ) {
    this.nextAbortCheck = now() + config.abortTimedOutTransactionsIntervalMs;
    this.nextExpiry = now() + config.removeExpiredTransactionalIdsIntervalMs;
  }

  private lookup(transactionalId: string): Lookup {
    const partition = this.store.partitionFor(transactionalId);
    if (this.loading.has(partition)) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
    const loaded = this.cache.get(partition);
    if (!loaded) return { errorCode: ErrorCode.NOT_COORDINATOR };
    return { errorCode: 0, epoch: loaded.epoch, meta: loaded.txns.get(transactionalId), loaded };
  }

  /** NONE when this node serves the transactional id now. */
  coordinatorError(transactionalId: string): number {
    return this.lookup(transactionalId).errorCode;
  }

  // ------------------------------------------------------------------ InitProducerId

  async initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
    expected: { producerId: number; producerEpoch: number } | null,
  ): Promise<InitResult> {
    if (transactionalId === null) return { errorCode: ErrorCode.NONE, producerId: this.allocateProducerId(), producerEpoch: 0 };
    if (transactionalId === '') return initError(ErrorCode.INVALID_REQUEST);
    if (!(timeoutMs > 0 && timeoutMs <= this.config.transactionMaxTimeoutMs)) return initError(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const s = this.lookup(transactionalId);
    if (!('meta' in s)) return initError(s.errorCode);
    let meta = s.meta;
    if (!meta) {
      meta = TxnMetadata.create(transactionalId, this.allocateProducerId(), timeoutMs, this.now());
      s.loaded.txns.set(transactionalId, meta);
    }
    if (meta.pending) return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (expected && !validExpectedProducer(meta, expected)) return initError(ErrorCode.PRODUCER_FENCED);
    let transit: TxnTransit;
    switch (meta.state) {
      case 'PrepareAbort':
      case 'PrepareCommit':
        return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
      case 'Empty':
      case 'CompleteAbort':
      case 'CompleteCommit': {
        if (meta.isEpochExhausted && (!expected || expected.producerEpoch === meta.producerEpoch)) {
          transit = meta.prepareProducerIdRotation(this.allocateProducerId(), timeoutMs, this.now(), expected !== null);
        } else {
          const t = meta.prepareIncrementProducerEpoch(timeoutMs, expected?.producerEpoch ?? null, this.now());
          if (t === 'PRODUCER_FENCED') return initError(ErrorCode.PRODUCER_FENCED);
          transit = t;
        }
        break;
      }
      case 'Ongoing': {
        // Fence the older instance: abort its transaction with a bumped epoch, and let this
        // client retry (it gets its own bump once the abort is complete).
        const fence = meta.prepareFenceProducerEpoch();
        const err = await this.endTransaction(transactionalId, fence.producerId, fence.producerEpoch, false, false);
        return initError(err || ErrorCode.CONCURRENT_TRANSACTIONS);
      }
      default:
        this.logger(`transaction coordinator: ${transactionalId} found in illegal state ${meta.state}`);
        return initError(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
    const err = await this.appendToLog(transactionalId, s.epoch, transit);
    if (err) return initError(err);
    this.logger(
      `transaction coordinator: initialized ${transactionalId} with producer id ${transit.producerId} epoch ${transit.producerEpoch} (partition ${this.store.partitionFor(transactionalId)}, coordinator epoch ${s.epoch})`,
    );
    return { errorCode: ErrorCode.NONE, producerId: transit.producerId, producerEpoch: transit.producerEpoch };
  }

  // ------------------------------------------------------------------ AddPartitionsToTxn

  /** Adds partitions (AddPartitionsToTxn, or AddOffsetsToTxn's offsets partition) to the open transaction. */
  async addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: TxnPartitions): Promise<number> {
    if (!transactionalId) return ErrorCode.INVALID_REQUEST;
    const s = this.lookup(transactionalId);
    if (!('meta' in s)) return s.errorCode;
    const meta = s.meta;
    if (!meta || meta.producerId !== producerId) return this.unknownProducer('AddPartitionsToTxn', transactionalId, producerId, s);
    if (meta.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (meta.pending || meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (meta.state === 'Ongoing' && meta.partitions.covers(partitions)) return ErrorCode.NONE;
    return this.appendToLog(transactionalId, s.epoch, meta.prepareAddPartitions(partitions, this.now()));
  }

  /**
   * AddPartitionsToTxn v4+ with verifyOnly (KIP-890, from partition leaders): whether each
   * partition is in the producer's open transaction (NONE) or not (TRANSACTION_ABORTABLE).
   */
  verifyPartitions(transactionalId: string, producerId: number, producerEpoch: number): (topic: string, partition: number) => number {
    const all = (code: number) => () => code;
    if (!transactionalId) return all(ErrorCode.INVALID_REQUEST);
    const s = this.lookup(transactionalId);
    if (!('meta' in s)) return all(s.errorCode);
    const meta = s.meta;
    if (!meta || meta.producerId !== producerId) return all(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    if (meta.producerEpoch !== producerEpoch) return all(ErrorCode.PRODUCER_FENCED);
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') return all(ErrorCode.CONCURRENT_TRANSACTIONS);
    return (topic, partition) => (meta.partitions.has(topic, partition) ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE);
  }

  // ------------------------------------------------------------------ EndTxn

  /** EndTxn from a client (fromClient), or the coordinator's own abort of a fenced or timed-out transaction. */
  async endTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean, fromClient = true): Promise<number> {
    if (!transactionalId) return ErrorCode.INVALID_REQUEST;
    const s = this.lookup(transactionalId);
    if (!('meta' in s)) return s.errorCode;
    const meta = s.meta;
    if (!meta || meta.producerId !== producerId) return this.unknownProducer('EndTxn', transactionalId, producerId, s);
    const validEpoch = (!fromClient || producerEpoch === meta.producerEpoch) && producerEpoch >= meta.producerEpoch;
    if (!validEpoch) return ErrorCode.PRODUCER_FENCED;
    if (meta.pending && meta.pendingState !== 'PrepareEpochFence') return ErrorCode.CONCURRENT_TRANSACTIONS;
    let epochFence = false;
    let transit: TxnTransit;
    switch (meta.state) {
      case 'Ongoing': {
        const next = commit ? 'PrepareCommit' : 'PrepareAbort';
        if (next === 'PrepareAbort' && meta.pendingState === 'PrepareEpochFence') {
          // The fence's bumped epoch goes into the PrepareAbort record (PrepareEpochFence is never written).
          epochFence = true;
          meta.pendingState = null;
          meta.producerEpoch = producerEpoch;
          meta.lastProducerEpoch = NO_PRODUCER_EPOCH;
        }
        transit = meta.prepareAbortOrCommit(next, this.now());
        break;
      }
      case 'CompleteCommit':
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'CompleteAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case 'PrepareCommit':
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      case 'Empty':
        return ErrorCode.INVALID_TXN_STATE;
      default:
        this.logger(`transaction coordinator: ${transactionalId} found in illegal state ${meta.state}`);
        return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    const err = await this.appendToLog(transactionalId, s.epoch, transit);
    if (err) {
      if (epochFence && this.lookupOwned(transactionalId, s.epoch) === meta) meta.hasFailedEpochFence = true;
      return err;
    }
    // Written: answer the client, then write the markers.
    const now = this.lookup(transactionalId);
    if (!('meta' in now) || now.epoch !== s.epoch) return ErrorCode.NOT_COORDINATOR;
    if (now.meta !== meta || meta.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (meta.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (meta.pending) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (meta.state !== transit.state) return ErrorCode.INVALID_TXN_STATE;
    this.sendMarkers(s.epoch, commit, meta, meta.prepareComplete(this.now()));
    return ErrorCode.NONE;
  }

  /**
   * INVALID_PRODUCER_ID_MAPPING, logged with what this node holds for the id: a client that
   * initialised its producer moments ago only gets it from a node whose view of the
   * `__transaction_state` partition differs from its InitProducerId's coordinator.
   */
  private unknownProducer(api: string, transactionalId: string, producerId: number, s: { epoch: number; meta: TxnMetadata | undefined }): number {
    const held = s.meta ? `producer id ${s.meta.producerId} epoch ${s.meta.producerEpoch} (${s.meta.state})` : 'no state';
    this.logger(
      `transaction coordinator: ${api} of ${transactionalId} with producer id ${producerId}: INVALID_PRODUCER_ID_MAPPING, partition ${this.store.partitionFor(transactionalId)} at coordinator epoch ${s.epoch} holds ${held}`,
    );
    return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  }

  private lookupOwned(transactionalId: string, epoch: number): TxnMetadata | undefined {
    const s = this.lookup(transactionalId);
    return 'meta' in s && s.epoch === epoch ? s.meta : undefined;
  }

  /** Writes the markers of a prepared transaction, then its completion (Kafka's TransactionMarkerChannelManager). */
  private sendMarkers(coordinatorEpoch: number, commit: boolean, meta: TxnMetadata, complete: TxnTransit): void {
    const id = meta.transactionalId;
    let completing = false;
    const maybeComplete = () => {
      if (completing || meta.partitions.size > 0) return;
      completing = true;
      this.writeCompletion(id, coordinatorEpoch, meta, complete);
    };
    const partitions = meta.partitions.list().flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    if (partitions.length === 0) return maybeComplete();
    let stopped = false;
    this.markers.write({
      transactionalId: id,
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
      coordinatorEpoch,
      commit,
      partitions,
      valid: () => !stopped && !this.closed && this.lookupOwned(id, coordinatorEpoch) === meta,
      done: (topic, partition) => {
        if (stopped || !meta.partitions.has(topic, partition)) return;
        meta.removePartition(topic, partition);
        maybeComplete();
      },
      fenced: (topic, partition, errorCode) => {
        // A newer epoch owns the producer: this transaction is over for this coordinator (Kafka cancels its markers).
        stopped = true;
        this.logger(`transaction coordinator: markers of ${id} stopped: ${topic}-${partition} answered error ${errorCode}`);
      },
    });
  }

  private writeCompletion(id: string, coordinatorEpoch: number, meta: TxnMetadata, complete: TxnTransit): void {
    void this.appendToLog(id, coordinatorEpoch, complete, (e) => e === ErrorCode.COORDINATOR_NOT_AVAILABLE).then((err) => {
      if (err === ErrorCode.COORDINATOR_NOT_AVAILABLE && !this.closed && this.lookupOwned(id, coordinatorEpoch) === meta) {
        setTimeout(() => this.writeCompletion(id, coordinatorEpoch, meta, complete), COMPLETE_RETRY_MS).unref();
      } else if (err) {
        this.logger(`transaction coordinator: completion of ${id} not written (${err}); its next coordinator completes it`);
      }
    });
  }

  // ------------------------------------------------------------------ the log

  /**
   * Writes a prepared change (Kafka's appendTransactionToLog) and applies it once written at the
   * same coordinator epoch. On failure the pending state is dropped, unless retryOnError says
   * the caller retries the very same change.
   */
  private async appendToLog(id: string, coordinatorEpoch: number, t: TxnTransit, retryOnError?: (e: number) => boolean): Promise<number> {
    const before = this.lookup(id);
    if (!('meta' in before)) return before.errorCode;
    if (!before.meta || before.epoch !== coordinatorEpoch) return ErrorCode.NOT_COORDINATOR;
    const value = t.state === 'Dead' ? null : txnValue(TxnMetadata.recordOf(t));
    let err = appendError(await this.store.append(this.store.partitionFor(id), txnKey(id), value, t.timeoutMs));
    const s = this.lookup(id);
    const meta = 'meta' in s && s.epoch === coordinatorEpoch ? s.meta : undefined;
    if (err === ErrorCode.NONE) {
      if (!('meta' in s)) err = s.errorCode;
      else if (!meta) err = ErrorCode.NOT_COORDINATOR;
      else if (t.state === 'Dead') s.loaded.txns.delete(id);
      else {
        try {
          meta.completeTransition(t);
        } catch (e) {
          if (!(e instanceof TxnStateError)) throw e;
          this.logger(`transaction coordinator: ${e.message}`);
          meta.pendingState = null;
          err = ErrorCode.UNKNOWN_SERVER_ERROR;
        }
      }
    } else if (meta && !retryOnError?.(err)) {
      meta.pendingState = null;
    }
    return err;
  }

  // ------------------------------------------------------------------ admin

  describe(transactionalId: string): TxnDescription {
    if (!transactionalId) return noTxnDescription(transactionalId, ErrorCode.INVALID_REQUEST);
    const s = this.lookup(transactionalId);
    if (!('meta' in s)) return noTxnDescription(transactionalId, s.errorCode);
    const m = s.meta;
    if (!m || m.state === 'Dead') return noTxnDescription(transactionalId, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    return {
      errorCode: ErrorCode.NONE,
      transactionalId,
      transactionState: m.state,
      transactionTimeoutMs: m.timeoutMs,
      transactionStartTimeMs: m.startTimestamp,
      producerId: m.producerId,
      producerEpoch: m.producerEpoch,
      topics: m.partitions.list(),
    };
  }

  /** ListTransactions over the partitions this node coordinates (Kafka's listTransactionStates). */
  list(stateFilters: string[], producerIdFilters: number[], durationFilterMs = -1): TxnListing {
    if (this.loading.size) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, unknownStateFilters: [], transactionStates: [] };
    const known = (s: string): s is TxnState => (TXN_STATES as readonly string[]).includes(s);
    const states = new Set(stateFilters.filter(known));
    const unknownStateFilters = stateFilters.filter((s) => !known(s));
    const pids = new Set(producerIdFilters);
    const now = this.now();
    const transactionStates: TxnListing['transactionStates'] = [];
    for (const { txns } of this.cache.values()) {
      for (const m of txns.values()) {
        if (m.state === 'Dead') continue;
        if (pids.size && !pids.has(m.producerId)) continue;
        if (stateFilters.length && !states.has(m.state)) continue;
        if (durationFilterMs >= 0 && now - m.startTimestamp <= durationFilterMs) continue;
        transactionStates.push({ transactionalId: m.transactionalId, producerId: m.producerId, transactionState: m.state });
      }
    }
    return { errorCode: ErrorCode.NONE, unknownStateFilters, transactionStates };
  }

  // ------------------------------------------------------------------ ownership

  /**
   * Becomes the coordinator of a partition at `epoch`: rebuilds its transactional ids from the
   * records (oldest first) and completes the transactions found prepared.
   */
  loadPartition(partition: number, epoch: number, records: Iterable<LoggedRecord>): void {
    this.loading.add(partition);
    const txns = new Map<string, TxnMetadata>();
    try {
      for (const r of records) {
        if (r.marker) continue;
        let rec;
        try {
          rec = decodeTxnRecord(r.key, r.value);
        } catch (e) {
          this.logger(`transaction coordinator: unreadable record at ${partition}@${r.offset}: ${(e as Error).message}`);
          continue;
        }
        if (!rec) continue;
        if (rec.value === null) txns.delete(rec.transactionalId);
        else txns.set(rec.transactionalId, TxnMetadata.fromRecord(rec.transactionalId, rec.value));
      }
      this.cache.set(partition, { epoch, txns });
    } finally {
      this.loading.delete(partition);
    }
    let pending = 0;
    for (const meta of txns.values()) {
      if (meta.state !== 'PrepareCommit' && meta.state !== 'PrepareAbort') continue;
      pending++;
      this.sendMarkers(epoch, meta.state === 'PrepareCommit', meta, meta.prepareComplete(this.now()));
    }
    if (txns.size) this.logger(`transaction coordinator: loaded ${txns.size} transactional ids of partition ${partition} at epoch ${epoch}, completing ${pending}`);
  }

  /** No longer the coordinator of a partition. */
  unloadPartition(partition: number): void {
    this.cache.delete(partition);
    this.loading.delete(partition);
  }

  /** Partitions loaded, with their coordinator epochs. */
  loadedPartitions(): Map<number, number> {
    return new Map([...this.cache].map(([p, l]) => [p, l.epoch]));
  }

  // ------------------------------------------------------------------ time

  tick(now = this.now()): void {
    if (now >= this.nextAbortCheck) {
      this.nextAbortCheck = now + this.config.abortTimedOutTransactionsIntervalMs;
      this.abortTimedOutTransactions(now);
    }
    if (now >= this.nextExpiry) {
      this.nextExpiry = now + this.config.removeExpiredTransactionalIdsIntervalMs;
      this.expireTransactionalIds(now);
    }
  }

  /** Aborts, with a bumped epoch (fencing the producer), every transaction open past its timeout. */
  abortTimedOutTransactions(now = this.now()): void {
    for (const { txns } of this.cache.values()) {
      for (const m of txns.values()) {
        if (m.pending || m.state !== 'Ongoing' || m.startTimestamp + m.timeoutMs >= now) continue;
        const fence = m.prepareFenceProducerEpoch();
        this.logger(`transaction coordinator: aborting ${m.transactionalId}: open for more than ${m.timeoutMs} ms`);
        void this.endTransaction(m.transactionalId, fence.producerId, fence.producerEpoch, false, false).then((err) => {
          if (err) this.logger(`transaction coordinator: abort of timed-out ${m.transactionalId} failed: ${err}`);
        });
      }
    }
  }

  /** Writes tombstones for transactional ids idle for transactional.id.expiration.ms. */
  expireTransactionalIds(now = this.now()): void {
    for (const [, loaded] of this.cache) {
      for (const m of [...loaded.txns.values()]) {
        const idle = m.state === 'Empty' || m.state === 'CompleteCommit' || m.state === 'CompleteAbort';
        if (m.pending || !idle || m.lastUpdateTimestamp > now - this.config.transactionalIdExpirationMs) continue;
        void this.appendToLog(m.transactionalId, loaded.epoch, m.prepareDead());
      }
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** KIP-360: whose InitProducerId may continue the current producer (Kafka's isValidProducerId). */
function validExpectedProducer(meta: TxnMetadata, expected: { producerId: number; producerEpoch: number }): boolean {
  return (
    meta.producerEpoch === NO_PRODUCER_EPOCH ||
    expected.producerId === meta.producerId ||
    (expected.producerId === meta.previousProducerId && isEpochExhausted(expected.producerEpoch))
  );
}
