// OffsetForLeaderEpoch (key 23), versions 0-4: for each partition this node leads, the largest
// leader epoch <= the requested one and the offset where it ends (the start of the next epoch,
// or the log end for the current epoch), from the leader-epoch cache. Followers use it after a
// leader change to truncate where their log diverged (KIP-101/KIP-279).
// Errors: NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, FENCED_LEADER_EPOCH /
// UNKNOWN_LEADER_EPOCH when currentLeaderEpoch is older / newer than this leader's.
// Authorization (--acls): CLUSTER_ACTION on the cluster (the nodes) or DESCRIBE on the topic
// (consumers, KIP-320), else TOPIC_AUTHORIZATION_FAILED on its partitions, as Kafka.
// Deviation: consumers' requests (replicaId -1) are answered the same way as followers'.

import { ErrorCode } from '../protocol/errors.ts';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(OffsetForLeaderEpoch, '0-4', (req, ctx) => {
  const { broker } = ctx;
  const anyTopic = clusterAllowed(ctx, AclOperation.CLUSTER_ACTION);
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => {
        const out = (errorCode: number, leaderEpoch = -1, endOffset = -1) => ({
          errorCode,
          partition: p.partition,
          leaderEpoch,
          endOffset,
        });
        if (!anyTopic && !allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, t.topic)) return out(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        const target = broker.leaderPartition({ topic: t.topic, partition: p.partition });
        if ('errorCode' in target) return out(target.errorCode);
        if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < target.leaderEpoch)
          return out(ErrorCode.FENCED_LEADER_EPOCH);
        if (p.currentLeaderEpoch > target.leaderEpoch) return out(ErrorCode.UNKNOWN_LEADER_EPOCH);
        const r = target.endOffsetForEpoch(p.leaderEpoch);
        return out(ErrorCode.NONE, r.epoch, r.endOffset);
      }),
    })),
  };
});
