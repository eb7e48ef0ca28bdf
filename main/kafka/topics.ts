// Topic operations over the Admin client: list with counts and sizes, detail per partition,
// create/delete, add partitions, describe/alter configs.
import { ConfigResourceTypes, ConfigSources, IncrementalAlterConfigOperationTypes } from '@platformatic/kafka';
import type { Admin, ClusterMetadata, IncrementalAlterConfigsOptions } from '@platformatic/kafka';
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
import { partitionRanges, pkey, type PartitionKey } from './offsets.ts';

type IncrementalAlterConfigsRequestConfig = IncrementalAlterConfigsOptions['resources'][number]['configs'][number];

const INTERNAL = new Set(['__consumer_offsets', '__transaction_state', '__cluster_metadata']);

/** Metadata of every topic; topics the cluster could not describe (null entries) are left out. */
export async function allMetadata(admin: Admin): Promise<ClusterMetadata> {
  const names = await admin.listTopics({ includeInternals: true });
  const meta = await admin.metadata({ topics: names, forceUpdate: true });
  const topics = new Map([...meta.topics].filter(([, t]) => t !== undefined && t !== null));
  return { ...meta, topics };
}

/** Leader replica sizes; null when the cluster does not implement DescribeLogDirs. */
async function leaderSizes(admin: Admin, meta: ClusterMetadata, topics: string[]): Promise<Map<PartitionKey, number> | null> {
  if (topics.length === 0) return new Map();
  try {
    const dirs = await admin.describeLogDirs({
      topics: topics.map((name) => ({ name, partitions: meta.topics.get(name)!.partitions.map((_, i) => i) })),
    });
    const out = new Map<PartitionKey, number>();
    for (const b of dirs) {
      for (const r of b.results) {
        for (const t of r.topics) {
          for (const p of t.partitions) {
            const leader = meta.topics.get(t.name)?.partitions[p.partitionIndex]?.leader;
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

function partitionList(meta: ClusterMetadata, names: string[]) {
  return names.flatMap((topic) => meta.topics.get(topic)!.partitions.map((_, partition) => ({ topic, partition })));
}

export async function listTopics(conn: KafkaConnection): Promise<TopicSummary[]> {
  const admin = conn.admin;
  const meta = await allMetadata(admin);
  const names = [...meta.topics.keys()].sort();
  const [ranges, sizes] = await Promise.all([
    partitionRanges(admin, partitionList(meta, names)).catch(() => null),
    leaderSizes(admin, meta, names),
  ]);
  return names.map((name) => {
    const t = meta.topics.get(name)!;
    let messages: number | null = ranges ? 0 : null;
    let size: number | null = sizes ? 0 : null;
    t.partitions.forEach((_, i) => {
      const r = ranges?.get(pkey(name, i));
      if (messages !== null) messages = r ? messages + (r.end - r.start) : null;
      if (size !== null) size += sizes?.get(pkey(name, i)) ?? 0;
    });
    return {
      name,
      internal: INTERNAL.has(name) || name.startsWith('__'),
      partitions: t.partitionsCount,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      messages,
      sizeBytes: size,
      underReplicated: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
    };
  });
}

export async function topicDetail(conn: KafkaConnection, name: string): Promise<TopicDetail> {
  const admin = conn.admin;
  const meta = await admin.metadata({ topics: [name], forceUpdate: true });
  const t = meta.topics.get(name);
  if (!t) throw new ConsoleError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.', 404);
  const [ranges, sizes] = await Promise.all([
    partitionRanges(admin, partitionList(meta, [name])).catch(() => null),
    leaderSizes(admin, meta, [name]),
  ]);
  const partitions: PartitionInfo[] = t.partitions.map((p, i) => {
    const r = ranges?.get(pkey(name, i));
    return {
      partition: i,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
      startOffset: r?.start ?? null,
      endOffset: r?.end ?? null,
      sizeBytes: sizes?.get(pkey(name, i)) ?? null,
    };
  });
  return { name, id: t.id, internal: INTERNAL.has(name), partitions };
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
