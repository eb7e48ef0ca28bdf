// The state of one broker node: config, metadata, partition logs and coordinators, shared by
// every API handler through RequestContext. Logs follow metadata: whenever metadata changes,
// `reconcile` opens the logs of partitions this node replicates and deletes those of deleted
// topics, so CreateTopics, auto-creation and replicated metadata all take one path.
// With --voters the metadata is the Raft quorum's (metadata/raft-metadata.ts) and the replica
// manager (replication/) follows it: leader/follower roles, high watermark, acks=all.

import type { BrokerConfig } from './config.ts';
import { Groups } from './coordinator/groups.ts';
import { LogManager } from './log/log-manager.ts';
import type { PartitionLog } from './log/types.ts';
import { LocalMetadata } from './metadata/local-metadata.ts';
import { ControllerError } from './metadata/controller.ts';
import { RaftMetadata } from './metadata/raft-metadata.ts';
import { ReplicaManager } from './replication/replica-manager.ts';
import { toLogConfig, validateTopicConfig } from './metadata/topic-configs.ts';
import { topicNameError } from './metadata/topic-name.ts';
import { ADMIN_TIMEOUT_MS, type CreateTopicSpec, type MetadataStore, type PartitionMeta, type TopicMeta } from './metadata/types.ts';
import { ErrorCode } from './protocol/errors.ts';

export interface TopicError {
  errorCode: number;
  errorMessage: string | null;
}

/** Auto-creation errors a client gets as they are: retrying would not help. */
const AUTO_CREATE_FAILURES = new Set<number>([
  ErrorCode.INVALID_TOPIC_EXCEPTION,
  ErrorCode.INVALID_REPLICATION_FACTOR,
  ErrorCode.INVALID_PARTITIONS,
]);

export class Broker {
  private waiters = new Map<string, Set<() => void>>();
  private retentionTimer: NodeJS.Timeout | undefined;
  /** The group coordinator (classic groups, offsets in __consumer_offsets); set by open(). */
  groups!: Groups;
  /** Partition roles, high watermarks and follower fetching; set by open(). */
  replication: ReplicaManager | undefined;
  logger: (msg: string) => void = () => {};

  constructor(
    readonly config: BrokerConfig,
    readonly metadata: MetadataStore,
    readonly logs: LogManager,
  ) {
    metadata.onChange(() => this.reconcile());
    this.reconcile();
  }

  /** The Raft metadata quorum, when this node runs one (--voters). */
  get quorum(): RaftMetadata | undefined {
    return this.metadata instanceof RaftMetadata ? this.metadata : undefined;
  }

  static open(config: BrokerConfig, logger: (msg: string) => void = () => {}): Broker {
    const self = { nodeId: config.nodeId, host: config.host, port: config.port, rack: null };
    const metadata = config.quorum
      ? new RaftMetadata(config.dataDir, self, config.quorum, logger)
      : new LocalMetadata(config.dataDir, self);
    const broker = new Broker(config, metadata, new LogManager(config.dataDir));
    broker.logger = logger;
    broker.replication = new ReplicaManager(broker, config);
    broker.reconcile();
    broker.retentionTimer = setInterval(() => broker.logs.applyRetention(Date.now()), config.retentionCheckIntervalMs);
    broker.retentionTimer.unref();
    broker.groups = Groups.open(broker);
    broker.quorum?.start(); // last: a quorum of one replays and applies its log right here
    return broker;
  }

  log(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topic, partition);
  }

  /** The local log of a partition this node leads, or the error a client should get. */
  leaderLog(topic: string, partition: number): { log: PartitionLog; meta: PartitionMeta } | { errorCode: number } {
    const t = this.metadata.topic(topic);
    const meta = t?.partitions[partition];
    if (!t || !meta) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    const log = meta.leader === this.config.nodeId ? this.logs.get(topic, partition) : undefined;
    if (!log) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
    return { log, meta };
  }

  /** Offset below which records are committed and visible to consumers. */
  highWatermark(log: PartitionLog): number {
    return this.replication ? this.replication.highWatermark(log) : log.logEndOffset;
  }

  logConfigOf(topic: TopicMeta) {
    return toLogConfig(topic.configs, this.metadata.brokerConfigs());
  }

  /** Opens logs for partitions this node replicates; removes logs of topics that are gone. */
  reconcile(): void {
    const wanted = new Set<string>();
    for (const t of this.metadata.topics()) {
      const cfg = this.logConfigOf(t);
      for (const p of t.partitions) {
        if (!p.replicas.includes(this.config.nodeId)) continue;
        wanted.add(`${t.name}-${p.partition}`);
        const existing = this.logs.get(t.name, p.partition);
        if (existing) existing.updateConfig(cfg);
        else this.logs.getOrCreate(t.name, p.partition, cfg);
      }
    }
    // A restarted node learns the metadata again from the quorum: keep its logs until then.
    const caughtUp = !this.quorum || this.quorum.raft.caughtUp;
    for (const log of this.logs.all()) {
      if (caughtUp && !wanted.has(`${log.topic}-${log.partition}`)) this.logs.remove(log.topic, log.partition);
    }
    this.replication?.sync();
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

  // -------------------------------------------------------------- long polling

  private static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  notifyAppend(topic: string, partition: number): void {
    const set = this.waiters.get(Broker.key(topic, partition));
    if (!set) return;
    this.waiters.delete(Broker.key(topic, partition));
    for (const fn of set) fn();
  }

  /** Resolves on the first append to any of the partitions, or after timeoutMs. */
  waitForAppend(partitions: [string, number][], timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const keys = partitions.map(([t, p]) => Broker.key(t, p));
      const done = () => {
        clearTimeout(timer);
        for (const k of keys) this.waiters.get(k)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      for (const k of keys) {
        let set = this.waiters.get(k);
        if (!set) this.waiters.set(k, (set = new Set()));
        set.add(done);
      }
    });
  }

  close(): void {
    clearInterval(this.retentionTimer);
    this.replication?.close();
    this.groups?.close();
    this.logs.closeAll();
  }
}
