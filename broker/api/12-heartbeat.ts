// Heartbeat (key 12), versions 0-4.
// Behaviour: keeps a member's session alive. NONE in Stable and CompletingRebalance,
// REBALANCE_IN_PROGRESS while the group prepares a rebalance (the member must rejoin),
// ILLEGAL_GENERATION for another generation, UNKNOWN_MEMBER_ID for an unknown member or group,
// FENCED_INSTANCE_ID for a replaced static member.
// Authorization (--acls): READ on the group, else GROUP_AUTHORIZATION_FAILED, as Kafka.

import { Heartbeat } from '../protocol/messages/heartbeat.ts';
import { AclOperation } from '../security/authorizer.ts';
import { groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(Heartbeat, '0-4', async (req, ctx) => {
  const ready = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  const errorCode = typeof ready === 'number' ? ready : ready.heartbeat(req);
  return { throttleTimeMs: 0, errorCode };
});
