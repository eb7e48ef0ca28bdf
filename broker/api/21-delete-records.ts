// DeleteRecords (key 21), versions 0-2.
// Behaviour: moves each partition's log start offset forward to the given offset (-1 means the
// high watermark); whole segments below it are deleted, the rest of the records become
// invisible to Fetch and ListOffsets(earliest). The answer's lowWatermark is the new log start
// offset; an offset at or below the current one changes nothing and answers the current one.
// Errors per partition: OFFSET_OUT_OF_RANGE for an offset beyond the high watermark or another
// negative value, UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER (sent to a non-leader).
// Deviation: the leader answers without waiting for followers to move their start offsets.

import { DeleteRecords } from '../protocol/messages/delete-records.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DeleteRecords, '0-2', (req, ctx) => {
  const { broker } = ctx;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const out = (errorCode: number, lowWatermark = -1) => ({ partitionIndex: p.partitionIndex, lowWatermark, errorCode });
      const target = broker.leaderPartition({ topic: t.name, partition: p.partitionIndex });
      if ('errorCode' in target) return out(target.errorCode);
      const r = target.deleteRecordsTo(p.offset);
      return out(r.errorCode, r.lowWatermark);
    }),
  }));
  return { throttleTimeMs: 0, topics };
});
