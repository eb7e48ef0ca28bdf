// DeleteGroups (key 42), versions 0-2.
// Behaviour: deletes Empty groups with their committed offsets (tombstones for every offset and
// for the group metadata in __consumer_offsets). Per group: GROUP_ID_NOT_FOUND for an unknown
// group, NON_EMPTY_GROUP while it has members, INVALID_GROUP_ID for an empty id.
// Authorization (--acls): DELETE on each group, else GROUP_AUTHORIZATION_FAILED for it, as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { DeleteGroups } from '../protocol/messages/delete-groups.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DeleteGroups, '0-2', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  const mayDelete = (g: string) => allowed(ctx, AclOperation.DELETE, ResourceType.GROUP, g);
  const names = req.groupsNames.filter(mayDelete);
  const deleted =
    typeof ready === 'number' ? names.map((groupId) => ({ groupId, errorCode: ready })) : ready.deleteGroups(names);
  const refused = req.groupsNames.filter((g) => !mayDelete(g)).map((groupId) => ({ groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }));
  return { throttleTimeMs: 0, results: [...deleted, ...refused] };
});
