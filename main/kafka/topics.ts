// Topic operations over the Admin client: list with counts and sizes, detail per partition,
// create/delete, add partitions, describe/alter configs. Listing and detail keep working while
// partitions are offline: they read cluster-metadata.ts views, and a partition that cannot
// answer ListOffsets or DescribeLogDirs only loses its own numbers.
import { ConfigResourceTypes, ConfigSources, IncrementalAlterConfigOperationTypes } from '@platformatic/kafka';
import type { Admin, IncrementalAlterConfigsOptions } from '@platformatic/kafka';
import type {
  ConfigEntry,
  CreateTopicRequestSchema,
  PartitionInfo,
  TopicDetail,
  TopicSummary,
} from '../contract/index.ts';
import type { z } from 'zod';
import type { KafkaConnection } from './connection.ts';
import { ConsoleError } from './errors.ts';
import { isOffline, isUnderReplicated, type ClusterView, type TopicView } from './cluster-metadata.ts';
import { partitionRanges, pkey, type PartitionKey, type Range } from './offsets.ts';

type IncrementalAlterConfigsRequestConfig = IncrementalAlterConfigsOptions['resources'][number]['configs'][number];

/** Leader replica sizes; null when the cluster does not implement DescribeLogDirs. */
async function leaderSizes(admin: Admin, cluster: ClusterView, topics: TopicView[]): Promise<Map<PartitionKey, number> | null> {
  if (topics.length === 0) return new Map();
  try {
    const dirs = await admin.describeLogDirs({
      topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partition) })),
    });
    const out = new Map<PartitionKey, number>();
    for (const b of dirs) {
      for (const r of b.results) {
        for (const t of r.topics) {
          for (const p of t.partitions) {
            const leader = cluster.topics.get(t.name)?.partitions[p.partitionIndex]?.leader;
            if (leader === b.broker) out.set(pkey(t.name, p.partitionIndex), Number(p.partitionSize));
          }
        }
      }
    }
    return out;
  } catch {
    return null;
  }
}

const partitionList = (topics: TopicView[]) => topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));

export async function listTopics(conn: KafkaConnection): Promise<TopicSummary[]> {
  const cluster = await conn.clusterView();
  const topics = [...cluster.topics.values()].sort((a, b) => a.name.localeCompare(b.name));
  const [ranges, sizes] = await Promise.all([partitionRanges(conn, partitionList(topics)), leaderSizes(conn.admin, cluster, topics)]);
  return topics.map((t) => {
    // A count over some partitions would look like a real total: unknown unless all answered.
    const known = t.partitions.every((p) => ranges.has(pkey(t.name, p.partition)));
    return {
      name: t.name,
      internal: t.internal,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      messages: known ? t.partitions.reduce((n, p) => n + rangeSize(ranges.get(pkey(t.name, p.partition))), 0) : null,
      sizeBytes: sizes ? t.partitions.reduce((n, p) => n + (sizes.get(pkey(t.name, p.partition)) ?? 0), 0) : null,
      underReplicated: t.partitions.filter(isUnderReplicated).length,
      offline: t.partitions.filter(isOffline).length,
    };
  });
}

const rangeSize = (r: Range | undefined) => (r ? r.end - r.start : 0);

export async function topicDetail(conn: KafkaConnection, name: string): Promise<TopicDetail> {
  const cluster = await conn.clusterView([name]);
  const t = cluster.topics.get(name);
  if (!t) throw new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.', 404);
  const [ranges, sizes] = await Promise.all([partitionRanges(conn, partitionList([t])), leaderSizes(conn.admin, cluster, [t])]);
  const partitions: PartitionInfo[] = t.partitions.map((p) => {
    const r = ranges.get(pkey(name, p.partition));
    return {
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
      startOffset: r?.start ?? null,
      endOffset: r?.end ?? null,
      sizeBytes: sizes?.get(pkey(name, p.partition)) ?? null,
      error: p.error,
    };
  });
  return { name, id: t.id, internal: t.internal, partitions };
}

export async function createTopic(conn: KafkaConnection, req: z.output<typeof CreateTopicRequestSchema>): Promise<TopicSummary> {
  await conn.admin.createTopics({
    topics: [req.name],
    partitions: req.partitions,
    replicas: req.replicationFactor,
    configs: Object.entries(req.configs).map(([name, value]) => ({ name, value })),
  });
  const summaries = await listTopics(conn);
  const created = summaries.find((s) => s.name === req.name);
  return (
    created ?? {
      name: req.name,
      internal: false,
      partitions: req.partitions,
      replicationFactor: req.replicationFactor,
      messages: 0,
      sizeBytes: null,
      underReplicated: 0,
      offline: 0,
    }
  );
}

export async function deleteTopic(conn: KafkaConnection, name: string): Promise<void> {
  await conn.admin.deleteTopics({ topics: [name] });
}

export async function addPartitions(conn: KafkaConnection, name: string, totalCount: number): Promise<void> {
  await conn.admin.createPartitions({ topics: [{ name, count: totalCount, assignments: null }] });
}

const SOURCE_NAMES = Object.fromEntries(Object.entries(ConfigSources).map(([k, v]) => [v, k])) as Record<number, string>;
const DYNAMIC_TOPIC_SOURCE = 'DYNAMIC_TOPIC_CONFIG';

export async function topicConfigs(conn: KafkaConnection, name: string): Promise<ConfigEntry[]> {
  const res = await conn.admin.describeConfigs({
    resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configurationKeys: null }],
    includeSynonyms: false,
    includeDocumentation: true,
  });
  const configs = res[0]?.configs ?? [];
  return configs
    .map((c) => {
      // Kafka's wire value 1 is TOPIC_CONFIG in the enum, named DYNAMIC_TOPIC_CONFIG in Kafka's admin API.
      const source = c.configSource === ConfigSources.TOPIC_CONFIG ? DYNAMIC_TOPIC_SOURCE : (SOURCE_NAMES[c.configSource] ?? 'UNKNOWN');
      return {
        name: c.name,
        value: c.value ?? null,
        source,
        readOnly: c.readOnly,
        sensitive: c.isSensitive,
        isDefault: source === 'DEFAULT_CONFIG',
        documentation: c.documentation ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function alterTopicConfigs(
  conn: KafkaConnection,
  name: string,
  set: Record<string, string>,
  reset: string[],
): Promise<void> {
  const configs = [
    ...Object.entries(set).map(([n, value]) => ({ name: n, configOperation: IncrementalAlterConfigOperationTypes.SET, value })),
    ...reset.map((n) => ({ name: n, configOperation: IncrementalAlterConfigOperationTypes.DELETE })),
  ] as IncrementalAlterConfigsRequestConfig[];
  if (configs.length === 0) return;
  await conn.admin.incrementalAlterConfigs({
    resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configs }],
  });
}
