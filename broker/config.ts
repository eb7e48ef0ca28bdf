// Static configuration of one broker node: identity, listener, data dir and Kafka's broker
// defaults. Parsed from the node's command line (node.ts) with Kafka's names where one exists.
// Cluster flags: --voters 1@host:port,... (controller.quorum.voters; a node not listed runs as
// an observer: broker only, never a voter),
// --cluster-id, --election-timeout-min-ms/--election-timeout-max-ms (randomized, laptop-fast),
// --broker-heartbeat-interval-ms, --broker-session-timeout-ms, --replica-lag-time-max-ms,
// --replica-fetch-wait-max-ms, --metadata-snapshot-records, --producer-id-expiration-ms,
// --producer-id-expiration-check-interval-ms, --auto-leader-rebalance-enable
// true|false, --leader-imbalance-check-interval-seconds, --leader-imbalance-per-broker-percentage
// (Kafka's names and defaults: true, 300, 10).
// --default-replication-factor N (default.replication.factor: the replicas of auto-created topics
// and of CreateTopics with -1) defaults to Kafka's 1 on a node; the supervisor passes
// min(3, nodes) for the bundled cluster (a deviation from Kafka, which it exists to show
// replication; `samsa cluster --default-replication-factor N` overrides it).
// Transactions: --transaction-state-log-num-partitions, --transaction-max-timeout-ms,
// --transactional-id-expiration-ms, --transaction-abort-timed-out-transaction-cleanup-interval-ms,
// --transaction-remove-expired-transaction-cleanup-interval-ms (Kafka's names and defaults).
// Log cleaner: --log-cleaner-backoff-ms (log.cleaner.backoff.ms), --log-cleaner-tick-bytes and
// --log-cleaner-tick-interval-ms (Samsa's per-turn budget; tests make the cleaner slow with them).
// Network limits (Kafka's names): --queued-max-request-bytes (the node's budget for requests
// being read and handled; Kafka's default is unbounded, Samsa's 100 MiB), --max-connections and
// --max-connections-per-ip (per listener; Kafka's are unbounded, Samsa's 1000, below the common
// open-file limits), --connections-max-idle-ms, and Samsa's own --request-read-timeout-ms (a
// frame must arrive within it of its first byte).
// Listeners: the broker listener on --host/--port; a voter also serves the controller listener
// at its own --voters entry (Kafka's CONTROLLER listener: controller.quorum.voters names it),
// which must be a loopback address. A non-loopback --host needs --allow-remote: without SASL
// nothing is authenticated, and with it nothing is encrypted (no TLS). --advertised-host (advertised.listeners) is the host clients
// are told; a wildcard (0.0.0.0, ::) cannot be advertised, as Kafka refuses it.
// Deviation from Kafka: the controller listener is not configured on its own (listeners,
// controller.listener.names): it is the node's --voters entry, so the two cannot disagree.
// Metrics: --metrics-port P (the Prometheus endpoint on 127.0.0.1; 0, the default, picks a free
// port) and --no-metrics (nothing counted, no endpoint: the baseline of the metrics benchmark).
// Security: --sasl-inter-broker-password-file F makes the broker listener SASL_PLAINTEXT (PLAIN,
// SCRAM-SHA-256/512; security/sasl-session.ts); F holds the inter-broker secret the nodes log
// in to each other's listeners with (replication, transaction markers; docs/decisions/0015).
// The controller listener (loopback, no TLS) is SASL_PLAINTEXT then too, PLAIN only, and admits
// only the inter-broker user: Raft, registrations, heartbeats, AlterPartition and forwarded admin
// requests come from the nodes alone (docs/decisions/0017). It needs --voters: the SCRAM
// credentials live in the metadata quorum.
// --connections-max-reauth-ms N (connections.max.reauth.ms, Kafka's default 0 = off): SASL
// sessions on both listeners last N ms and must be renewed by re-authenticating on the
// connection (KIP-368).
// Authorization: --acls turns Kafka's ACL authorizer on (authorizer.class.name=StandardAuthorizer;
// security/authorizer.ts, ACLs in the metadata quorum); it needs SASL, so that principals are
// authenticated users. --super-users 'User:a;User:b' (super.users; the inter-broker user always
// is one) and --allow-everyone-if-no-acl-found true|false (Kafka's default false).
// --tls-cert-file, --tls-key-file and --tls-ca-file (PEM) make the broker listener SSL, or
// SASL_SSL with SASL: this node's certificate and key, and the CA it trusts when it dials the
// other nodes' broker listeners (replication, transaction markers; docs/decisions/0016).

import { DEFAULT_LEADER_BALANCE } from './metadata/partition-control.ts';
import fs from 'node:fs';
import { parseVoters, type QuorumConfig } from './metadata/raft-metadata.ts';
import type { AuthorizerConfig } from './security/authorizer.ts';
import { INTER_BROKER_USER } from './security/sasl-session.ts';
import { isLoopback, isWildcard, remoteWarning } from './server/loopback.ts';

export interface BrokerConfig {
  nodeId: number;
  host: string; // bind host of the broker listener
  /** advertised.listeners' host: what Metadata and registrations tell clients (default: host). */
  advertisedHost: string;
  port: number;
  dataDir: string;
  /** socket.request.max.bytes: larger frames close the connection. */
  socketRequestMaxBytes: number;
  /** queued.max.request.bytes: the node-wide budget for bytes of requests being read and handled. */
  queuedMaxRequestBytes: number;
  /** max.connections and max.connections.per.ip, per listener. */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** connections.max.idle.ms */
  connectionsMaxIdleMs: number;
  /** connections.max.reauth.ms: the SASL session lifetime (KIP-368); 0 = sessions never expire. */
  connectionsMaxReauthMs: number;
  /** Samsa's: a frame must be complete this long after its first byte. */
  requestReadTimeoutMs: number;
  /** --allow-remote: the broker listener may bind a non-loopback address. */
  allowRemote: boolean;
  /** num.partitions for auto-created topics and CreateTopics with -1. */
  numPartitions: number;
  /** default.replication.factor */
  defaultReplicationFactor: number;
  /** auto.create.topics.enable */
  autoCreateTopics: boolean;
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
  /** log.cleaner.backoff.ms: the cleaner's sleep when no log needs cleaning. */
  logCleanerBackoffMs: number;
  /** Segment bytes the cleaner reads per event-loop turn, and the pause between turns. */
  logCleanerTickBytes: number;
  logCleanerTickIntervalMs: number;
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
  /** replica.lag.time.max.ms (Kafka 30000; 2000 for a laptop cluster) */
  replicaLagTimeMaxMs: number;
  /** replica.fetch.wait.max.ms */
  replicaFetchWaitMaxMs: number;
  /** producer.id.expiration.ms: producer state of an idle idempotent producer is dropped after it. */
  producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms */
  producerIdExpirationCheckIntervalMs: number;
  /** transaction.state.log.num.partitions */
  transactionStateLogNumPartitions: number;
  /** transaction.max.timeout.ms: InitProducerId refuses longer transaction.timeout.ms values. */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms */
  transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms */
  transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  /** --no-metrics turns counting and the endpoint off. */
  metrics: boolean;
  /** --metrics-port: port of GET /metrics on 127.0.0.1; 0 = any free port. */
  metricsPort: number;
  /** The metadata quorum (--voters); absent = single node with local metadata. */
  quorum?: QuorumConfig;
  /** A SASL_PLAINTEXT listener (--sasl-inter-broker-password-file); absent = PLAINTEXT. */
  sasl?: { interBrokerPassword: string };
  /** The ACL authorizer (--acls); absent = every request is allowed, as Kafka without authorizer.class.name. */
  authorizer?: AuthorizerConfig;
  /** An SSL / SASL_SSL broker listener (--tls-cert-file, --tls-key-file, --tls-ca-file); PEM. */
  tls?: BrokerTls;
}

/** The broker listener's security.protocol, as Kafka names it. */
export function securityProtocol(c: Pick<BrokerConfig, 'sasl' | 'tls'>): 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL' {
  if (c.sasl) return c.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  return c.tls ? 'SSL' : 'PLAINTEXT';
}

export interface BrokerTls {
  cert: Buffer;
  key: Buffer;
  /** The cluster's CA: trusted when this node dials another's broker listener. */
  ca: Buffer;
}

export const DEFAULTS: Omit<BrokerConfig, 'nodeId' | 'port' | 'dataDir'> = {
  host: '127.0.0.1',
  advertisedHost: '127.0.0.1',
  socketRequestMaxBytes: 104857600,
  queuedMaxRequestBytes: 104857600,
  maxConnections: 1000,
  maxConnectionsPerIp: 1000,
  connectionsMaxIdleMs: 600000,
  connectionsMaxReauthMs: 0,
  requestReadTimeoutMs: 30000,
  allowRemote: false,
  numPartitions: 1,
  defaultReplicationFactor: 1,
  autoCreateTopics: true,
  retentionCheckIntervalMs: 300000,
  logCleanerBackoffMs: 15000,
  logCleanerTickBytes: 262144,
  logCleanerTickIntervalMs: 0,
  fsync: false,
  groupInitialRebalanceDelayMs: 3000,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1800000,
  offsetsTopicNumPartitions: 50,
  offsetsRetentionMinutes: 10080,
  replicaLagTimeMaxMs: 2000,
  replicaFetchWaitMaxMs: 500,
  producerIdExpirationMs: 86400000,
  producerIdExpirationCheckIntervalMs: 600000,
  transactionStateLogNumPartitions: 50,
  transactionMaxTimeoutMs: 900000,
  transactionalIdExpirationMs: 604800000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 3600000,
  metrics: true,
  metricsPort: 0,
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
    advertisedHost: opts['advertised-host'] ?? opts.host ?? DEFAULTS.advertisedHost,
    socketRequestMaxBytes: int('socket-request-max-bytes', DEFAULTS.socketRequestMaxBytes),
    queuedMaxRequestBytes: int('queued-max-request-bytes', DEFAULTS.queuedMaxRequestBytes),
    maxConnections: int('max-connections', DEFAULTS.maxConnections),
    maxConnectionsPerIp: int('max-connections-per-ip', DEFAULTS.maxConnectionsPerIp),
    connectionsMaxIdleMs: int('connections-max-idle-ms', DEFAULTS.connectionsMaxIdleMs),
    connectionsMaxReauthMs: int('connections-max-reauth-ms', DEFAULTS.connectionsMaxReauthMs),
    requestReadTimeoutMs: int('request-read-timeout-ms', DEFAULTS.requestReadTimeoutMs),
    allowRemote: opts['allow-remote'] === 'true',
    numPartitions: int('num-partitions', DEFAULTS.numPartitions),
    defaultReplicationFactor: int('default-replication-factor', DEFAULTS.defaultReplicationFactor),
    retentionCheckIntervalMs: int('retention-check-interval-ms', DEFAULTS.retentionCheckIntervalMs),
    logCleanerBackoffMs: int('log-cleaner-backoff-ms', DEFAULTS.logCleanerBackoffMs),
    logCleanerTickBytes: int('log-cleaner-tick-bytes', DEFAULTS.logCleanerTickBytes),
    logCleanerTickIntervalMs: int('log-cleaner-tick-interval-ms', DEFAULTS.logCleanerTickIntervalMs),
    groupInitialRebalanceDelayMs: int('group-initial-rebalance-delay-ms', DEFAULTS.groupInitialRebalanceDelayMs),
    groupMinSessionTimeoutMs: int('group-min-session-timeout-ms', DEFAULTS.groupMinSessionTimeoutMs),
    groupMaxSessionTimeoutMs: int('group-max-session-timeout-ms', DEFAULTS.groupMaxSessionTimeoutMs),
    offsetsTopicNumPartitions: int('offsets-topic-num-partitions', DEFAULTS.offsetsTopicNumPartitions),
    offsetsRetentionMinutes: int('offsets-retention-minutes', DEFAULTS.offsetsRetentionMinutes),
    autoCreateTopics: (opts['auto-create-topics'] ?? 'true') === 'true',
    fsync: opts.fsync === 'true',
    replicaLagTimeMaxMs: int('replica-lag-time-max-ms', DEFAULTS.replicaLagTimeMaxMs),
    replicaFetchWaitMaxMs: int('replica-fetch-wait-max-ms', DEFAULTS.replicaFetchWaitMaxMs),
    producerIdExpirationMs: int('producer-id-expiration-ms', DEFAULTS.producerIdExpirationMs),
    producerIdExpirationCheckIntervalMs: int(
      'producer-id-expiration-check-interval-ms',
      DEFAULTS.producerIdExpirationCheckIntervalMs,
    ),
    transactionStateLogNumPartitions: int('transaction-state-log-num-partitions', DEFAULTS.transactionStateLogNumPartitions),
    transactionMaxTimeoutMs: int('transaction-max-timeout-ms', DEFAULTS.transactionMaxTimeoutMs),
    transactionalIdExpirationMs: int('transactional-id-expiration-ms', DEFAULTS.transactionalIdExpirationMs),
    transactionAbortTimedOutTransactionCleanupIntervalMs: int(
      'transaction-abort-timed-out-transaction-cleanup-interval-ms',
      DEFAULTS.transactionAbortTimedOutTransactionCleanupIntervalMs,
    ),
    transactionRemoveExpiredTransactionCleanupIntervalMs: int(
      'transaction-remove-expired-transaction-cleanup-interval-ms',
      DEFAULTS.transactionRemoveExpiredTransactionCleanupIntervalMs,
    ),
    metrics: opts['no-metrics'] !== 'true',
    metricsPort: int('metrics-port', DEFAULTS.metricsPort),
  };
  for (const k of ['queuedMaxRequestBytes', 'maxConnections', 'maxConnectionsPerIp', 'connectionsMaxIdleMs', 'requestReadTimeoutMs'] as const) {
    if (cfg[k] <= 0) throw new Error(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be positive, got ${cfg[k]}`);
  }
  if (!isLoopback(cfg.host) && !cfg.allowRemote)
    throw new Error(
      `--host ${cfg.host} is not a loopback address: ${remoteWarning(opts['sasl-inter-broker-password-file'] !== undefined, opts['tls-cert-file'] !== undefined)}; pass --allow-remote to listen there anyway`,
    );
  if (isWildcard(cfg.advertisedHost))
    throw new Error(`cannot advertise the wildcard address ${cfg.advertisedHost} to clients; pass --advertised-host with the name or address they reach this machine by`);
  if (cfg.connectionsMaxReauthMs < 0) throw new Error(`--connections-max-reauth-ms must be 0 (off) or positive, got ${cfg.connectionsMaxReauthMs}`);
  if (cfg.transactionStateLogNumPartitions < 1) throw new Error('--transaction-state-log-num-partitions must be at least 1');
  if (cfg.metricsPort < 0 || cfg.metricsPort > 65535) throw new Error(`--metrics-port must be a TCP port or 0, got ${cfg.metricsPort}`);
  if (opts.voters) {
    cfg.quorum = {
      voters: parseVoters(opts.voters),
      clusterId: opts['cluster-id'] ?? '',
      electionTimeoutMinMs: int('election-timeout-min-ms', 300),
      electionTimeoutMaxMs: int('election-timeout-max-ms', 1000),
      heartbeatMs: int('broker-heartbeat-interval-ms', 250),
      sessionTimeoutMs: int('broker-session-timeout-ms', 1000),
      snapshotEvery: int('metadata-snapshot-records', 1000),
      leaderBalance: {
        enabled: (opts['auto-leader-rebalance-enable'] ?? 'true') === 'true',
        intervalMs: int('leader-imbalance-check-interval-seconds', DEFAULT_LEADER_BALANCE.intervalMs / 1000) * 1000,
        perBrokerPercentage: int('leader-imbalance-per-broker-percentage', DEFAULT_LEADER_BALANCE.perBrokerPercentage),
      },
    };
    // A node outside --voters is an observer: a broker that replicates the metadata log but
    // never votes (nodes added to a running cluster; the voter set is static).
    const own = cfg.quorum.voters.get(cfg.nodeId);
    if (own && !isLoopback(own.host))
      throw new Error(`--voters names ${own.host}:${own.port} for this node: its controller listener must be a loopback address`);
  }
  const secretFile = opts['sasl-inter-broker-password-file'];
  if (secretFile !== undefined) {
    if (!cfg.quorum) throw new Error('--sasl-inter-broker-password-file needs --voters (SCRAM credentials live in the metadata quorum)');
    const interBrokerPassword = fs.readFileSync(secretFile, 'utf8').trim();
    if (!interBrokerPassword) throw new Error(`--sasl-inter-broker-password-file ${secretFile} is empty`);
    cfg.sasl = { interBrokerPassword };
    cfg.quorum.peerAuth = { user: INTER_BROKER_USER, password: interBrokerPassword }; // every listener
  }
  if (opts.acls === 'true') {
    if (!cfg.sasl) throw new Error('--acls needs SASL (--sasl-inter-broker-password-file): ACLs name authenticated users');
    const superUsers = (opts['super-users'] ?? '').split(';').map((u) => u.trim()).filter(Boolean);
    const bad = superUsers.find((u) => !/^[^:]+:.+$/.test(u));
    if (bad) throw new Error(`--super-users: ${bad} is not a principal (User:<name>)`);
    cfg.authorizer = {
      superUsers: new Set(superUsers),
      allowEveryoneIfNoAclFound: opts['allow-everyone-if-no-acl-found'] === 'true',
    };
  }
  const tlsFiles = (['tls-cert-file', 'tls-key-file', 'tls-ca-file'] as const).map((k) => opts[k]);
  if (tlsFiles.some((f) => f !== undefined)) {
    const [cert, key, ca] = tlsFiles.map((f) => {
      if (f === undefined) throw new Error('--tls-cert-file, --tls-key-file and --tls-ca-file go together');
      return fs.readFileSync(f);
    });
    cfg.tls = { cert, key, ca };
    if (cfg.quorum) cfg.quorum.peerTls = { ca }; // broker listeners only; the controller listener stays plaintext
  }
  const balance = cfg.quorum?.leaderBalance;
  if (balance && balance.intervalMs < 1000) throw new Error('--leader-imbalance-check-interval-seconds must be at least 1');
  if (balance && (balance.perBrokerPercentage < 0 || balance.perBrokerPercentage > 100))
    throw new Error('--leader-imbalance-per-broker-percentage must be from 0 to 100');
  if (cfg.defaultReplicationFactor < 1) throw new Error('--default-replication-factor must be at least 1');
  if (cfg.numPartitions < 1) throw new Error('--num-partitions must be at least 1');
  return cfg;
}
