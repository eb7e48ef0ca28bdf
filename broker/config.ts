// Static configuration of one broker node: identity, listener, data dir and Kafka's broker
// defaults. Parsed from the node's command line (node.ts) with Kafka's names where one exists.

export interface BrokerConfig {
  nodeId: number;
  host: string; // bind and advertised host
  port: number;
  dataDir: string;
  /** socket.request.max.bytes: larger frames close the connection. */
  socketRequestMaxBytes: number;
  /** num.partitions for auto-created topics and CreateTopics with -1. */
  numPartitions: number;
  /** default.replication.factor */
  defaultReplicationFactor: number;
  /** auto.create.topics.enable */
  autoCreateTopics: boolean;
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
  /** --fsync: every acknowledged write is fsynced before the response. */
  fsync: boolean;
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.retention.minutes */
  offsetsRetentionMinutes: number;
}

export const DEFAULTS: Omit<BrokerConfig, 'nodeId' | 'port' | 'dataDir'> = {
  host: '127.0.0.1',
  socketRequestMaxBytes: 104857600,
  numPartitions: 1,
  defaultReplicationFactor: 1,
  autoCreateTopics: true,
  retentionCheckIntervalMs: 300000,
  fsync: false,
  groupInitialRebalanceDelayMs: 3000,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1800000,
  offsetsTopicNumPartitions: 50,
  offsetsRetentionMinutes: 10080,
};

/** Parses `--key value` / `--flag` arguments into a config; unknown flags are an error. */
export function parseNodeArgs(argv: string[]): BrokerConfig {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) opts[a.slice(2)] = 'true';
    else opts[a.slice(2)] = argv[++i];
  }
  const int = (k: string, d?: number) => {
    const v = opts[k];
    if (v === undefined) {
      if (d === undefined) throw new Error(`--${k} is required`);
      return d;
    }
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${k} must be an integer, got ${v}`);
    return n;
  };
  const cfg: BrokerConfig = {
    ...DEFAULTS,
    nodeId: int('node-id'),
    port: int('port'),
    dataDir: opts['data-dir'] ?? (() => { throw new Error('--data-dir is required'); })(),
    host: opts.host ?? DEFAULTS.host,
    socketRequestMaxBytes: int('socket-request-max-bytes', DEFAULTS.socketRequestMaxBytes),
    numPartitions: int('num-partitions', DEFAULTS.numPartitions),
    retentionCheckIntervalMs: int('retention-check-interval-ms', DEFAULTS.retentionCheckIntervalMs),
    groupInitialRebalanceDelayMs: int('group-initial-rebalance-delay-ms', DEFAULTS.groupInitialRebalanceDelayMs),
    groupMinSessionTimeoutMs: int('group-min-session-timeout-ms', DEFAULTS.groupMinSessionTimeoutMs),
    groupMaxSessionTimeoutMs: int('group-max-session-timeout-ms', DEFAULTS.groupMaxSessionTimeoutMs),
    offsetsTopicNumPartitions: int('offsets-topic-num-partitions', DEFAULTS.offsetsTopicNumPartitions),
    offsetsRetentionMinutes: int('offsets-retention-minutes', DEFAULTS.offsetsRetentionMinutes),
    autoCreateTopics: (opts['auto-create-topics'] ?? 'true') === 'true',
    fsync: opts.fsync === 'true',
  };
  return cfg;
}
