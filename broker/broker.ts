// The state of one broker node: config, metadata, partitions and coordinators, shared by every
// API handler through RequestContext. Partitions follow metadata: whenever metadata changes,
// `reconcile` opens a Partition (over its log) for every partition this node replicates, hands
// it its role, ISR and configs, and removes those of deleted topics, so CreateTopics,
// auto-creation and replicated metadata all take one path. It acts on what the change touched
// (metadata/metadata-change.ts), so its cost follows the change, not the cluster's size.
// With --voters the metadata is the Raft quorum's (metadata/raft-metadata.ts) and replication/
// runs the follower fetchers and the ISR upkeep. Replication and the coordinators get narrow
// host interfaces, never this class.

import path from 'node:path';
import type { BrokerConfig } from './config.ts';
import { Groups } from './coordinator/groups.ts';
import { Transactions } from './coordinator/transactions.ts';
import { LogManager } from './log/log-manager.ts';
import { isStorageError } from './log/log-dir.ts';
import { LocalMetadata } from './metadata/local-metadata.ts';
import { MetadataChange } from './metadata/metadata-change.ts';
import { ControllerError } from './metadata/controller.ts';
import { RaftMetadata } from './metadata/raft-metadata.ts';
import { EpochCache } from './partition/epoch-cache.ts';
import { Partition, type PartitionHost } from './partition/partition.ts';
import { Partitions } from './partition/partitions.ts';
import { ProducerStateManager } from './partition/producer-state.ts';
import { tpName, type TopicPartition } from './partition/topic-partition.ts';
import { ReplicaManager } from './replication/replica-manager.ts';
import { effectiveConfig, toLogConfig, validateTopicConfig } from './metadata/topic-configs.ts';
import { topicNameError } from './metadata/topic-name.ts';
import { ADMIN_TIMEOUT_MS, type CreateTopicSpec, type MetadataStore, type PartitionMeta, type TopicMeta } from './metadata/types.ts';
import { ErrorCode } from './protocol/errors.ts';

export interface TopicError {
  errorCode: number;
  errorMessage: string | null;
}

/** How long reconcile() opens logs before it lets the event loop run (heartbeats, requests). */
const OPEN_SLICE_MS = 50;

/** Auto-creation errors a client gets as they are: retrying would not help. */
const AUTO_CREATE_FAILURES = new Set<number>([
  ErrorCode.INVALID_TOPIC_EXCEPTION,
  ErrorCode.INVALID_REPLICATION_FACTOR,
  ErrorCode.INVALID_PARTITIONS,
]);

export class Broker {
  readonly partitions = new Partitions();
  private retentionTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The group coordinator (classic groups, offsets in __consumer_offsets); set by open(). */
  groups!: Groups;
  /** The transaction coordinator (__transaction_state) and producer ids; set by open(). */
  transactions!: Transactions;
  /** Follower fetchers and ISR upkeep; set by open(). */
  replication: ReplicaManager | undefined;
  logger: (msg: string) => void = () => {};
  private readonly partitionHost: PartitionHost;
  /** A full reconcile() has run since the metadata caught up: later ones may be partial. */
  private fullyReconciled = false;
  /** Partitions reconcile() has yet to open, by topic (openSome). */
  private readonly toOpen = new Map<string, Set<number>>();
  /** Resolved once toOpen is empty; set while slices are pending. */
  private opened: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly partitionListeners: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly config: BrokerConfig,
    readonly metadata: MetadataStore,
    readonly logs: LogManager,
  ) {
    const quorum = metadata instanceof RaftMetadata ? metadata : undefined;
    this.partitionHost = {
      nodeId: config.nodeId,
      fsync: config.fsync,
      replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
      producerIdExpirationMs: config.producerIdExpirationMs,
      alterIsr: quorum && ((tp, meta, isr) => quorum.alterPartition(tp.topic, meta, isr)),
      logDir: logs.dir,
      logger: (msg) => this.logger(msg),
    };
    logs.dir.onOffline(() => {
      this.logger(`storage: log dir ${logs.dataDir} is offline until this node restarts (${logs.dir.failure?.message})`);
      quorum?.logDirOffline(logs.dir.id);
    });
    metadata.onChange((change) => this.reconcile(change));
    this.reconcile(MetadataChange.everything(), Infinity); // not serving yet: nothing to wait
  }

  /** The Raft metadata quorum, when this node runs one (--voters). */
  get quorum(): RaftMetadata | undefined {
    return this.metadata instanceof RaftMetadata ? this.metadata : undefined;
  }

  static open(config: BrokerConfig, logger: (msg: string) => void = () => {}): Broker {
    const self = { nodeId: config.nodeId, host: config.advertisedHost, port: config.port, rack: null };
    const metadata = config.quorum
      ? new RaftMetadata(config.dataDir, self, config.quorum, logger)
      : new LocalMetadata(config.dataDir, self);
    const broker = new Broker(config, metadata, new LogManager(config.dataDir));
    broker.logger = logger;
    broker.replication = new ReplicaManager(
      {
        nodeId: config.nodeId,
        partitions: () => broker.partitions,
        topicId: (name) => metadata.topic(name)?.topicId,
        topicName: (id) => metadata.topicById(id)?.name,
        peers: broker.quorum?.brokerPeers, // the broker listeners: controller listeners serve no data
        logDir: broker.logs.dir,
        logger,
      },
      config,
    );
    broker.reconcile(MetadataChange.everything(), Infinity);
    broker.retentionTimer = setInterval(() => broker.logs.applyRetention(Date.now()), config.retentionCheckIntervalMs);
    broker.retentionTimer.unref();
    broker.logs.startCleaner({
      backoffMs: config.logCleanerBackoffMs,
      tickBytes: Math.max(config.logCleanerTickBytes, 1),
      tickIntervalMs: config.logCleanerTickIntervalMs,
      // Never clean what a follower may still truncate, nor an undecided transaction (Kafka: the LSO).
      upperBound: (log) => broker.partitions.get({ topic: log.topic, partition: log.partition })?.lastStableOffset ?? 0,
      logger,
    });
    broker.expiryTimer = setInterval(() => {
      for (const p of broker.partitions) p.expireProducers();
    }, config.producerIdExpirationCheckIntervalMs);
    broker.expiryTimer.unref();
    // The coordinators follow this node's partitions (opened over several turns), so they hear
    // of changes from reconcile() rather than from the metadata.
    const onPartitionsChanged = (fn: () => void) => broker.onPartitionsChanged(fn);
    broker.groups = Groups.open({
      nodeId: config.nodeId,
      config,
      metadata,
      onPartitionsChanged,
      createTopic: (spec) => broker.createTopic(spec),
      partition: (tp) => broker.partitions.get(tp),
    });
    broker.transactions = Transactions.open({
      nodeId: config.nodeId,
      config,
      metadata,
      onPartitionsChanged,
      createTopic: (spec) => broker.createTopic(spec),
      partition: (tp) => broker.partitions.get(tp),
      logger,
    });
    broker.quorum?.start(); // last: a quorum of one replays and applies its log right here
    return broker;
  }

  /** The partition if this node leads it, or the error a client should get. */
  leaderPartition(tp: TopicPartition): Partition | { errorCode: number; meta?: PartitionMeta } {
    const meta = this.metadata.topic(tp.topic)?.partitions[tp.partition];
    if (!meta) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    const p = this.partitions.get(tp);
    if (!p || p.role !== 'leader') return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, meta };
    return p;
  }

  logConfigOf(topic: TopicMeta) {
    return toLogConfig(topic.configs, this.metadata.brokerConfigs());
  }

  /**
   * Opens the partitions this node replicates and brings them up to date, and removes those of
   * topics that are gone, for what `change` touched: only those partitions (a leader or ISR
   * change of one partition of a topic of 5 000 is one partition's work, issue 15), whole
   * topics when created, deleted or reconfigured. A change of everything (the default: startup,
   * broker-wide configs, a snapshot) and the first pass after catching up are full passes.
   * Partitions already open are updated at once; new ones are opened in slices of
   * OPEN_SLICE_MS that yield to the event loop (a node opening 1 000 logs in one pass missed its
   * broker heartbeats and was fenced): the returned promise resolves once every partition asked
   * for is open (undefined: all done here), and the metadata layer reports this change applied
   * only then, so a partition is open, with its role, before any client is shown it.
   */
  reconcile(change: MetadataChange = MetadataChange.everything(), sliceMs = OPEN_SLICE_MS): Promise<void> | undefined {
    if (this.closed) return undefined;
    // A restarted node learns the metadata again from the quorum: keep its logs until then.
    const caughtUp = !this.quorum || this.quorum.raft.caughtUp;
    if (caughtUp && !this.fullyReconciled) change = MetadataChange.everything();
    if (change.all) {
      const names = new Set([
        ...this.metadata.topics().map((t) => t.name),
        ...this.partitions.topics(),
        ...this.toOpen.keys(),
      ]);
      for (const name of names) this.reconcileTopic(name, null, caughtUp);
      if (caughtUp) {
        for (const log of this.logs.all()) {
          const queued = this.toOpen.get(log.topic)?.has(log.partition);
          if (!this.partitions.get(log) && !queued) this.logs.remove(log.topic, log.partition);
        }
        this.fullyReconciled = true;
      }
    } else {
      for (const [name, only] of change.topics) this.reconcileTopic(name, only, caughtUp);
    }
    return this.openSome(sliceMs);
  }

  /** reconcile() for one topic: the partitions `only` names, or all of them (null). */
  private reconcileTopic(name: string, only: ReadonlySet<number> | null, caughtUp: boolean): void {
    const self = this.config.nodeId;
    const t = this.metadata.topic(name);
    if (only === null) {
      for (const p of this.partitions.ofTopic(name)) {
        // Deleted and created again between two metadata updates: the old data must go.
        if (t && p.topicId !== t.topicId) this.removePartition(p);
        else if (caughtUp && !t?.partitions[p.tp.partition]?.replicas.includes(self)) this.removePartition(p);
      }
      if (!t) this.toOpen.delete(name);
    }
    if (!t) return;
    const { logConfig, config } = this.settingsOf(t);
    const metas = only === null ? t.partitions : [...only].flatMap((i) => t.partitions[i] ?? []);
    for (const meta of metas) {
      const tp = { topic: t.name, partition: meta.partition };
      let p = this.partitions.get(tp);
      if (p && p.topicId !== t.topicId) {
        this.removePartition(p);
        p = undefined;
      }
      if (!meta.replicas.includes(self)) {
        // Reassigned away from this node.
        this.toOpen.get(name)?.delete(meta.partition);
        if (p && caughtUp) this.removePartition(p);
        continue;
      }
      if (p) {
        p.log.updateConfig(logConfig);
        p.applyMetadata(meta, config);
      } else {
        let queued = this.toOpen.get(name);
        if (!queued) this.toOpen.set(name, (queued = new Set()));
        queued.add(meta.partition);
      }
    }
  }

  /** A topic's log config and the partition settings, from its configs and the broker's. */
  private settingsOf(t: TopicMeta) {
    const brokerConfigs = this.metadata.brokerConfigs();
    const get = effectiveConfig(t.configs, brokerConfigs);
    return {
      logConfig: toLogConfig(t.configs, brokerConfigs),
      config: {
        minInsyncReplicas: Number(get('min.insync.replicas')) || 1,
        maxMessageBytes: Number(get('max.message.bytes')),
        compacted: get('cleanup.policy').includes('compact'),
      },
    };
  }

  /**
   * Opens queued partitions for up to sliceMs, then goes on in the next turn of the event loop
   * (OPEN_SLICE_MS at a time); undefined once none is left, else a promise that resolves when
   * none is.
   */
  private openSome(sliceMs = OPEN_SLICE_MS): Promise<void> | undefined {
    const deadline = performance.now() + sliceMs;
    let opened = 0;
    for (const [name, queued] of this.toOpen) {
      const t = this.metadata.topic(name);
      const settings = t && this.settingsOf(t);
      for (const partition of queued) {
        if (opened > 0 && performance.now() >= deadline) break;
        queued.delete(partition);
        const meta = t?.partitions[partition];
        // Gone or moved away meanwhile: reconcileTopic dropped it, or will remove it.
        if (!t || !settings || !meta || this.partitions.get({ topic: name, partition })) continue;
        if (!meta.replicas.includes(this.config.nodeId)) continue;
        try {
          this.openPartition(t, meta, settings);
        } catch (e) {
          // The others are still opened, and the change still counts as acted on.
          if (isStorageError(e)) this.logs.dir.fail(`open ${name}-${partition}`, e);
          this.logger(`reconcile: opening ${name}-${partition} failed: ${(e as Error).stack ?? e}`);
        }
        opened++;
      }
      if (queued.size === 0) this.toOpen.delete(name);
      if (opened > 0 && performance.now() >= deadline) break;
    }
    this.replication?.sync();
    for (const fn of this.partitionListeners) fn();
    if (this.toOpen.size === 0 || this.closed) {
      const done = this.opened;
      this.opened = undefined;
      done?.resolve();
      return undefined;
    }
    if (!this.opened) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.opened = { promise, resolve };
      const next = () => {
        if (this.openSome()) setImmediate(next);
      };
      setImmediate(next);
    }
    return this.opened.promise;
  }

  private openPartition(t: TopicMeta, meta: PartitionMeta, { logConfig, config }: ReturnType<Broker['settingsOf']>): void {
    const tp = { topic: t.name, partition: meta.partition };
    const log = this.logs.getOrCreate(t.name, meta.partition, logConfig);
    const dir = path.join(this.logs.dataDir, tpName(tp));
    const producers = new ProducerStateManager(dir, (msg) => this.logger(msg));
    const p = new Partition(tp, t.topicId, log, new EpochCache(dir), producers, this.partitionHost);
    this.partitions.add(p);
    p.applyMetadata(meta, config); // its role before anything can look it up
  }

  /** fn runs after each step of reconcile(): partitions opened, removed, or given a new role. */
  onPartitionsChanged(fn: () => void): void {
    this.partitionListeners.push(fn);
  }

  private removePartition(p: Partition): void {
    p.close();
    this.partitions.remove(p.tp);
    this.logs.remove(p.tp.topic, p.tp.partition);
  }

  /**
   * Validates and creates a topic, as CreateTopics and auto-creation do; resolves once every
   * live broker shows it (or REQUEST_TIMED_OUT after timeoutMs). An existing topic is
   * TOPIC_ALREADY_EXISTS once this node shows it whole, so a create in flight is joined.
   */
  async createTopic(
    spec: CreateTopicSpec,
    opts: { validateOnly?: boolean; timeoutMs?: number } = {},
  ): Promise<TopicError & { topic?: TopicMeta }> {
    const err = (code: number, message: string) => ({ errorCode: code, errorMessage: message });
    const nameErr = topicNameError(spec.name);
    if (nameErr) return err(ErrorCode.INVALID_TOPIC_EXCEPTION, nameErr);
    if (this.metadata.topic(spec.name)) {
      if (!opts.validateOnly) await this.metadata.awaitVisible(spec.name, opts.timeoutMs ?? ADMIN_TIMEOUT_MS);
      return err(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${spec.name}' already exists.`);
    }
    const live = this.metadata.brokers().map((b) => b.nodeId);
    if (spec.assignment) {
      if (spec.assignment.length === 0)
        return err(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Replica assignment must not be empty');
      for (const replicas of spec.assignment) {
        if (replicas.length === 0 || new Set(replicas).size !== replicas.length || replicas.some((r) => !live.includes(r)))
          return err(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Invalid replica assignment ${JSON.stringify(replicas)}: replicas must be distinct live brokers`);
      }
      spec = { ...spec, numPartitions: spec.assignment.length, replicationFactor: spec.assignment[0].length };
    } else {
      if (spec.numPartitions === -1) spec = { ...spec, numPartitions: this.config.numPartitions };
      if (spec.replicationFactor === -1) spec = { ...spec, replicationFactor: this.config.defaultReplicationFactor };
      if (spec.numPartitions <= 0) return err(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      if (spec.replicationFactor <= 0)
        return err(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
      if (spec.replicationFactor > live.length)
        return err(
          ErrorCode.INVALID_REPLICATION_FACTOR,
          `Unable to replicate the partition ${spec.replicationFactor} time(s): The target replication factor of ${spec.replicationFactor} cannot be reached because only ${live.length} broker(s) are registered.`,
        );
    }
    for (const [k, v] of Object.entries(spec.configs)) {
      const msg = validateTopicConfig(k, v);
      if (msg) return err(ErrorCode.INVALID_CONFIG, msg);
    }
    if (opts.validateOnly) return { errorCode: 0, errorMessage: null };
    try {
      const topic = await this.metadata.createTopic(spec, opts.timeoutMs);
      return { errorCode: 0, errorMessage: null, topic };
    } catch (e) {
      if (e instanceof ControllerError) return err(e.code, e.message);
      this.logger(`createTopic ${spec.name}: ${(e as Error).stack ?? e}`);
      return err(ErrorCode.UNKNOWN_SERVER_ERROR, (e as Error).message);
    }
  }

  /**
   * Auto-creation on Metadata when auto.create.topics.enable (Kafka's default). Joins a create
   * in flight. Only a request that can never succeed (a bad name, too few brokers) fails;
   * anything else (TOPIC_ALREADY_EXISTS, which clients take as fatal, a controller moving or
   * slow) ends as the topic if this node shows it, else LEADER_NOT_AVAILABLE (retriable).
   */
  async autoCreate(name: string, timeoutMs: number): Promise<TopicError & { topic?: TopicMeta }> {
    const r = await this.createTopic({ name, numPartitions: -1, replicationFactor: -1, configs: {} }, { timeoutMs });
    if (r.errorCode === ErrorCode.NONE || AUTO_CREATE_FAILURES.has(r.errorCode)) return r;
    const topic = await this.metadata.awaitVisible(name, 0);
    if (topic) return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
    return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, errorMessage: `Topic '${name}' is being created.` };
  }

  close(): void {
    this.closed = true;
    this.toOpen.clear();
    clearInterval(this.retentionTimer);
    clearInterval(this.expiryTimer);
    this.replication?.close();
    this.groups?.close();
    this.transactions?.close();
    for (const p of this.partitions) p.close();
    this.logs.closeAll();
  }
}
