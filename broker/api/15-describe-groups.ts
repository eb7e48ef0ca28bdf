// DescribeGroups (key 15), versions 0-5.
// Behaviour: state, protocol type, and members with client id, host ("/1.2.3.4") and
// group.instance.id; protocol name, member metadata and assignments only when Stable (as Kafka).
// An unknown group is described as Dead with no error (Kafka before v6); an empty id answers
// INVALID_GROUP_ID. Authorized operations, when asked for, are "all" (no ACLs).
// Authorization (--acls): DESCRIBE on each group, else GROUP_AUTHORIZATION_FAILED for it;
// authorized operations (v3+, when asked for) are the principal's, as Kafka.

import { DescribeGroups } from '../protocol/messages/describe-groups.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, operationsOf, UNREQUESTED_OPS } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

// READ, DELETE, DESCRIBE

export default defineHandler(DescribeGroups, '0-5', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => {
      const ops = operationsOf(ctx, req.includeAuthorizedOperations, ResourceType.GROUP, groupId);
      const refused = !allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, groupId);
      const coordinator = refused ? ErrorCode.GROUP_AUTHORIZATION_FAILED : ready;
      if (typeof coordinator === 'number')
        return {
          errorCode: coordinator,
          groupId,
          groupState: '',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: UNREQUESTED_OPS,
        };
      const d = coordinator.describeGroup(groupId);
      return { ...d, authorizedOperations: d.errorCode === ErrorCode.NONE ? ops : UNREQUESTED_OPS };
    }),
  };
});
