// The transaction coordinator's state machine with an in-memory store, a recording marker
// writer and a fake clock: InitProducerId (epochs, fencing, KIP-360, rotation), AddPartitions,
// EndTxn through PrepareCommit/PrepareAbort, markers and Complete*, the timeout abort, the log
// records in Kafka's format, loading a partition (completing what was prepared), log-write
// failures, DescribeTransactions / ListTransactions and transactional id expiry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/errors.ts';
import type { LoggedRecord } from './log-records.ts';
import { TransactionCoordinator, TXN_COORDINATOR_DEFAULTS, type MarkerJob, type TxnStore } from './txn-coordinator.ts';
import { TxnMetadata, TxnPartitions, TxnStateError } from './txn-metadata.ts';
import { decodeTxnRecord, txnKey, txnValue, type TxnRecordValue } from './txn-records.ts';

class MemStore implements TxnStore {
  log: { key: Buffer; value: Buffer | null }[] = [];
  failWith = 0;
  partitionFor(): number {
    return 0;
  }
  async append(_p: number, key: Buffer, value: Buffer | null): Promise<number> {
    if (this.failWith) return this.failWith;
    this.log.push({ key, value });
    return ErrorCode.NONE;
  }
  /** The decoded records written so far. */
  states(): (TxnRecordValue | null)[] {
    return this.log.map((r) => decodeTxnRecord(r.key, r.value)!.value);
  }
  last(): TxnRecordValue | null {
    const s = this.states();
    return s[s.length - 1];
  }
  asLogged(): LoggedRecord[] {
    return this.log.map((r, offset) => ({ ...r, offset, producerId: -1, transactional: false, marker: null }));
  }
}

class Markers {
  jobs: MarkerJob[] = [];
  write(job: MarkerJob): void {
    this.jobs.push(job);
  }
  /** Every pending job's partitions written. */
  deliverAll(): void {
    for (const j of this.jobs.splice(0)) for (const p of j.partitions) j.done(p.topic, p.partition);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function setup(config = {}) {
  const clock = { t: 1_000_000 };
  const store = new MemStore();
  const markers = new Markers();
  let nextPid = 1000;
  const c = new TransactionCoordinator(store, markers, () => nextPid++, { ...TXN_COORDINATOR_DEFAULTS, ...config }, () => clock.t);
  c.loadPartition(0, 5, []);
  return { c, store, markers, clock };
}

const parts = (...list: [string, number][]) => {
  const s = new TxnPartitions();
  for (const [t, p] of list) s.add(t, p);
  return s;
};

test('InitProducerId: a new id gets a producer id at epoch 0, each init bumps the epoch; timeout and id checks', async () => {
  const { c, store } = setup();
  assert.deepEqual(await c.initProducerId('t', 60000, null), { errorCode: 0, producerId: 1000, producerEpoch: 0 });
  assert.deepEqual(await c.initProducerId('t', 60000, null), { errorCode: 0, producerId: 1000, producerEpoch: 1 });
  assert.deepEqual(store.last(), {
    producerId: 1000,
    producerEpoch: 1,
    timeoutMs: 60000,
    state: 'Empty',
    partitions: [],
    lastUpdateTimestamp: 1_000_000,
    startTimestamp: -1,
  });
  assert.equal((await c.initProducerId('t', 0, null)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  assert.equal((await c.initProducerId('t', 900001, null)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  assert.equal((await c.initProducerId('', 1000, null)).errorCode, ErrorCode.INVALID_REQUEST);
  assert.deepEqual(await c.initProducerId(null, 0, null), { errorCode: 0, producerId: 1001, producerEpoch: 0 }, 'idempotent producer');
  c.unloadPartition(0);
  assert.equal((await c.initProducerId('t', 1000, null)).errorCode, ErrorCode.NOT_COORDINATOR);
});

test('a committed transaction: Ongoing, PrepareCommit answered, markers, then CompleteCommit; retries and wrong requests', async () => {
  const { c, store, markers, clock } = setup();
  const { producerId: pid } = await c.initProducerId('t', 60000, null);
  assert.equal(await c.addPartitions('nope', pid, 0, parts(['a', 0])), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(await c.addPartitions('t', pid + 1, 0, parts(['a', 0])), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(await c.addPartitions('t', pid, 1, parts(['a', 0])), ErrorCode.PRODUCER_FENCED);
  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.INVALID_TXN_STATE, 'nothing to end');
  clock.t += 10;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0], ['b', 1])), ErrorCode.NONE);
  const n = store.log.length;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0])), ErrorCode.NONE);
  assert.equal(store.log.length, n, 'already in the transaction: nothing written');
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 1])), ErrorCode.NONE);
  assert.deepEqual(store.last()!.partitions, [
    { topic: 'a', partitions: [0, 1] },
    { topic: 'b', partitions: [1] },
  ]);
  assert.equal(store.last()!.startTimestamp, 1_000_010);
  assert.equal(store.last()!.state, 'Ongoing');

  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.NONE);
  assert.equal(store.last()!.state, 'PrepareCommit');
  assert.equal(markers.jobs.length, 1);
  const job = markers.jobs[0];
  assert.deepEqual([job.producerId, job.producerEpoch, job.coordinatorEpoch, job.commit], [pid, 0, 5, true]);
  assert.deepEqual(job.partitions, [
    { topic: 'a', partition: 0 },
    { topic: 'a', partition: 1 },
    { topic: 'b', partition: 1 },
  ]);
  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.CONCURRENT_TRANSACTIONS, 'markers in flight');
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0])), ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal((await c.initProducerId('t', 60000, null)).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  job.done('a', 0);
  job.done('a', 1);
  await tick();
  assert.equal(store.last()!.state, 'PrepareCommit', 'one marker still missing');
  job.done('b', 1);
  await tick();
  assert.equal(store.last()!.state, 'CompleteCommit');
  assert.deepEqual(store.last()!.partitions, []);
  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.NONE, 'a retried commit');
  assert.equal(await c.endTransaction('t', pid, 0, false), ErrorCode.INVALID_TXN_STATE);
  assert.equal(await c.endTransaction('t', pid, 1, true), ErrorCode.PRODUCER_FENCED);
  // The next transaction starts afresh.
  clock.t += 10;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['c', 0])), ErrorCode.NONE);
  assert.deepEqual(store.last()!.partitions, [{ topic: 'c', partitions: [0] }]);
  assert.equal(store.last()!.startTimestamp, 1_000_020);
});

test('a new instance fences the old one: its open transaction is aborted with a bumped epoch', async () => {
  const { c, store, markers } = setup();
  const { producerId: pid } = await c.initProducerId('t', 60000, null);
  await c.addPartitions('t', pid, 0, parts(['a', 0]));
  const second = await c.initProducerId('t', 60000, null);
  assert.equal(second.errorCode, ErrorCode.CONCURRENT_TRANSACTIONS, 'retry once the abort is done');
  assert.equal(store.last()!.state, 'PrepareAbort');
  assert.equal(store.last()!.producerEpoch, 1, 'PrepareEpochFence is never written: the abort carries the bump');
  assert.equal(markers.jobs[0].producerEpoch, 1);
  assert.equal(markers.jobs[0].commit, false);
  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.PRODUCER_FENCED, 'the zombie cannot commit');
  markers.deliverAll();
  await tick();
  assert.equal(store.last()!.state, 'CompleteAbort');
  assert.deepEqual(await c.initProducerId('t', 60000, null), { errorCode: 0, producerId: pid, producerEpoch: 2 });
  assert.equal(await c.addPartitions('t', pid, 1, parts(['a', 0])), ErrorCode.PRODUCER_FENCED);
});

test('the coordinator aborts a transaction open past its timeout, on its own clock', async () => {
  const { c, store, markers, clock } = setup({ abortTimedOutTransactionsIntervalMs: 100 });
  const { producerId: pid } = await c.initProducerId('t', 1000, null);
  await c.addPartitions('t', pid, 0, parts(['a', 0]));
  clock.t += 900;
  c.tick(clock.t);
  assert.equal(store.last()!.state, 'Ongoing');
  clock.t += 200;
  c.tick(clock.t);
  await tick();
  assert.equal(store.last()!.state, 'PrepareAbort');
  assert.equal(store.last()!.producerEpoch, 1);
  markers.deliverAll();
  await tick();
  assert.equal(store.last()!.state, 'CompleteAbort');
  assert.equal(await c.endTransaction('t', pid, 0, true), ErrorCode.PRODUCER_FENCED, 'the late producer is fenced');
});

test('a failed log write answers COORDINATOR_NOT_AVAILABLE / NOT_COORDINATOR and leaves no pending state', async () => {
  const { c, store } = setup();
  const { producerId: pid } = await c.initProducerId('t', 60000, null);
  store.failWith = ErrorCode.NOT_ENOUGH_REPLICAS;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0])), ErrorCode.COORDINATOR_NOT_AVAILABLE);
  store.failWith = ErrorCode.NOT_LEADER_OR_FOLLOWER;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0])), ErrorCode.NOT_COORDINATOR);
  store.failWith = 0;
  assert.equal(await c.addPartitions('t', pid, 0, parts(['a', 0])), ErrorCode.NONE);
  assert.equal(c.describe('t').transactionState, 'Ongoing');
});

test('a failed fence is not bumped twice (hasFailedEpochFence)', async () => {
  const { c, store, markers } = setup();
  const { producerId: pid } = await c.initProducerId('t', 60000, null);
  await c.addPartitions('t', pid, 0, parts(['a', 0]));
  store.failWith = ErrorCode.REQUEST_TIMED_OUT;
  assert.equal((await c.initProducerId('t', 60000, null)).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
  store.failWith = 0;
  assert.equal((await c.initProducerId('t', 60000, null)).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
  assert.equal(store.last()!.producerEpoch, 1, 'epoch 1, not 2: the first bump never reached the client');
  markers.deliverAll();
  await tick();
  assert.deepEqual(await c.initProducerId('t', 60000, null), { errorCode: 0, producerId: pid, producerEpoch: 2 });
});

test('KIP-360: InitProducerId with the expected producer id and epoch resumes; a stale one is fenced', async () => {
  const { c } = setup();
  const a = await c.initProducerId('t', 60000, null);
  assert.deepEqual(await c.initProducerId('t', 60000, { producerId: a.producerId, producerEpoch: 0 }), { ...a, producerEpoch: 1 });
  // A retry of that call (its answer was lost) gets the same epoch again.
  assert.deepEqual(await c.initProducerId('t', 60000, { producerId: a.producerId, producerEpoch: 0 }), { ...a, producerEpoch: 1 });
  assert.equal((await c.initProducerId('t', 60000, { producerId: 77, producerEpoch: 1 })).errorCode, ErrorCode.PRODUCER_FENCED);
  await c.initProducerId('t', 60000, null); // another instance: epoch 2, last epoch forgotten
  assert.equal((await c.initProducerId('t', 60000, { producerId: a.producerId, producerEpoch: 0 })).errorCode, ErrorCode.PRODUCER_FENCED);
});

test('an exhausted epoch rotates to a new producer id at epoch 0', async () => {
  const { c, store } = setup();
  await c.initProducerId('t', 60000, null);
  const exhausted: TxnRecordValue = { ...store.last()!, producerEpoch: 32766 };
  c.loadPartition(0, 6, [{ key: txnKey('t'), value: txnValue(exhausted), offset: 0, producerId: -1, transactional: false, marker: null }]);
  const r = await c.initProducerId('t', 60000, null);
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.notEqual(r.producerId, exhausted.producerId);
  assert.equal(r.producerEpoch, 0);
});

test('loading a partition completes the transactions found prepared and keeps the others', async () => {
  const a = setup();
  const { producerId: pid } = await a.c.initProducerId('t', 60000, null);
  await a.c.addPartitions('t', pid, 0, parts(['a', 0], ['a', 1]));
  await a.c.endTransaction('t', pid, 0, true); // PrepareCommit, the coordinator dies before the markers
  const { producerId: pid2 } = await a.c.initProducerId('u', 60000, null);
  await a.c.addPartitions('u', pid2, 0, parts(['b', 0]));
  await a.c.initProducerId('gone', 60000, null);
  a.store.log.push({ key: txnKey('gone'), value: null });

  const b = setup();
  b.c.loadPartition(0, 9, a.store.asLogged());
  assert.equal(b.markers.jobs.length, 1, 'only the prepared one');
  const job = b.markers.jobs[0];
  assert.deepEqual([job.transactionalId, job.commit, job.coordinatorEpoch, job.partitions.length], ['t', true, 9, 2]);
  assert.equal(b.c.describe('t').transactionState, 'PrepareCommit');
  assert.equal(b.c.describe('u').transactionState, 'Ongoing');
  assert.equal(b.c.describe('gone').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, 'tombstoned');
  b.markers.deliverAll();
  await tick();
  assert.equal(b.c.describe('t').transactionState, 'CompleteCommit');
  // Reloaded at a newer epoch meanwhile, an old job is void.
  await b.c.endTransaction('u', pid2, 0, false);
  const old = b.markers.jobs[0];
  b.c.loadPartition(0, 10, b.store.asLogged());
  assert.equal(old.valid(), false);
});

test('DescribeTransactions and ListTransactions with filters', async () => {
  const { c, clock } = setup();
  const { producerId: pid } = await c.initProducerId('t', 60000, null);
  await c.addPartitions('t', pid, 0, parts(['a', 2]));
  await c.initProducerId('idle', 60000, null);
  assert.deepEqual(c.describe('t'), {
    errorCode: 0,
    transactionalId: 't',
    transactionState: 'Ongoing',
    transactionTimeoutMs: 60000,
    transactionStartTimeMs: 1_000_000,
    producerId: pid,
    producerEpoch: 0,
    topics: [{ topic: 'a', partitions: [2] }],
  });
  assert.equal(c.describe('missing').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  assert.deepEqual(c.list([], []).transactionStates.map((s) => s.transactionalId).sort(), ['idle', 't']);
  assert.deepEqual(c.list(['Ongoing', 'Bogus'], []), {
    errorCode: 0,
    unknownStateFilters: ['Bogus'],
    transactionStates: [{ transactionalId: 't', producerId: pid, transactionState: 'Ongoing' }],
  });
  assert.deepEqual(c.list([], [pid + 1]).transactionStates.map((s) => s.transactionalId), ['idle']);
  clock.t += 5000;
  assert.deepEqual(c.list(['Ongoing'], [], 4000).transactionStates.map((s) => s.transactionalId), ['t'], 'running longer than 4 s');
  assert.deepEqual(c.list(['Ongoing'], [], 6000).transactionStates, []);
});

test('transactional ids idle for transactional.id.expiration.ms are tombstoned', async () => {
  const { c, store, clock } = setup({ transactionalIdExpirationMs: 1000, removeExpiredTransactionalIdsIntervalMs: 100 });
  const { producerId: pid } = await c.initProducerId('old', 60000, null);
  await c.initProducerId('busy', 60000, null);
  await c.addPartitions('old', pid, 0, parts(['a', 0])); // open: never expires while open
  clock.t += 2000;
  c.tick(clock.t);
  await tick();
  assert.equal(c.describe('busy').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  assert.equal(store.log[store.log.length - 1].value, null, 'a tombstone');
  assert.equal(c.describe('old').transactionState, 'Ongoing');
});

test('TxnMetadata refuses moves Kafka does not allow', () => {
  const m = TxnMetadata.create('t', 1, 1000, 0);
  assert.throws(() => m.prepareAbortOrCommit('PrepareCommit', 1), TxnStateError);
  const t = m.prepareIncrementProducerEpoch(1000, null, 1);
  assert.ok(typeof t !== 'string');
  assert.throws(() => m.prepareAddPartitions(parts(['a', 0]), 2), TxnStateError, 'one change at a time');
  m.completeTransition(t);
  assert.equal(m.producerEpoch, 0);
  assert.throws(() => m.completeTransition(t), TxnStateError, 'not pending any more');
});

test('a coordinator that still holds a partition another node took over answers INVALID_PRODUCER_ID_MAPPING for the new producer, and says why', async () => {
  // Node A loaded the partition at epoch 5 and has not yet learned that node B leads it at
  // epoch 6; B initialised the producer. A client that A (or a node with A's view) sends to A
  // meets the stale coordinator: Kafka's answer there too (TransactionCoordinator finds no state).
  const logged: string[] = [];
  const store = new MemStore();
  const current = new TransactionCoordinator(store, new Markers(), () => 2000, TXN_COORDINATOR_DEFAULTS, () => 1_000_000, (m) => logged.push(m));
  current.loadPartition(0, 6, []);
  const init = await current.initProducerId('moved', 60000, null);
  assert.equal(init.errorCode, ErrorCode.NONE);
  assert.match(logged.join('\n'), /initialized moved with producer id 2000 epoch 0 \(partition 0, coordinator epoch 6\)/);
  assert.equal(await current.addPartitions('moved', init.producerId, init.producerEpoch, parts(['a', 0])), ErrorCode.NONE);

  const staleLog: string[] = [];
  const staleNode = new TransactionCoordinator(new MemStore(), new Markers(), () => 3000, TXN_COORDINATOR_DEFAULTS, () => 1_000_000, (m) => staleLog.push(m));
  staleNode.loadPartition(0, 5, []);
  assert.equal(await staleNode.addPartitions('moved', init.producerId, init.producerEpoch, parts(['a', 0])), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.match(staleLog.join('\n'), /AddPartitionsToTxn of moved with producer id 2000: INVALID_PRODUCER_ID_MAPPING, partition 0 at coordinator epoch 5 holds no state/);
  assert.equal(await staleNode.endTransaction('moved', init.producerId, init.producerEpoch, true), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  // Once it learns of the move it unloads the partition and answers NOT_COORDINATOR (retriable).
  staleNode.unloadPartition(0);
  assert.equal(await staleNode.addPartitions('moved', init.producerId, init.producerEpoch, parts(['a', 0])), ErrorCode.NOT_COORDINATOR);
});
