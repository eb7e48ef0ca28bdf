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

import { ErrorCode } from '../protocol/errors.ts';
import { TxnOffsetCommit } from '../protocol/messages/txn-offset-commit.ts';
import { defineHandler } from './types.ts';

export default defineHandler(TxnOffsetCommit, '0-4', async (req, ctx) => {
  const v = ctx.apiVersion;
  const fix = (code: number) => (code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && v < 2 ? ErrorCode.COORDINATOR_NOT_AVAILABLE : code);
  const ready = await ctx.broker.groups.ready();
  const exists = (topic: string, p: number) => {
    const t = ctx.broker.metadata.topic(topic);
    return !!t && p >= 0 && p < t.partitions.length;
  };
  const known = req.topics
    .map((t) => ({ ...t, partitions: t.partitions.filter((p) => exists(t.name, p.partitionIndex)) }))
    .filter((t) => t.partitions.length > 0);
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
