// ElectLeaders (key 43), versions 0-2: preferred-leader election (electionType 0): the first
// replica becomes leader if it is in the ISR and unfenced (PREFERRED_LEADER_NOT_AVAILABLE
// otherwise, ELECTION_NOT_NEEDED when it already leads). A null topic list means every
// partition. Sent to the controller (others answer NOT_CONTROLLER, clients retry it).
// Deviation: unclean election (type 1) is refused per partition with INVALID_REQUEST.

import { ErrorCode } from '../protocol/errors.ts';
import { ElectLeaders } from '../protocol/messages/elect-leaders.ts';
import { errorCodeOf } from '../metadata/raft-metadata.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ElectLeaders, '0-2', async (req, ctx) => {
  const q = ctx.broker.quorum;
  if (!q || !q.raft.isLeader)
    return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, replicaElectionResults: [] };
  const wanted =
    req.topicPartitions ?? q.topics().map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partition) }));
  const replicaElectionResults = [];
  for (const tp of wanted) {
    const partitionResult = [];
    for (const p of tp.partitions) {
      let errorCode: number;
      if (req.electionType === 1) errorCode = ErrorCode.INVALID_REQUEST;
      else errorCode = await q.controller.electPreferred(tp.topic, p).catch(errorCodeOf);
      partitionResult.push({ partitionId: p, errorCode, errorMessage: null });
    }
    replicaElectionResults.push({ topic: tp.topic, partitionResult });
  }
  return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults };
});
