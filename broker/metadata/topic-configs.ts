// Topic-level configs: Kafka's names, defaults and validation, and their mapping to the log.
// Only configs the broker honours are accepted (at topic level, and at broker level through their
// synonyms); any other key is INVALID_CONFIG naming it: "Unknown topic config name" as Kafka for a
// name Kafka does not know either, "not supported" for a Kafka config Samsa does not honour.
// Where each is honoured: retention.*, segment.*, index.interval.bytes, flush.*,
// message.timestamp.type (the log, log/types.ts LogConfig); max.message.bytes (Produce);
// min.insync.replicas (replication); unclean.leader.election.enable (the controller);
// cleanup.policy, delete.retention.ms, min.cleanable.dirty.ratio (0..1, as Kafka),
// min.compaction.lag.ms, max.compaction.lag.ms (the log cleaner, log/cleaner.ts).
// Deviation: compression.type accepts only "producer" (batches are stored as the producer sent
// them; Kafka would recompress to the given codec).

import type { LogConfig } from '../log/types.ts';

export type Kind = 'long' | 'int' | 'boolean' | 'string' | 'double' | 'list';
export interface ConfigDef {
  kind: Kind;
  default: string;
  /** Broker-level synonym (e.g. log.retention.ms), reported by DescribeConfigs. */
  synonym?: string;
  min?: number;
  max?: number;
  values?: string[];
  doc: string;
}

const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIGS: Record<string, ConfigDef> = {
  'cleanup.policy': {
    kind: 'list',
    default: 'delete',
    values: ['delete', 'compact'],
    synonym: 'log.cleanup.policy',
    doc: 'delete (time/size retention), compact (latest record per key) or both',
  },
  'compression.type': {
    kind: 'string',
    default: 'producer',
    values: ['producer'],
    synonym: 'compression.type',
    doc: 'final compression type: only "producer" (batches are stored as the producer sent them)',
  },
  'delete.retention.ms': { kind: 'long', default: '86400000', min: 0, synonym: 'log.cleaner.delete.retention.ms', doc: 'tombstone retention' },
  'flush.messages': { kind: 'long', default: LONG_MAX, min: 1, synonym: 'log.flush.interval.messages', doc: 'fsync after this many messages' },
  'flush.ms': { kind: 'long', default: LONG_MAX, min: 0, synonym: 'log.flush.interval.ms', doc: 'fsync after this many ms' },
  'index.interval.bytes': { kind: 'int', default: '4096', min: 0, synonym: 'log.index.interval.bytes', doc: 'bytes between index entries' },
  'max.message.bytes': { kind: 'int', default: '1048588', min: 0, synonym: 'message.max.bytes', doc: 'largest record batch' },
  'message.timestamp.type': {
    kind: 'string',
    default: 'CreateTime',
    values: ['CreateTime', 'LogAppendTime'],
    synonym: 'log.message.timestamp.type',
    doc: 'CreateTime or LogAppendTime',
  },
  'min.cleanable.dirty.ratio': { kind: 'double', default: '0.5', min: 0, max: 1, synonym: 'log.cleaner.min.cleanable.ratio', doc: 'compaction trigger' },
  'max.compaction.lag.ms': { kind: 'long', default: LONG_MAX, min: 1, synonym: 'log.cleaner.max.compaction.lag.ms', doc: 'longest a record stays uncompacted' },
  'min.compaction.lag.ms': { kind: 'long', default: '0', min: 0, synonym: 'log.cleaner.min.compaction.lag.ms', doc: 'compaction lag' },
  'min.insync.replicas': { kind: 'int', default: '1', min: 1, synonym: 'min.insync.replicas', doc: 'replicas that must ack acks=all' },
  'retention.bytes': { kind: 'long', default: '-1', synonym: 'log.retention.bytes', doc: 'max bytes per partition, -1 unlimited' },
  'retention.ms': { kind: 'long', default: '604800000', min: -1, synonym: 'log.retention.ms', doc: 'max age, -1 unlimited' },
  'segment.bytes': { kind: 'int', default: '1073741824', min: 14, synonym: 'log.segment.bytes', doc: 'segment file size' },
  'segment.ms': { kind: 'long', default: '604800000', min: 1, synonym: 'log.roll.ms', doc: 'segment age before roll' },
  'unclean.leader.election.enable': {
    kind: 'boolean',
    default: 'false',
    synonym: 'unclean.leader.election.enable',
    doc: 'let a live out-of-sync replica lead when no in-sync one is left (acknowledged records may be lost)',
  },
};

/** Kafka topic configs that Samsa does not honour, so refuses by name (and their broker synonyms). */
const UNSUPPORTED = new Set([
  'file.delete.delay.ms',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'message.downconversion.enable',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'preallocate',
  'remote.storage.enable',
  'segment.index.bytes',
  'segment.jitter.ms',
]);
const SYNONYMS_UNSUPPORTED = new Set([
  'log.segment.delete.delay.ms',
  'log.message.downconversion.enable',
  'log.message.timestamp.after.max.ms',
  'log.message.timestamp.before.max.ms',
  'log.message.timestamp.difference.max.ms',
  'log.preallocate',
  'log.index.size.max.bytes',
  'log.roll.jitter.ms',
]);

/** Returns an error message naming the bad key or value, or null when valid. */
export function validateTopicConfig(key: string, value: string | null): string | null {
  const def = TOPIC_CONFIGS[key];
  if (!def) return unknownConfig('topic', key);
  return validateConfigValue(key, def, value);
}

/** The message for a config name the broker does not accept. */
export function unknownConfig(level: 'topic' | 'broker', key: string): string {
  const unsupported = level === 'topic' ? UNSUPPORTED.has(key) : SYNONYMS_UNSUPPORTED.has(key);
  return unsupported
    ? `${level === 'topic' ? 'Topic' : 'Broker'} config ${key} is not supported: Samsa does not honour it`
    : `Unknown ${level} config name: ${key}`;
}

/** Checks a value against a config's type, minimum and allowed values; the message names both. */
export function validateConfigValue(key: string, def: ConfigDef, value: string | null): string | null {
  if (value === null) return null;
  const bad = `Invalid value ${value} for configuration ${key}`;
  switch (def.kind) {
    case 'long':
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) return `${bad}: Not a number of type ${def.kind.toUpperCase()}`;
      const n = Number(value);
      if (def.kind === 'int' && (n > 2147483647 || n < -2147483648)) return `${bad}: Not a number of type INT`;
      if (def.min !== undefined && n < def.min) return `${bad}: Value must be at least ${def.min}`;
      return null;
    }
    case 'double': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) return `${bad}: Not a number of type DOUBLE`;
      if (def.min !== undefined && n < def.min) return `${bad}: Value must be at least ${def.min}`;
      if (def.max !== undefined && n > def.max) return `${bad}: Value must be no more than ${def.max}`;
      return null;
    }
    case 'boolean':
      return /^(true|false)$/i.test(value) ? null : `${bad}: Expected value to be either true or false`;
    case 'string':
      return def.values && !def.values.includes(value) ? `${bad}: String must be one of: ${def.values.join(', ')}` : null;
    case 'list':
      return value.split(',').every((v) => def.values!.includes(v.trim()))
        ? null
        : `${bad}: String must be one of: ${def.values!.join(', ')}`;
  }
}

/**
 * A topic config's value: the topic override, else the dynamic broker config of its broker
 * synonym (e.g. log.retention.ms for retention.ms, keyed by the broker name as Kafka stores it),
 * else Kafka's default.
 */
export function effectiveConfig(overrides: Record<string, string>, brokerDefaults: Record<string, string> = {}) {
  const get = (k: string) => {
    const def = TOPIC_CONFIGS[k];
    return overrides[k] ?? (def.synonym !== undefined ? brokerDefaults[def.synonym] : undefined) ?? def.default;
  };
  return get;
}

const num = (s: string) => Math.min(Number(s), Number.MAX_SAFE_INTEGER);

export function toLogConfig(overrides: Record<string, string>, brokerDefaults: Record<string, string> = {}): LogConfig {
  const get = effectiveConfig(overrides, brokerDefaults);
  const policy = get('cleanup.policy').split(',').map((p) => p.trim());
  return {
    segmentBytes: num(get('segment.bytes')),
    segmentMs: num(get('segment.ms')),
    retentionMs: num(get('retention.ms')),
    retentionBytes: num(get('retention.bytes')),
    indexIntervalBytes: num(get('index.interval.bytes')),
    flushMessages: num(get('flush.messages')),
    flushMs: num(get('flush.ms')),
    logAppendTime: get('message.timestamp.type') === 'LogAppendTime',
    compact: policy.includes('compact'),
    delete: policy.includes('delete'),
    deleteRetentionMs: num(get('delete.retention.ms')),
    minCleanableDirtyRatio: Number(get('min.cleanable.dirty.ratio')),
    minCompactionLagMs: num(get('min.compaction.lag.ms')),
    maxCompactionLagMs: num(get('max.compaction.lag.ms')),
  };
}
