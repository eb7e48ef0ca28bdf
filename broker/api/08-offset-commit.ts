// OffsetCommit (key 8), versions 1-9 (sarama sends 1; librdkafka needs 1..2 advertised).
// Behaviour: a member commits in its generation (Stable or PreparingRebalance; CompletingRebalance
// answers REBALANCE_IN_PROGRESS); generation -1 with no member id is a standalone commit, allowed
// when the group is Empty or unknown (that is how `kafka-consumer-groups --reset-offsets` and
// admin clients write offsets). Any offset is stored as sent, including -2 (kafkajs commits it
// for "earliest"). Commits are written to __consumer_offsets (OffsetCommitKey v1 / Value v3, v1
// when v2-4 ask for a retention time) and answered once every ISR member has them (acks=all, as
// Kafka; COORDINATOR_NOT_AVAILABLE / REQUEST_TIMED_OUT if that does not happen within 5 s). Errors per partition:
// UNKNOWN_TOPIC_OR_PARTITION, OFFSET_METADATA_TOO_LARGE (> 4096 bytes), ILLEGAL_GENERATION,
// UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, INVALID_GROUP_ID, COORDINATOR_*.
// v1's per-partition commit timestamp is ignored (the broker's time is used, as Kafka 4 does).
// v9 (KIP-848 member epochs) is served for classic groups only.
// Authorization (--acls): READ on the group (GROUP_AUTHORIZATION_FAILED for every partition) and
// on each topic (TOPIC_AUTHORIZATION_FAILED for its partitions, not committed), as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { OffsetCommit } from '../protocol/messages/offset-commit.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(OffsetCommit, '1-9', async (req, ctx) => {
  const ready = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  if (typeof ready === 'number') {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ready })),
      })),
    };
  }
  const readable = (t: { name: string }) => allowed(ctx, AclOperation.READ, ResourceType.TOPIC, t.name);
  const refused = req.topics
    .filter((t) => !readable(t))
    .map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })) }));
  const committed = await ready.commitOffsets({
    groupId: req.groupId,
    generationId: req.generationIdOrMemberEpoch,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    retentionTimeMs: req.retentionTimeMs,
    topics: req.topics.filter(readable),
  });
  return { throttleTimeMs: 0, topics: [...committed, ...refused] };
});
