// The node's transaction coordination service: the TransactionCoordinator over the
// `__transaction_state` store, the marker channel to the partition leaders (over this node's
// own Kafka client connections), the producer id blocks shared with idempotent producers, and
// the clock that aborts timed-out transactions. Created by Broker.open and closed with it.
// The coordinator follows the leadership of `__transaction_state`: on every metadata change it
// loads the partitions this node has started leading (at their new leader epoch, the
// coordinator epoch) and unloads those it no longer leads.

import type { BrokerConfig } from '../config.ts';
import { Peers } from '../metadata/peers.ts';
import type { BrokerMeta, TopicMeta } from '../metadata/types.ts';
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.ts';
import type { OffsetsTopicHost } from './offsets-topic.ts';
import { ProducerIdManager } from './producer-ids.ts';
import { TransactionCoordinator } from './txn-coordinator.ts';
import { TxnLogStore } from './txn-log.ts';
import { TxnMarkerChannel } from './txn-markers.ts';
import { TRANSACTION_STATE_TOPIC } from './txn-records.ts';

/** What transaction coordination needs from its node. */
export interface TransactionsHost extends OffsetsTopicHost {
  readonly config: Pick<
    BrokerConfig,
    | 'dataDir'
    | 'transactionStateLogNumPartitions'
    | 'transactionMaxTimeoutMs'
    | 'transactionalIdExpirationMs'
    | 'transactionAbortTimedOutTransactionCleanupIntervalMs'
    | 'transactionRemoveExpiredTransactionCleanupIntervalMs'
    | 'quorum'
  >;
  readonly metadata: {
    topic(name: string): TopicMeta | undefined;
    brokers(): BrokerMeta[];
  };
  /** fn runs whenever the node's partitions change (opened, removed, a new role). */
  onPartitionsChanged(fn: () => void): void;
  logger(msg: string): void;
}

const TICK_MS = 100;
/** How long a partition leader may take to append and replicate a marker (request.timeout.ms is 30 s in Kafka). */
const MARKER_REQUEST_TIMEOUT_MS = 15000;

export class Transactions {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly coordinator: TransactionCoordinator,
    readonly store: TxnLogStore,
    readonly producerIds: ProducerIdManager,
    private readonly channel: TxnMarkerChannel,
    private readonly peers: Peers,
    private readonly logger: (msg: string) => void,
  ) {}

  static open(host: TransactionsHost): Transactions {
    const c = host.config;
    const producerIds = new ProducerIdManager(c.dataDir, host.nodeId);
    const store = new TxnLogStore(host, c.transactionStateLogNumPartitions);
    // WriteTxnMarkers go to the broker listeners: with SASL they log in (docs/decisions/0015).
    const peers = new Peers(host.nodeId, (id) => host.metadata.brokers().find((b) => b.nodeId === id), c.quorum?.peerAuth, c.quorum?.peerTls);
    const channel = new TxnMarkerChannel({
      leaderOf: (topic, partition) => {
        const p = host.metadata.topic(topic)?.partitions[partition];
        return p ? p.leader : null;
      },
      send: (nodeId, body) => peers.request(nodeId, 'txn-markers', WriteTxnMarkers, 1, body, MARKER_REQUEST_TIMEOUT_MS),
      logger: host.logger,
    });
    const coordinator = new TransactionCoordinator(
      store,
      channel,
      () => producerIds.allocate(),
      {
        transactionMaxTimeoutMs: c.transactionMaxTimeoutMs,
        transactionalIdExpirationMs: c.transactionalIdExpirationMs,
        abortTimedOutTransactionsIntervalMs: c.transactionAbortTimedOutTransactionCleanupIntervalMs,
        removeExpiredTransactionalIdsIntervalMs: c.transactionRemoveExpiredTransactionCleanupIntervalMs,
      },
      Date.now,
      host.logger,
    );
    const txns = new Transactions(coordinator, store, producerIds, channel, peers, host.logger);
    // Called after each step of Broker.reconcile, once the partitions it opened have their roles.
    host.onPartitionsChanged(() => txns.syncOwnership());
    txns.syncOwnership();
    txns.timer = setInterval(() => coordinator.tick(), TICK_MS);
    txns.timer.unref();
    return txns;
  }

  /** The coordinator once `__transaction_state` exists (created on first use), or the error to answer. */
  async ready(): Promise<TransactionCoordinator | number> {
    const err = await this.store.ensureTopic();
    return err || this.coordinator;
  }

  /** Loads the partitions this node leads now (again at a new epoch) and unloads the others. */
  syncOwnership(): void {
    const led = this.store.ledPartitions();
    const loaded = this.coordinator.loadedPartitions();
    const unloaded: number[] = [];
    const loads: string[] = [];
    for (const p of loaded.keys()) {
      if (led.has(p)) continue;
      this.coordinator.unloadPartition(p);
      unloaded.push(p);
    }
    for (const [p, epoch] of led) {
      if (loaded.get(p) === epoch) continue;
      this.coordinator.loadPartition(p, epoch, this.store.records(p));
      loads.push(`${p}@${epoch}`);
    }
    // Where each transactional id was served, for diagnosing a client that met a stale coordinator.
    if (unloaded.length || loads.length)
      this.logger(`transaction coordinator: loaded [${loads.join(',')}] unloaded [${unloaded.join(',')}] of ${TRANSACTION_STATE_TOPIC}`);
  }

  close(): void {
    clearInterval(this.timer);
    this.coordinator.close();
    this.channel.close();
    this.peers.close();
  }
}
