// OffsetDelete (key 47), version 0.
// Behaviour: deletes committed offsets of a group (tombstones in __consumer_offsets). An Empty
// group may delete any; a consumer group with members may delete offsets of topics it does not
// subscribe to (GROUP_SUBSCRIBED_TO_TOPIC per partition otherwise); a non-consumer group with
// members answers NON_EMPTY_GROUP. GROUP_ID_NOT_FOUND for an unknown group.

import { OffsetDelete } from '../protocol/messages/offset-delete.ts';
import { defineHandler } from './types.ts';

export default defineHandler(OffsetDelete, '0-0', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  if (typeof ready === 'number') return { errorCode: ready, throttleTimeMs: 0, topics: [] };
  const r = ready.deleteOffsets(req.groupId, req.topics);
  return { errorCode: r.errorCode, throttleTimeMs: 0, topics: r.topics };
});
