// ListPartitionReassignments (key 46), version 0: the partitions with a reassignment in
// progress, with their whole replica list and the replicas being added and removed; a null topic
// list means every partition. Unknown topics and partitions are left out, as Kafka does.
// Deviation: answered by any node from its copy of the metadata (Kafka's brokers forward it to
// the controller); a reassignment is only acknowledged once every live broker has it.

import { ErrorCode } from '../protocol/errors.ts';
import { ListPartitionReassignments } from '../protocol/messages/list-partition-reassignments.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ListPartitionReassignments, '0-0', (req, ctx) => {
  const q = ctx.broker.quorum;
  const topics = q ? q.controller.partitions.listReassignments(req.topics) : [];
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics };
});
