// ElectLeaders (key 43), versions 0-2. Served by the controller: any other node relays the
// request to it (as Kafka's brokers forward to the KRaft controller).
// Preferred election (electionType 0, the only one in v0): the first replica becomes leader if
// it is live and in the ISR (PREFERRED_LEADER_NOT_AVAILABLE otherwise, ELECTION_NOT_NEEDED when
// it already leads). Unclean election (1): a partition whose leader is gone gets one from the
// ISR if any member is live, else the first live replica alone (records only the old leader had
// are lost), whatever unclean.leader.election.enable says; ELECTION_NOT_NEEDED when it has a
// live leader, ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is live. A null topic list means
// every partition, and then partitions already led as asked are left out of the answer, as in
// Kafka. UNKNOWN_TOPIC_OR_PARTITION per unknown partition; an unknown election type is
// INVALID_REQUEST per partition.
// The answer comes once every live broker has applied the new leaders (REQUEST_TIMED_OUT, at the
// top level from v1, after timeoutMs).
// Deviations: an unclean leader serves at once (no RECOVERING state, KIP-704); Kafka answers
// once the controller has committed the change.
// Authorization (--acls): ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED, as Kafka.

import { controllerError } from '../metadata/controller.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { ElectLeaders } from '../protocol/messages/elect-leaders.ts';
import { AclOperation } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ElectLeaders, '0-2', async (req, ctx) => {
  const q = ctx.broker.quorum;
  const fail = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, replicaElectionResults: [] });
  if (!clusterAllowed(ctx, AclOperation.ALTER)) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  if (!q) return fail(ErrorCode.NOT_CONTROLLER);
  const timeoutMs = req.timeoutMs > 0 ? req.timeoutMs : ADMIN_TIMEOUT_MS;
  return q
    .onController(ElectLeaders, 2, req, timeoutMs, async () => {
      const results = await q.controller.partitions.electLeaders(req.electionType, req.topicPartitions, Date.now() + timeoutMs);
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        replicaElectionResults: results.map((r) => ({
          topic: r.topic,
          partitionResult: r.partitions.map((p) => ({ partitionId: p.partitionIndex, errorCode: p.errorCode, errorMessage: p.errorMessage })),
        })),
      };
    })
    .catch((e) => fail(controllerError(e).errorCode));
});
