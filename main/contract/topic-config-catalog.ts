// Common Kafka topic configs with Kafka's documented defaults, offered by the create dialog so a
// user picks real names instead of typing them from memory. The cluster stays the judge: an
// unknown or invalid entry comes back with the broker's INVALID_CONFIG message.
export interface TopicConfigHint {
  name: string;
  defaultValue: string;
  doc: string;
  values?: string[];
}

export const TOPIC_CONFIG_CATALOG: TopicConfigHint[] = [
  { name: 'cleanup.policy', defaultValue: 'delete', doc: 'delete old segments, or compact by key', values: ['delete', 'compact', 'compact,delete'] },
  { name: 'retention.ms', defaultValue: '604800000', doc: 'how long to keep data (ms), -1 = forever' },
  { name: 'retention.bytes', defaultValue: '-1', doc: 'max bytes per partition before old segments go, -1 = unlimited' },
  { name: 'segment.bytes', defaultValue: '1073741824', doc: 'segment file size' },
  { name: 'segment.ms', defaultValue: '604800000', doc: 'roll a segment after this time' },
  { name: 'min.insync.replicas', defaultValue: '1', doc: 'replicas that must acknowledge an acks=all write' },
  { name: 'max.message.bytes', defaultValue: '1048588', doc: 'largest record batch allowed' },
  { name: 'message.timestamp.type', defaultValue: 'CreateTime', doc: 'CreateTime or LogAppendTime', values: ['CreateTime', 'LogAppendTime'] },
  { name: 'compression.type', defaultValue: 'producer', doc: 'final compression of stored batches', values: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'] },
  { name: 'delete.retention.ms', defaultValue: '86400000', doc: 'how long tombstones stay on compacted topics' },
  { name: 'min.compaction.lag.ms', defaultValue: '0', doc: 'minimum age before a record can be compacted' },
  { name: 'min.cleanable.dirty.ratio', defaultValue: '0.5', doc: 'dirty ratio that triggers compaction' },
  { name: 'flush.messages', defaultValue: '9223372036854775807', doc: 'fsync after this many messages' },
  { name: 'flush.ms', defaultValue: '9223372036854775807', doc: 'fsync after this many ms' },
  { name: 'unclean.leader.election.enable', defaultValue: 'false', doc: 'allow an out-of-sync replica to become leader', values: ['false', 'true'] },
];
