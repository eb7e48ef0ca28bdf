// JoinGroup (key 11), versions 0-9.
// Behaviour: Kafka's classic protocol (coordinator/group-coordinator.ts). The request is parked
// until the rebalance completes: all known members rejoined, or the rebalance timeout passed, or
// for a new or empty group group.initial.rebalance.delay.ms (extended while members keep
// arriving, within the rebalance timeout). v4+ without group.instance.id: an unknown member first
// gets MEMBER_ID_REQUIRED with its id and joins again with it. v5+ static membership. The leader
// gets every member's metadata for the selected protocol (the one all members support that most
// prefer). Errors: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT (outside group.min/max.session.timeout.ms),
// INCONSISTENT_GROUP_PROTOCOL, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, COORDINATOR_* while the
// coordinator is unavailable or loading.
// Deviations: v9 skipAssignment is always false (a rejoining static leader triggers a rebalance
// instead); v0 uses the session timeout as rebalance timeout, as Kafka does.
// Authorization (--acls): READ on the group, else GROUP_AUTHORIZATION_FAILED, as Kafka.

import { JoinGroup } from '../protocol/messages/join-group.ts';
import { AclOperation } from '../security/authorizer.ts';
import { groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(JoinGroup, '0-9', async (req, ctx) => {
  const v = ctx.apiVersion;
  const ready = await groupCoordinator(ctx, AclOperation.READ, req.groupId);
  const r =
    typeof ready === 'number'
      ? {
          errorCode: ready,
          generationId: -1,
          protocolType: null,
          protocolName: null,
          leader: '',
          memberId: req.memberId,
          members: [],
        }
      : await ready.join({
          groupId: req.groupId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId,
          clientId: ctx.clientId ?? '',
          clientHost: hostOf(ctx.clientHost),
          sessionTimeoutMs: req.sessionTimeoutMs,
          rebalanceTimeoutMs: v >= 1 && req.rebalanceTimeoutMs >= 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
          protocolType: req.protocolType,
          protocols: req.protocols,
          requireKnownMemberId: v >= 4 && req.groupInstanceId === null,
        });
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: r.protocolType,
    // Before v7 the protocol name is not nullable: Kafka sends "" for none.
    protocolName: v >= 7 ? r.protocolName : (r.protocolName ?? ''),
    leader: r.leader,
    skipAssignment: false,
    memberId: r.memberId,
    members: r.members,
  };
});

/** Kafka reports member hosts as InetAddress.toString: "/127.0.0.1". */
function hostOf(addr: string): string {
  const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return a.startsWith('/') ? a : `/${a}`;
}
