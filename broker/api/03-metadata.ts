// Metadata (key 3), versions 0-12.
// Behaviour: v0 with an empty list, or v1+ with a null list, describes every topic. A named
// topic that does not exist is auto-created when auto.create.topics.enable and the request
// allows it (v4+ flag; always for older versions), as Kafka does.
// Deviation: Kafka answers LEADER_NOT_AVAILABLE for a topic it is still creating; here creation
// completes before the answer, so the new topic is returned with its partitions at once.
// Authorized operations, when asked for, are "all" (no ACLs).
// Brokers are the registered unfenced ones; controllerId is the metadata quorum leader.

import type { Broker } from '../broker.ts';
import type { TopicMeta } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

type TopicOut = ResponseOf<typeof Metadata>['topics'][number];

const ZERO_UUID = '0'.repeat(32);
// READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS
const ALL_TOPIC_OPS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((a, op) => a | (1 << op), 0);
const UNREQUESTED_OPS = -2147483648;

export function describeTopic(broker: Broker, t: TopicMeta, ops: number): TopicOut {
  const live = new Set(broker.metadata.brokers().map((b) => b.nodeId));
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.internal,
    partitions: t.partitions.map((p) => ({
      errorCode: live.has(p.leader) ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
      partitionIndex: p.partition,
      leaderId: live.has(p.leader) ? p.leader : -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.replicas.filter((r) => !live.has(r)),
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
  const ops = req.includeTopicAuthorizedOperations ? ALL_TOPIC_OPS : UNREQUESTED_OPS;
  const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
  const allowAuto = broker.config.autoCreateTopics && (apiVersion < 4 || req.allowAutoTopicCreation);

  const topics: TopicOut[] = [];
  if (all) {
    for (const t of md.topics()) topics.push(describeTopic(broker, t, ops));
  } else {
    for (const rt of req.topics!) {
      const byId = rt.name === null && rt.topicId !== ZERO_UUID;
      let t = byId ? md.topicById(rt.topicId) : md.topic(rt.name ?? '');
      if (!t && !byId && allowAuto) {
        const created = await broker.autoCreate(rt.name ?? '');
        if (created.errorCode !== ErrorCode.NONE) {
          topics.push(errorTopic(rt.name, rt.topicId, created.errorCode));
          continue;
        }
        t = created.topic;
      }
      if (t) topics.push(describeTopic(broker, t, ops));
      else topics.push(errorTopic(rt.name, rt.topicId, byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: md.brokers().map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    clusterId: md.clusterId,
    controllerId: md.controllerId,
    topics,
    clusterAuthorizedOperations: UNREQUESTED_OPS,
  };
});

function errorTopic(name: string | null, topicId: string, errorCode: number): TopicOut {
  return { errorCode, name, topicId, partitions: [] };
}
