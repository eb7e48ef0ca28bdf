// DeleteGroups (key 42), versions 0-2.
// Behaviour: deletes Empty groups with their committed offsets (tombstones for every offset and
// for the group metadata in __consumer_offsets). Per group: GROUP_ID_NOT_FOUND for an unknown
// group, NON_EMPTY_GROUP while it has members, INVALID_GROUP_ID for an empty id.

import { DeleteGroups } from '../protocol/messages/delete-groups.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DeleteGroups, '0-2', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  const results =
    typeof ready === 'number'
      ? req.groupsNames.map((groupId) => ({ groupId, errorCode: ready }))
      : ready.deleteGroups(req.groupsNames);
  return { throttleTimeMs: 0, results };
});
