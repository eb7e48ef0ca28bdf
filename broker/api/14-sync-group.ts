// SyncGroup (key 14), versions 0-5.
// Behaviour: the leader's request carries the assignments; they are written to
// __consumer_offsets and the group becomes Stable; followers' requests are parked until then.
// A follower arriving after the leader (group already Stable) gets its assignment at once.
// Errors: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS (a new rebalance started),
// INCONSISTENT_GROUP_PROTOCOL (v5 protocol type/name mismatch), FENCED_INSTANCE_ID.
// A member that joined but never syncs within the rebalance timeout is removed (Kafka 3.x).
// Authorization (--acls): READ on the group, else GROUP_AUTHORIZATION_FAILED, as Kafka.

import { SyncGroup } from '../protocol/messages/sync-group.ts';
import { EMPTY } from '../coordinator/group.ts';
import { AclOperation } from '../security/authorizer.ts';
import { groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(SyncGroup, '0-5', async (req, ctx) => {
  const ready = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  const r =
    typeof ready === 'number'
      ? { errorCode: ready, protocolType: null, protocolName: null, assignment: EMPTY }
      : await ready.sync({
          groupId: req.groupId,
          generationId: req.generationId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId,
          protocolType: req.protocolType,
          protocolName: req.protocolName,
          assignments: req.assignments,
        });
  return { throttleTimeMs: 0, ...r };
});
