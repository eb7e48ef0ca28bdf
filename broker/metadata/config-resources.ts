// Config resources as DescribeConfigs, AlterConfigs and IncrementalAlterConfigs see them: topics
// (topic-configs.ts) and brokers (the static node settings plus the dynamic, cluster-wide log
// defaults). Kafka's names, defaults, sources, synonyms, types and error messages.
//
// Deviation from Kafka: dynamic broker configs are cluster-wide only. Altering broker "" (the
// cluster default) and altering broker "<id>" both change the one cluster-wide set, reported
// as DYNAMIC_DEFAULT_BROKER_CONFIG; Kafka keeps a per-broker level (DYNAMIC_BROKER_CONFIG) too.

import { DEFAULTS, securityProtocol, type BrokerConfig } from '../config.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { controllerError } from './controller.ts';
import { DEFAULT_LEADER_BALANCE } from './partition-control.ts';
import {
  effectiveConfig,
  TOPIC_CONFIGS,
  unknownConfig,
  validateConfigValue,
  validateTopicConfig,
  type ConfigDef,
  type Kind,
} from './topic-configs.ts';
import { topicNameError } from './topic-name.ts';
import type { MetadataStore, TopicMeta } from './types.ts';

export const ResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, BROKER: 4, BROKER_LOGGER: 8, CLIENT_METRICS: 16 } as const;
const RESOURCE_NAMES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'ANY',
  2: 'TOPIC',
  3: 'GROUP',
  4: 'BROKER',
  8: 'BROKER_LOGGER',
  16: 'CLIENT_METRICS',
};

export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

const CONFIG_TYPE: Record<Kind, number> = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7 };

export const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

interface BrokerConfigDef extends ConfigDef {
  /** Alterable at run time (cluster-wide); the others are read-only. */
  dynamic: boolean;
  /** The node's own setting (command line), when it has one. */
  fromNode?: (c: BrokerConfig) => string;
}

const STATIC_BROKER_CONFIGS: Record<string, BrokerConfigDef> = {
  'node.id': { kind: 'int', default: '-1', dynamic: false, fromNode: (c) => String(c.nodeId), doc: 'The node id of this server' },
  'broker.id': { kind: 'int', default: '-1', dynamic: false, fromNode: (c) => String(c.nodeId), doc: 'The broker id of this server (same as node.id)' },
  'log.dirs': { kind: 'string', default: '/tmp/kraft-combined-logs', dynamic: false, fromNode: (c) => c.dataDir, doc: 'The directory in which the log data is kept' },
  listeners: {
    kind: 'list',
    default: 'PLAINTEXT://:9092',
    dynamic: false,
    fromNode: (c) => `${securityProtocol(c)}://${c.host}:${c.port}`,
    doc: 'Listener URIs the node listens on',
  },
  'advertised.listeners': {
    kind: 'list',
    default: '',
    dynamic: false,
    fromNode: (c) => `${securityProtocol(c)}://${c.host}:${c.port}`,
    doc: 'Listeners published to clients',
  },
  'num.partitions': { kind: 'int', default: '1', min: 1, dynamic: false, fromNode: (c) => String(c.numPartitions), doc: 'The default number of log partitions per topic' },
  'default.replication.factor': {
    kind: 'int',
    default: '1',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(c.defaultReplicationFactor),
    doc: 'The replication factor for automatically created topics and CreateTopics with -1 (the bundled cluster sets min(3, nodes); Kafka defaults to 1)',
  },
  'auto.create.topics.enable': {
    kind: 'boolean',
    default: 'true',
    dynamic: false,
    fromNode: (c) => String(c.autoCreateTopics),
    doc: 'Enable auto creation of topics on the server',
  },
  'delete.topic.enable': { kind: 'boolean', default: 'true', dynamic: false, doc: 'Enables topic deletion' },
  'log.retention.check.interval.ms': {
    kind: 'long',
    default: '300000',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(c.retentionCheckIntervalMs),
    doc: 'How often the log cleaner checks whether any log is eligible for deletion',
  },
  'socket.request.max.bytes': {
    kind: 'int',
    default: '104857600',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(c.socketRequestMaxBytes),
    doc: 'The maximum number of bytes in a socket request',
  },
  'group.initial.rebalance.delay.ms': {
    kind: 'int',
    default: '3000',
    min: 0,
    dynamic: false,
    fromNode: (c) => String(c.groupInitialRebalanceDelayMs),
    doc: 'Time the group coordinator waits for more members to join a new group before the first rebalance',
  },
  'group.min.session.timeout.ms': {
    kind: 'int',
    default: '6000',
    dynamic: false,
    fromNode: (c) => String(c.groupMinSessionTimeoutMs),
    doc: 'The minimum allowed session timeout for registered consumers',
  },
  'group.max.session.timeout.ms': {
    kind: 'int',
    default: '1800000',
    dynamic: false,
    fromNode: (c) => String(c.groupMaxSessionTimeoutMs),
    doc: 'The maximum allowed session timeout for registered consumers',
  },
  'offsets.retention.minutes': {
    kind: 'int',
    default: '10080',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(c.offsetsRetentionMinutes),
    doc: 'Committed offsets of an empty group are kept this long',
  },
  'offsets.topic.num.partitions': {
    kind: 'int',
    default: '50',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(c.offsetsTopicNumPartitions),
    doc: 'The number of partitions of the offset commit topic',
  },
  // Samsa's defaults, laptop-fast (Kafka's: 30000 and 500 ms).
  'replica.lag.time.max.ms': {
    kind: 'long',
    default: String(DEFAULTS.replicaLagTimeMaxMs),
    dynamic: false,
    fromNode: (c) => String(c.replicaLagTimeMaxMs),
    doc: 'A follower that has not caught up for this long leaves the ISR (Kafka default: 30000)',
  },
  'connections.max.reauth.ms': {
    kind: 'long',
    default: '0',
    min: 0,
    dynamic: false,
    fromNode: (c) => String(c.connectionsMaxReauthMs),
    doc: 'The longest a SASL session lasts before the client must re-authenticate on the connection (0: no limit)',
  },
  'auto.leader.rebalance.enable': {
    kind: 'boolean',
    default: 'true',
    dynamic: false,
    fromNode: (c) => String(balanceOf(c).enabled),
    doc: 'Give partitions back to their preferred leaders in the background',
  },
  'leader.imbalance.check.interval.seconds': {
    kind: 'long',
    default: '300',
    min: 1,
    dynamic: false,
    fromNode: (c) => String(balanceOf(c).intervalMs / 1000),
    doc: 'How often the controller checks the leader balance',
  },
  'leader.imbalance.per.broker.percentage': {
    kind: 'int',
    default: '10',
    min: 0,
    dynamic: false,
    fromNode: (c) => String(balanceOf(c).perBrokerPercentage),
    doc: 'The share of its preferred partitions a broker may lead too few of before they move back',
  },
  'replica.fetch.wait.max.ms': {
    kind: 'int',
    default: String(DEFAULTS.replicaFetchWaitMaxMs),
    dynamic: false,
    fromNode: (c) => String(c.replicaFetchWaitMaxMs),
    doc: 'The longest a follower fetch waits at the leader for new records',
  },
};

const balanceOf = (c: BrokerConfig) => c.quorum?.leaderBalance ?? DEFAULT_LEADER_BALANCE;

function buildBrokerConfigs(): Record<string, BrokerConfigDef> {
  const out: Record<string, BrokerConfigDef> = { ...STATIC_BROKER_CONFIGS };
  // Every topic config's broker synonym is a dynamic, cluster-wide default for all topics.
  for (const def of Object.values(TOPIC_CONFIGS)) {
    if (def.synonym) out[def.synonym] = { ...def, synonym: undefined, dynamic: true };
  }
  return out;
}
export const BROKER_CONFIGS: Record<string, BrokerConfigDef> = buildBrokerConfigs();

// ------------------------------------------------------------------ resources

export type Resource =
  | { type: 'topic'; topic: TopicMeta }
  | { type: 'broker'; /** "" : the cluster-wide default resource */ clusterDefault: boolean; nodeId: number };
export interface ResourceError {
  errorCode: number;
  errorMessage: string;
}

export function resolveResource(md: MetadataStore, resourceType: number, name: string): Resource | ResourceError {
  if (resourceType === ResourceType.TOPIC) {
    const bad = topicNameError(name);
    if (bad) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: bad };
    const topic = md.topic(name);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` };
    return { type: 'topic', topic };
  }
  if (resourceType === ResourceType.BROKER) {
    if (name === '') return { type: 'broker', clusterDefault: true, nodeId: -1 };
    if (!/^-?\d+$/.test(name))
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Broker id must be an integer, but it is: ${name}` };
    const id = Number(name);
    if (!md.brokers().some((b) => b.nodeId === id))
      return {
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Unexpected broker id, expected one of ${md.brokers().map((b) => b.nodeId).join(', ')} or empty string, but received ${name}`,
      };
    return { type: 'broker', clusterDefault: false, nodeId: id };
  }
  return {
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: `Unsupported resource type: ${RESOURCE_NAMES[resourceType] ?? resourceType}`,
  };
}

// ------------------------------------------------------------------ describe

export interface Synonym {
  name: string;
  value: string | null;
  source: number;
}
export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: Synonym[];
  configType: number;
  documentation: string | null;
}

function entry(name: string, def: ConfigDef, readOnly: boolean, synonyms: Synonym[], opts: DescribeOpts): ConfigEntry {
  const top = synonyms[0] ?? { name, value: def.default, source: ConfigSource.DEFAULT_CONFIG };
  return {
    name,
    value: top.value,
    readOnly,
    isDefault: top.source === ConfigSource.DEFAULT_CONFIG,
    configSource: top.source,
    isSensitive: false,
    synonyms: opts.includeSynonyms ? synonyms : [],
    configType: CONFIG_TYPE[def.kind],
    documentation: opts.includeDocumentation ? def.doc : null,
  };
}

export interface DescribeOpts {
  keys: string[] | null;
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

const wanted = (keys: string[] | null, all: string[]) => (keys === null || keys.length === 0 ? all : all.filter((k) => keys.includes(k)));

export function describeTopicConfigs(topic: TopicMeta, brokerDynamic: Record<string, string>, opts: DescribeOpts): ConfigEntry[] {
  return wanted(opts.keys, Object.keys(TOPIC_CONFIGS).sort()).map((name) => {
    const def = TOPIC_CONFIGS[name];
    const syn: Synonym[] = [];
    if (topic.configs[name] !== undefined) syn.push({ name, value: topic.configs[name], source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    if (def.synonym && brokerDynamic[def.synonym] !== undefined)
      syn.push({ name: def.synonym, value: brokerDynamic[def.synonym], source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG });
    syn.push({ name: def.synonym ?? name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
    return entry(name, def, false, syn, opts);
  });
}

export function describeBrokerConfigs(
  node: BrokerConfig,
  clusterDefault: boolean,
  brokerDynamic: Record<string, string>,
  opts: DescribeOpts,
): ConfigEntry[] {
  // The cluster-default resource ("") holds only what was set dynamically, as in Kafka.
  const names = clusterDefault
    ? Object.keys(brokerDynamic).filter((k) => BROKER_CONFIGS[k])
    : Object.keys(BROKER_CONFIGS);
  return wanted(opts.keys, names.sort()).map((name) => {
    const def = BROKER_CONFIGS[name];
    const syn: Synonym[] = [];
    if (def.dynamic && brokerDynamic[name] !== undefined)
      syn.push({ name, value: brokerDynamic[name], source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG });
    if (!clusterDefault) {
      const own = def.fromNode?.(node);
      if (own !== undefined && own !== def.default) syn.push({ name, value: own, source: ConfigSource.STATIC_BROKER_CONFIG });
      syn.push({ name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
    }
    return entry(name, def, !def.dynamic, syn, opts);
  });
}

// ------------------------------------------------------------------ alter

/** A validated set of changes (null removes the dynamic value), or the error for the resource. */
export type Changes = Record<string, string | null>;

function checkKey(resource: Resource, key: string, value: string | null): ResourceError | null {
  if (resource.type === 'topic') {
    const msg = validateTopicConfig(key, value);
    return msg ? { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: msg } : null;
  }
  const def = BROKER_CONFIGS[key];
  if (!def) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: unknownConfig('broker', key) };
  if (!def.dynamic)
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Invalid config value for resource ConfigResource(type=BROKER, name='${resource.clusterDefault ? '' : resource.nodeId}'): Cannot update these configs dynamically: Set(${key})`,
    };
  const msg = validateConfigValue(key, def, value);
  return msg ? { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: msg } : null;
}

function currentDynamic(md: MetadataStore, resource: Resource): Record<string, string> {
  return resource.type === 'topic' ? resource.topic.configs : md.brokerConfigs();
}

/** AlterConfigs: the given configs become the resource's whole dynamic set (Kafka semantics). */
export function replaceAll(md: MetadataStore, resource: Resource, configs: { name: string; value: string | null }[]): Changes | ResourceError {
  const next: Record<string, string> = {};
  for (const c of configs) {
    const err = checkKey(resource, c.name, c.value);
    if (err) return err;
    if (c.value !== null) next[c.name] = c.value;
  }
  const changes: Changes = {};
  for (const k of Object.keys(currentDynamic(md, resource))) if (!(k in next)) changes[k] = null;
  return Object.assign(changes, next);
}

/** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on the current dynamic set. */
export function incremental(
  md: MetadataStore,
  resource: Resource,
  ops: { name: string; configOperation: number; value: string | null }[],
): Changes | ResourceError {
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.name))
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Error due to duplicate config keys: ${op.name}` };
    seen.add(op.name);
  }
  const current = currentDynamic(md, resource);
  const changes: Changes = {};
  for (const op of ops) {
    const def = resource.type === 'topic' ? TOPIC_CONFIGS[op.name] : BROKER_CONFIGS[op.name];
    switch (op.configOperation) {
      case OpType.SET: {
        if (op.value === null) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `Null value not supported for: ${op.name}` };
        changes[op.name] = op.value;
        break;
      }
      case OpType.DELETE:
        changes[op.name] = null;
        break;
      case OpType.APPEND:
      case OpType.SUBTRACT: {
        const verb = op.configOperation === OpType.APPEND ? 'append' : 'subtract';
        if (def && def.kind !== 'list')
          return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `Config value ${verb} is not allowed for config key: ${op.name}` };
        if (!def) break; // reported as unknown by the check below
        const old = (current[op.name] ?? defaultFor(md, resource, op.name)).split(',').map((s) => s.trim()).filter(Boolean);
        const given = (op.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const list = verb === 'append' ? [...old, ...given.filter((v) => !old.includes(v))] : old.filter((v) => !given.includes(v));
        changes[op.name] = list.join(',');
        break;
      }
      default:
        return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown operation type ${op.configOperation} for config ${op.name}` };
    }
    const err = checkKey(resource, op.name, changes[op.name] ?? null);
    if (err) return err;
  }
  return changes;
}

function defaultFor(md: MetadataStore, resource: Resource, key: string): string {
  // A topic's list value falls back to the cluster-wide broker value before Kafka's default.
  if (resource.type === 'topic') return effectiveConfig({}, md.brokerConfigs())(key);
  return BROKER_CONFIGS[key].default;
}

export async function applyChanges(md: MetadataStore, resource: Resource, changes: Changes): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  if (resource.type === 'topic') await md.alterTopicConfigs(resource.topic.name, changes);
  else await md.alterBrokerConfigs(changes);
}

export function isError(x: object): x is ResourceError {
  return 'errorCode' in x;
}

/**
 * The per-resource loop AlterConfigs and IncrementalAlterConfigs share: duplicates refused,
 * each resource resolved, its changes computed by `changesOf` and applied unless validateOnly.
 */
export async function alterResources<R extends { resourceType: number; resourceName: string }>(
  md: MetadataStore,
  resources: R[],
  validateOnly: boolean,
  changesOf: (resource: Resource, request: R) => Changes | ResourceError,
) {
  const seen = new Set<string>();
  const responses = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    const id = `${r.resourceType}:${r.resourceName}`;
    if (seen.has(id)) {
      responses.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate resource in request' });
      continue;
    }
    seen.add(id);
    const res = resolveResource(md, r.resourceType, r.resourceName);
    const changes = isError(res) ? res : changesOf(res, r);
    if (isError(changes)) {
      responses.push({ ...base, ...changes });
      continue;
    }
    const failed = validateOnly ? null : await applyChanges(md, res as Resource, changes).then(() => null, controllerError);
    responses.push({ ...base, ...(failed ?? { errorCode: ErrorCode.NONE, errorMessage: null }) });
  }
  return responses;
}
