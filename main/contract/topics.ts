// Topics: list, detail, create, delete, partitions and configs. Names are validated by Kafka
// itself (the broker's INVALID_TOPIC_EXCEPTION text reaches the user); the contract only keeps
// inputs well-formed.
import { z } from 'zod';

export const TopicSummarySchema = z.object({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.number(),
  replicationFactor: z.number(),
  /** Sum over partitions of end - start offset (an upper bound for compacted topics). */
  messages: z.number().nullable(),
  /** Bytes on disk of the leader replicas, when the cluster answers DescribeLogDirs. */
  sizeBytes: z.number().nullable(),
  underReplicated: z.number(),
  /** Partitions without a leader: nobody can read or write them until a replica comes back. */
  offline: z.number(),
});
export type TopicSummary = z.infer<typeof TopicSummarySchema>;

export const TopicListSchema = z.object({ topics: z.array(TopicSummarySchema) });
export type TopicList = z.infer<typeof TopicListSchema>;

export const PartitionInfoSchema = z.object({
  partition: z.number(),
  /** -1 when the partition has no leader (offline). */
  leader: z.number(),
  replicas: z.array(z.number()),
  isr: z.array(z.number()),
  offlineReplicas: z.array(z.number()),
  startOffset: z.number().nullable(),
  endOffset: z.number().nullable(),
  sizeBytes: z.number().nullable(),
  /** Kafka's error for this partition right now (LEADER_NOT_AVAILABLE ...), null when healthy. */
  error: z.string().nullable(),
});
export type PartitionInfo = z.infer<typeof PartitionInfoSchema>;

export const TopicDetailSchema = z.object({
  name: z.string(),
  id: z.string(),
  internal: z.boolean(),
  partitions: z.array(PartitionInfoSchema),
});
export type TopicDetail = z.infer<typeof TopicDetailSchema>;

export const ConfigEntrySchema = z.object({
  name: z.string(),
  value: z.string().nullable(),
  /** Kafka's config source: DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG, STATIC_BROKER_CONFIG ... */
  source: z.string(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
  isDefault: z.boolean(),
  documentation: z.string().nullable(),
});
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;

export const TopicConfigsSchema = z.object({ configs: z.array(ConfigEntrySchema) });
export type TopicConfigs = z.infer<typeof TopicConfigsSchema>;

export const CreateTopicRequestSchema = z.object({
  name: z.string().max(249, "Topic name is illegal, it can't be longer than 249 characters"),
  partitions: z.number().int().min(1).max(10000).default(1),
  replicationFactor: z.number().int().min(-1).max(32767).default(-1),
  configs: z.record(z.string(), z.string()).default({}),
});
export type CreateTopicRequest = z.input<typeof CreateTopicRequestSchema>;

export const AddPartitionsRequestSchema = z.object({
  /** The new total number of partitions (Kafka's CreatePartitions semantics). */
  totalCount: z.number().int().min(1).max(100000),
});
export type AddPartitionsRequest = z.infer<typeof AddPartitionsRequestSchema>;

export const AlterConfigsRequestSchema = z.object({
  set: z.record(z.string().min(1), z.string()).default({}),
  /** Names to reset to their default (remove the topic override). */
  reset: z.array(z.string().min(1)).default([]),
});
export type AlterConfigsRequest = z.input<typeof AlterConfigsRequestSchema>;

export const TopicGroupsSchema = z.object({
  groups: z.array(z.object({ groupId: z.string(), lag: z.number().nullable() })),
});
export type TopicGroups = z.infer<typeof TopicGroupsSchema>;
