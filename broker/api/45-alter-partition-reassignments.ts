// AlterPartitionReassignments (key 45), version 0. Served by the controller: any other node
// relays the request to it. Per partition, a replica list starts a reassignment (or replaces the
// one in progress) and null cancels it, as Kafka's KRaft controller does (metadata/
// reassignment.ts): the new replicas catch up from the leader and join the ISR, then the
// replicas not in the target leave (a leader among them hands over to the first target replica
// in the ISR) and drop their logs. ListPartitionReassignments shows the progress.
// Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT (empty list,
// duplicates, a broker that is not registered), NO_REASSIGNMENT_IN_PROGRESS for a cancel without
// one. The answer comes once every live broker has applied the start (or cancel); REQUEST_TIMED_OUT
// at the top level after timeoutMs.
// Deviations: no replication throttles; the leader epoch is bumped on every step (Kafka bumps it
// only when the leader changes or replicas leave); Kafka answers once the controller has
// committed the change.
// Authorization (--acls): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED, as Kafka.

import { controllerError } from '../metadata/controller.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterPartitionReassignments } from '../protocol/messages/alter-partition-reassignments.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(AlterPartitionReassignments, '0-0', async (req, ctx) => {
  const q = ctx.broker.quorum;
  const fail = (errorCode: number, errorMessage: string) => ({ throttleTimeMs: 0, errorCode, errorMessage, responses: [] });
  if (!clusterAllowed(ctx, AclOperation.ALTER)) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  if (!q) return fail(ErrorCode.NOT_CONTROLLER, 'A single node without a metadata quorum cannot move replicas.');
  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : ADMIN_TIMEOUT_MS;
  return q
    .onController(AlterPartitionReassignments, 0, req, timeoutMs, async () => ({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      responses: await q.controller.partitions.reassign(req.topics, Date.now() + timeoutMs),
    }))
    .catch((e) => {
      const { errorCode, errorMessage } = controllerError(e);
      return fail(errorCode, errorMessage);
    });
});
