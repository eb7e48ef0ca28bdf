// ListOffsets (key 2), versions 1-10 (v0, with its list of old-style offsets, is not served:
// clients send 1 and up, and Kafka 4's minimum is 1).
// Behaviour per partition, on the leader: timestamp -2 (earliest) answers the log start offset,
// -1 (latest) the high watermark (the last stable offset under isolation_level 1, read_committed,
// v2+), -3 (v7+) the offset and timestamp of the record with
// the largest timestamp, -4 (v8+, earliest local) the log start offset (all data is local),
// -5 (v9+, latest tiered) offset -1 (no tiered storage, as Kafka without it); any other
// timestamp the first offset whose record timestamp is at or after it (offset -1, timestamp -1
// when there is none below the high watermark, or the last stable offset under read_committed,
// as Kafka's lastFetchableOffset). currentLeaderEpoch (v4+) is checked:
// FENCED_LEADER_EPOCH when older than the leader's, UNKNOWN_LEADER_EPOCH when newer.
// Errors: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER on a non-leader;
// TOPIC_AUTHORIZATION_FAILED without DESCRIBE on the topic (--acls), as Kafka.
// Deviation: the answered leaderEpoch is the current leader epoch for earliest/latest and -1
// (unknown) for lookups by time; timeoutMs (v10) is not needed (no remote storage).

import { ErrorCode } from '../protocol/errors.ts';
import { ListOffsets } from '../protocol/messages/list-offsets.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type PartitionOut = ResponseOf<typeof ListOffsets>['topics'][number]['partitions'][number];

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

export default defineHandler(ListOffsets, '1-10', (req, ctx) => {
  const { broker } = ctx;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): PartitionOut => {
      const out = (errorCode: number, offset = -1, timestamp = -1, leaderEpoch = -1): PartitionOut => ({
        partitionIndex: p.partitionIndex,
        errorCode,
        timestamp,
        offset,
        leaderEpoch,
      });
      if (!allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, t.name)) return out(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const target = broker.leaderPartition({ topic: t.name, partition: p.partitionIndex });
      if ('errorCode' in target) return out(target.errorCode);
      const { log, leaderEpoch: epoch } = target;
      if (p.currentLeaderEpoch !== -1) {
        if (p.currentLeaderEpoch < epoch) return out(ErrorCode.FENCED_LEADER_EPOCH);
        if (p.currentLeaderEpoch > epoch) return out(ErrorCode.UNKNOWN_LEADER_EPOCH);
      }
      // Kafka's lastFetchableOffset: what a consumer of this isolation level may read.
      const hw = req.isolationLevel === 1 ? target.lastStableOffset : target.highWatermark;
      switch (p.timestamp) {
        case LATEST:
          return out(ErrorCode.NONE, hw, -1, epoch);
        case EARLIEST:
        case EARLIEST_LOCAL:
          return out(ErrorCode.NONE, log.logStartOffset, -1, epoch);
        case LATEST_TIERED:
          return out(ErrorCode.NONE, -1, -1, -1);
        case MAX_TIMESTAMP: {
          const max = log.maxTimestamp();
          if (!max || max.offset >= hw) return out(ErrorCode.NONE);
          return out(ErrorCode.NONE, max.offset, max.timestamp, -1);
        }
        default: {
          const found = log.offsetForTimestamp(p.timestamp);
          if (!found || found.offset >= hw) return out(ErrorCode.NONE);
          return out(ErrorCode.NONE, Math.max(found.offset, log.logStartOffset), found.timestamp, -1);
        }
      }
    }),
  }));
  return { throttleTimeMs: 0, topics };
});
