// DeleteRecords (key 21), versions 0-2.
// Behaviour: moves each partition's log start offset forward to the given offset (-1 means the
// high watermark); whole segments below it are deleted, the rest of the records become
// invisible to Fetch and ListOffsets(earliest). Followers adopt the leader's log start offset
// from their fetch responses; as Kafka, the answer waits until every ISR member has (up to
// timeoutMs, then REQUEST_TIMED_OUT) and its lowWatermark is the smallest log start offset of
// the ISR. An offset at or below the current one changes nothing and answers the current one.
// Errors per partition: OFFSET_OUT_OF_RANGE for an offset beyond the high watermark or another
// negative value, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER (sent to a non-leader).
// TOPIC_AUTHORIZATION_FAILED without DELETE on the topic (--acls), as Kafka.
// Deviation: the low watermark is over the ISR; Kafka's counts every live replica.

import type { DeleteRecordsResult } from '../partition/partition.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DeleteRecords } from '../protocol/messages/delete-records.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type PartitionOut = ResponseOf<typeof DeleteRecords>['topics'][number]['partitions'][number];

export default defineHandler(DeleteRecords, '0-2', async (req, ctx) => {
  const { broker } = ctx;
  const pending: Promise<void>[] = [];
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const out: PartitionOut = { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: 0 };
      const fill = (r: DeleteRecordsResult) => {
        out.errorCode = r.errorCode;
        out.lowWatermark = r.lowWatermark;
      };
      const target = broker.leaderPartition({ topic: t.name, partition: p.partitionIndex });
      if (!allowed(ctx, AclOperation.DELETE, ResourceType.TOPIC, t.name)) fill({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, lowWatermark: -1 });
      else if ('errorCode' in target) fill({ errorCode: target.errorCode, lowWatermark: -1 });
      else {
        const r = target.deleteRecordsTo(p.offset, req.timeoutMs);
        if (r instanceof Promise) pending.push(r.then(fill));
        else fill(r);
      }
      return out;
    }),
  }));
  await Promise.all(pending);
  return { throttleTimeMs: 0, topics };
});
