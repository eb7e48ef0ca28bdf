// TxnOffsetCommit (key 28), versions 0-4.
// Behaviour: on the group's coordinator, the offsets a transactional producer commits for a
// consumer group (after AddOffsetsToTxn) are written to `__consumer_offsets` in a transactional
// batch of that producer and answered once the ISR has them; they stay pending (OffsetFetch
// does not return them, and answers UNSTABLE_OFFSET_COMMIT when asked for stable offsets) until
// the transaction's marker reaches the partition: visible on commit, dropped on abort
// (coordinator/txn-offsets.ts). The group is created if unknown; v3+ member id, instance id and
// generation, when given, must match the group (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID,
// ILLEGAL_GENERATION), as Kafka fences zombie consumers with them.
// Errors per partition: UNKNOWN_TOPIC_OR_PARTITION (a topic or partition that does not exist),
// OFFSET_METADATA_TOO_LARGE, INVALID_PRODUCER_EPOCH (an epoch older than the partition has seen
// of the producer), NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS
// (COORDINATOR_NOT_AVAILABLE before v2, as Kafka answers clients older than KAFKA-7296),
// INVALID_GROUP_ID.
// Authorization (--acls), as Kafka: WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
// READ on the group (GROUP_AUTHORIZATION_FAILED), both for every partition; READ on each topic
// (TOPIC_AUTHORIZATION_FAILED for its partitions, not committed).

import { ErrorCode } from '../protocol/errors.ts';
import { TxnOffsetCommit } from '../protocol/messages/txn-offset-commit.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(TxnOffsetCommit, '0-4', async (req, ctx) => {
  const v = ctx.apiVersion;
  const fix = (code: number) => (code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && v < 2 ? ErrorCode.COORDINATOR_NOT_AVAILABLE : code);
  const ready = !allowed(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)
    ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
    : await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  const readable = (topic: string) => allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic);
  const exists = (topic: string, p: number) => {
    const t = ctx.broker.metadata.topic(topic);
    return !!t && p >= 0 && p < t.partitions.length;
  };
  const known = req.topics
    .map((t) => ({ ...t, partitions: t.partitions.filter((p) => exists(t.name, p.partitionIndex)) }))
    .filter((t) => t.partitions.length > 0 && readable(t.name));
  const results =
    typeof ready === 'number'
      ? []
      : await ready.commitTxnOffsets({
          groupId: req.groupId,
          producerId: req.producerId,
          producerEpoch: req.producerEpoch,
          generationId: req.generationId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId,
          topics: known,
        });
  const codeOf = (topic: string, p: number) => {
    if (!exists(topic, p)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    if (typeof ready === 'number') return ready;
    if (!readable(topic)) return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    return results.find((t) => t.name === topic)?.partitions.find((x) => x.partitionIndex === p)?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  };
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: fix(codeOf(t.name, p.partitionIndex)) })),
    })),
  };
});
