// DescribeGroups (key 15), versions 0-5.
// Behaviour: state, protocol type, and members with client id, host ("/1.2.3.4") and
// group.instance.id; protocol name, member metadata and assignments only when Stable (as Kafka).
// An unknown group is described as Dead with no error (Kafka before v6); an empty id answers
// INVALID_GROUP_ID. Authorized operations, when asked for, are "all" (no ACLs).

import { DescribeGroups } from '../protocol/messages/describe-groups.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { defineHandler } from './types.ts';

// READ, DELETE, DESCRIBE
const ALL_GROUP_OPS = [3, 6, 8].reduce((a, op) => a | (1 << op), 0);
const UNREQUESTED_OPS = -2147483648;

export default defineHandler(DescribeGroups, '0-5', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  const ops = req.includeAuthorizedOperations ? ALL_GROUP_OPS : UNREQUESTED_OPS;
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => {
      if (typeof ready === 'number')
        return {
          errorCode: ready,
          groupId,
          groupState: '',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: ops,
        };
      const d = ready.describeGroup(groupId);
      return { ...d, authorizedOperations: d.errorCode === ErrorCode.NONE ? ops : UNREQUESTED_OPS };
    }),
  };
});
