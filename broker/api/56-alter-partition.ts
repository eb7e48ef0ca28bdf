// AlterPartition (key 56), versions 0-1: a partition leader asks the active controller to change
// the ISR (shrink a lagging follower, add a caught-up one). Checked against the current leader,
// leader epoch (FENCED_LEADER_EPOCH) and partition epoch (INVALID_UPDATE_VERSION); an added
// replica must be unfenced (INELIGIBLE_REPLICA). Non-controllers answer NOT_CONTROLLER.
// Deviation: v2+ (topic ids, broker epochs in the ISR) are not served.

import { ErrorCode } from '../protocol/errors.ts';
import { AlterPartition } from '../protocol/messages/alter-partition.ts';
import { errorCodeOf } from '../metadata/raft-metadata.ts';
import type { ResponseOf } from '../protocol/schema.ts';
import { defineHandler } from './types.ts';

type Res = ResponseOf<typeof AlterPartition>;

export default defineHandler(AlterPartition, '0-1', async (req, ctx): Promise<Res> => {
  const q = ctx.broker.quorum;
  if (!q || !q.raft.isLeader) return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, topics: [] };
  const topics: Res['topics'] = [];
  for (const t of req.topics) {
    const partitions: Res['topics'][number]['partitions'] = [];
    for (const p of t.partitions) {
      try {
        const r = await q.controller.alterPartition(
          t.topicName,
          p.partitionIndex,
          req.brokerId,
          p.leaderEpoch,
          p.partitionEpoch,
          p.newIsr,
        );
        partitions.push({
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          leaderId: r.leader,
          leaderEpoch: r.leaderEpoch,
          isr: r.isr,
          leaderRecoveryState: 0,
          partitionEpoch: r.partitionEpoch ?? 0,
        });
      } catch (e) {
        partitions.push({
          partitionIndex: p.partitionIndex,
          errorCode: errorCodeOf(e),
          leaderId: -1,
          leaderEpoch: -1,
          isr: [],
          leaderRecoveryState: 0,
          partitionEpoch: -1,
        });
      }
    }
    topics.push({ topicName: t.topicName, topicId: t.topicId, partitions });
  }
  return { throttleTimeMs: 0, errorCode: 0, topics };
});
