// Metadata (key 3), versions 0-12.
// Behaviour: v0 with an empty list, or v1+ with a null list, describes every topic. A named
// topic that does not exist is auto-created when auto.create.topics.enable and the request
// allows it (v4+ flag; always for older versions), as Kafka does; an auto-creation racing
// another create joins it. Only partitions every live broker knows are shown
// (metadata/visibility.ts), so the partition count a node reports never goes down: a topic still
// being created answers LEADER_NOT_AVAILABLE (retriable, as Kafka), never TOPIC_ALREADY_EXISTS,
// and a listing of all topics leaves it out until it is visible.
// Deviation: Kafka answers LEADER_NOT_AVAILABLE at once for a topic it auto-creates or is still
// creating; here the answer waits (up to 5 s) until the topic is visible on every live broker and
// then describes it, so a client's first Metadata already has the leaders. An auto-creation
// that can never succeed (INVALID_TOPIC_EXCEPTION, INVALID_REPLICATION_FACTOR with too few
// live brokers) is answered with that error, where Kafka answers LEADER_NOT_AVAILABLE and
// logs the failure; any other failure is LEADER_NOT_AVAILABLE.
// Authorization (--acls), as Kafka: a listing of all topics shows only those the principal may
// DESCRIBE; a named topic it may not describe is TOPIC_AUTHORIZATION_FAILED, and so is one it
// would auto-create without CREATE on the cluster or the topic. Authorized operations, when
// asked for, are the principal's (every operation without an authorizer).
// offlineReplicas: replicas on fenced brokers and on brokers whose log dir is offline
// (log/log-dir.ts); such a replica may still lead a partition no other ISR member could take
// (read-only, see metadata/controller.ts).
// Brokers are the registered unfenced ones; controllerId is the metadata quorum leader, or this
// node while there is none (any node forwards admin requests to the controller; KRaft brokers
// name a live broker too, and kafka-python's admin client fails on -1).

import type { Broker } from '../broker.ts';
import type { TopicMeta } from '../metadata/types.ts';
import { isBeingCreated, visiblePartitions } from '../metadata/visibility.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../security/authorizer.ts';
import { allowed, mayCreateTopic, operationsOf } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type TopicOut = ResponseOf<typeof Metadata>['topics'][number];

const ZERO_UUID = '0'.repeat(32);
/** How long a Metadata request waits for a topic being created before LEADER_NOT_AVAILABLE. */
const CREATING_WAIT_MS = 5000;

function describeTopic(broker: Broker, t: TopicMeta, ops: number): TopicOut {
  const live = new Set(broker.metadata.brokers().map((b) => b.nodeId));
  const offlineDirs = new Set(broker.quorum?.logDirsOffline());
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.internal,
    partitions: visiblePartitions(t).map((p) => ({
      errorCode: live.has(p.leader) ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
      partitionIndex: p.partition,
      leaderId: live.has(p.leader) ? p.leader : -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.replicas.filter((r) => !live.has(r) || offlineDirs.has(r)),
    })),
    topicAuthorizedOperations: ops,
  };
}

export default defineHandler(Metadata, '0-12', async (req, ctx) => {
  const { broker, apiVersion } = ctx;
  // A restarted node answers once it has replayed the metadata log (as a KRaft broker only
  // serves after catching up), rather than describe a cluster without its topics.
  await broker.quorum?.waitCaughtUp(3000);
  const md = broker.metadata;
  const ops = (t: TopicMeta) => operationsOf(ctx, req.includeTopicAuthorizedOperations, ResourceType.TOPIC, t.name);
  const describable = (name: string) => allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
  const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
  const allowAuto = broker.config.autoCreateTopics && (apiVersion < 4 || req.allowAutoTopicCreation);

  const topics: TopicOut[] = [];
  if (all) {
    for (const t of md.topics()) if (!isBeingCreated(t) && describable(t.name)) topics.push(describeTopic(broker, t, ops(t)));
  } else {
    // Topics are looked up together, so one being created delays the answer only once.
    const found = await Promise.all(
      req.topics!.map(async (rt): Promise<TopicOut> => {
        const byId = rt.name === null && rt.topicId !== ZERO_UUID;
        if (!byId && !describable(rt.name ?? '')) return errorTopic(rt.name, rt.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        let t = byId ? md.topicById(rt.topicId) : md.topic(rt.name ?? '');
        if (t && byId && !describable(t.name)) return errorTopic(null, rt.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        if (!t && !byId && allowAuto) {
          if (!mayCreateTopic(ctx, rt.name ?? '')) return errorTopic(rt.name, rt.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
          const created = await broker.autoCreate(rt.name ?? '', CREATING_WAIT_MS);
          if (created.errorCode !== ErrorCode.NONE) return errorTopic(rt.name, rt.topicId, created.errorCode);
          t = created.topic;
        }
        if (t && isBeingCreated(t)) t = (await md.awaitVisible(t.name, CREATING_WAIT_MS)) ?? t;
        if (!t) return errorTopic(rt.name, rt.topicId, byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (isBeingCreated(t)) return errorTopic(t.name, t.topicId, ErrorCode.LEADER_NOT_AVAILABLE);
        return describeTopic(broker, t, ops(t));
      }),
    );
    topics.push(...found);
  }
  const brokers = md.brokers();
  return {
    throttleTimeMs: 0,
    brokers: brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    clusterId: md.clusterId,
    controllerId: brokers.some((b) => b.nodeId === md.controllerId) ? md.controllerId : broker.config.nodeId,
    topics,
    clusterAuthorizedOperations: operationsOf(ctx, req.includeClusterAuthorizedOperations, ResourceType.CLUSTER, CLUSTER_NAME),
  };
});

function errorTopic(name: string | null, topicId: string, errorCode: number): TopicOut {
  return { errorCode, name, topicId, partitions: [] };
}
