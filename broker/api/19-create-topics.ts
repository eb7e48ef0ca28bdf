// CreateTopics (key 19), versions 1-7 (clients send 1 and up; Kafka 4's minimum is 2).
// Behaviour: each topic is validated and created through Broker.createTopic: Kafka's name rules
// (INVALID_TOPIC_EXCEPTION, also for a name colliding with an existing one once '.' and '_' are
// treated alike), TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR (more
// replicas than live brokers), INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG naming the bad key or
// value. numPartitions / replicationFactor -1 take num.partitions / default.replication.factor.
// An explicit assignment needs both counts at -1 and partition indexes 0..n-1 (INVALID_REQUEST /
// INVALID_REPLICA_ASSIGNMENT otherwise, as Kafka). A topic named twice in one request is
// INVALID_REQUEST for each entry. validateOnly checks everything and creates nothing.
// As Kafka's controller (MAX_PARTITIONS_PER_BATCH), a request for more than 10 000 partitions in
// all is refused whole: POLICY_VIOLATION "Excessively large number of partitions per request."
// for every topic (the node fuzzer found 2^31-1 partitions blocking a node and eating GiBs).
// v5+ answers the partition count, replication factor and the topic's configs with their
// sources; v7 the topic id (zero for validateOnly and errors). The topics of one request are
// created concurrently.
// A topic is answered once every live (unfenced) broker has applied it and every partition's
// leader leads it, so it can be used through any node at once; if that takes longer than
// timeoutMs the topic gets REQUEST_TIMED_OUT (it exists, and appears on every node later).
// Deviations: Kafka answers once the controller has committed the topic and lets brokers
// learn of it eventually; here the answer waits for every live broker (DESIGN.md). Kafka answers
// at once for timeoutMs <= 0 (librdkafka's default operation timeout); here the change is still
// awaited, up to 30 s. TOPIC_ALREADY_EXISTS, too, is answered once the existing topic is visible
// on this node (a create in flight is joined, never reported half done).
// Authorization (--acls): CREATE on the cluster or the topic, else TOPIC_AUTHORIZATION_FAILED.
// Deviation: Kafka also hides the answered configs without DESCRIBE_CONFIGS; here they are shown.

import { ADMIN_TIMEOUT_MS, type TopicMeta } from '../metadata/types.ts';
import { describeTopicConfigs } from '../metadata/config-resources.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { mayCreateTopic } from '../security/request-authorizer.ts';
import { defineHandler, MAX_PARTITIONS_PER_REQUEST } from './types.ts';

type TopicOut = ResponseOf<typeof CreateTopics>['topics'][number];
const ZERO_UUID = '0'.repeat(32);

export default defineHandler(CreateTopics, '1-7', async (req, ctx) => {
  const { broker } = ctx;
  const md = broker.metadata;
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const dups = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  const requested = req.topics.reduce(
    (n, t) =>
      n +
      (t.assignments.length
        ? t.assignments.length
        : t.numPartitions === -1
          ? broker.config.numPartitions
          : Math.max(0, t.numPartitions)),
    0,
  );
  const excessive = requested > MAX_PARTITIONS_PER_REQUEST;

  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : ADMIN_TIMEOUT_MS;
  const one = async (t: (typeof req.topics)[number]): Promise<TopicOut> => {
    const fail = (errorCode: number, errorMessage: string): TopicOut => ({
      name: t.name,
      topicId: ZERO_UUID,
      errorCode,
      errorMessage,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    });
    if (!mayCreateTopic(ctx, t.name)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
    if (excessive) return fail(ErrorCode.POLICY_VIOLATION, 'Excessively large number of partitions per request.');
    if (dups.includes(t.name))
      return fail(
        ErrorCode.INVALID_REQUEST,
        `Create topics request from client \`${ctx.clientId ?? ''}\` contains multiple entries for the following topics: ${dups.join(', ')}`,
      );
    const configs: Record<string, string> = {};
    const nullConfig = t.configs.find((c) => c.value === null);
    if (nullConfig) return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nullConfig.name}`);
    for (const c of t.configs) configs[c.name] = c.value!;

    let assignment: number[][] | undefined;
    if (t.assignments.length > 0) {
      if (t.numPartitions !== -1 || t.replicationFactor !== -1)
        return fail(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
      const sorted = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
      if (sorted.some((a, i) => a.partitionIndex !== i))
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Partitions should be a consecutive 0-based integer sequence');
      assignment = sorted.map((a) => a.brokerIds);
    }

    const collision = collidingTopic(t.name, md.topics());
    if (collision && collision !== t.name)
      return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${t.name}' collides with existing topic: ${collision}`);

    const res = await broker.createTopic(
      { name: t.name, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, assignment, configs },
      { validateOnly: req.validateOnly, timeoutMs },
    );
    if (res.errorCode !== ErrorCode.NONE) return fail(res.errorCode, res.errorMessage ?? '');
    // validateOnly: describe what would have been created.
    const partitions = assignment?.length ?? (t.numPartitions === -1 ? broker.config.numPartitions : t.numPartitions);
    const rf =
      assignment?.[0].length ??
      (t.replicationFactor === -1 ? broker.config.defaultReplicationFactor : t.replicationFactor);
    const meta: TopicMeta = res.topic ?? {
      name: t.name,
      topicId: ZERO_UUID,
      internal: false,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        partition: p,
        leader: -1,
        leaderEpoch: 0,
        replicas: new Array(rf).fill(-1),
        isr: [],
      })),
      configs,
    };
    const described = describeTopicConfigs(meta, md.brokerConfigs(), { keys: null, includeSynonyms: false, includeDocumentation: false });
    return {
      name: t.name,
      topicId: meta.topicId,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: meta.partitions.length,
      replicationFactor: meta.partitions[0]?.replicas.length ?? rf,
      configs: described.map((c) => ({
        name: c.name,
        value: c.value,
        readOnly: c.readOnly,
        configSource: c.configSource,
        isSensitive: c.isSensitive,
      })),
    };
  };
  const topics = await Promise.all(req.topics.map(one));
  return { throttleTimeMs: 0, topics };
});

/** Kafka refuses names that differ from an existing topic only by '.' versus '_'. */
function collidingTopic(name: string, existing: TopicMeta[]): string | undefined {
  const norm = (s: string) => s.replace(/\./g, '_');
  return existing.find((e) => norm(e.name) === norm(name))?.name;
}
