// LeaveGroup (key 13), versions 0-5 (batched `members` with group.instance.id from v3).
// Behaviour: removes the members at once and rebalances the rest; the group becomes Empty as
// soon as its last member leaves. A member's parked JoinGroup/SyncGroup gets UNKNOWN_MEMBER_ID.
// v0-2 report the member's error at the top level; v3+ per member (UNKNOWN_MEMBER_ID,
// FENCED_INSTANCE_ID when a static member's id does not match).
// Authorization (--acls): READ on the group, else GROUP_AUTHORIZATION_FAILED, as Kafka.

import { LeaveGroup } from '../protocol/messages/leave-group.ts';
import { AclOperation } from '../security/authorizer.ts';
import { groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(LeaveGroup, '0-5', async (req, ctx) => {
  const v = ctx.apiVersion;
  const ready = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  const leaving =
    v >= 3
      ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
      : [{ memberId: req.memberId, groupInstanceId: null }];
  if (typeof ready === 'number') return { throttleTimeMs: 0, errorCode: ready, members: [] };
  const r = ready.leave(req.groupId, leaving);
  if (v < 3) return { throttleTimeMs: 0, errorCode: r.errorCode || (r.members[0]?.errorCode ?? 0) };
  return { throttleTimeMs: 0, errorCode: r.errorCode, members: r.members };
});
