// AlterPartition (key 56), versions 0-1: a partition leader asks the active controller to change
// the ISR (shrink a lagging follower, add a caught-up one). Checked against the current leader,
// leader epoch (FENCED_LEADER_EPOCH) and partition epoch (INVALID_UPDATE_VERSION); an added
// replica must be unfenced (INELIGIBLE_REPLICA). Non-controllers answer NOT_CONTROLLER. The
// partitions of one request are checked one by one and their changes committed in one write.
// Deviation: v2+ (topic ids, broker epochs in the ISR) are not served.

import { ErrorCode } from '../protocol/errors.ts';
import { AlterPartition } from '../protocol/messages/alter-partition.ts';
import { ControllerError } from '../metadata/controller-error.ts';
import { errorCodeOf } from '../metadata/raft-metadata.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

type Res = ResponseOf<typeof AlterPartition>;

export default defineHandler(AlterPartition, '0-1', async (req, ctx): Promise<Res> => {
  const q = ctx.broker.quorum;
  if (!q || !q.raft.isLeader) return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, topics: [] };
  // Every partition of the request in one controller write (as Kafka's controller handles one).
  const asked = req.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.topicName,
      partition: p.partitionIndex,
      leaderEpoch: p.leaderEpoch,
      partitionEpoch: p.partitionEpoch,
      isr: p.newIsr,
    })),
  );
  // A write that fails (the controller lost its leadership meanwhile) fails every partition.
  const results = await q.controller
    .alterPartitions(req.brokerId, asked)
    .catch((e: unknown) => asked.map(() => new ControllerError(errorCodeOf(e), String(e))));
  let i = 0;
  const topics: Res['topics'] = req.topics.map((t) => ({
    topicName: t.topicName,
    topicId: t.topicId,
    partitions: t.partitions.map((p) => {
      const r = results[i++];
      return r instanceof ControllerError
        ? { partitionIndex: p.partitionIndex, errorCode: r.code, leaderId: -1, leaderEpoch: -1, isr: [], leaderRecoveryState: 0, partitionEpoch: -1 }
        : {
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            leaderId: r.leader,
            leaderEpoch: r.leaderEpoch,
            isr: r.isr,
            leaderRecoveryState: 0,
            partitionEpoch: r.partitionEpoch ?? 0,
          };
    }),
  }));
  return { throttleTimeMs: 0, errorCode: 0, topics };
});
