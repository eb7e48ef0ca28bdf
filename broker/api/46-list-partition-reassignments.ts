// ListPartitionReassignments (key 46), version 0: the partitions with a reassignment in
// progress, with their whole replica list and the replicas being added and removed; a null topic
// list means every partition. Unknown topics and partitions are left out, as Kafka does.
// Deviation: answered by any node from its copy of the metadata (Kafka's brokers forward it to
// the controller); a reassignment is only acknowledged once every live broker has it.
// Authorization (--acls): DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED, as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { ListPartitionReassignments } from '../protocol/messages/list-partition-reassignments.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ListPartitionReassignments, '0-0', (req, ctx) => {
  if (!clusterAllowed(ctx, AclOperation.DESCRIBE))
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.', topics: [] };
  const q = ctx.broker.quorum;
  const topics = q ? q.controller.partitions.listReassignments(req.topics) : [];
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics };
});
