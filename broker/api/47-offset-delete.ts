// OffsetDelete (key 47), version 0.
// Behaviour: deletes committed offsets of a group (tombstones in __consumer_offsets). An Empty
// group may delete any; a consumer group with members may delete offsets of topics it does not
// subscribe to (GROUP_SUBSCRIBED_TO_TOPIC per partition otherwise); a non-consumer group with
// members answers NON_EMPTY_GROUP. GROUP_ID_NOT_FOUND for an unknown group.
// Authorization (--acls): DELETE on the group (GROUP_AUTHORIZATION_FAILED), READ on each topic
// (TOPIC_AUTHORIZATION_FAILED for its partitions, which keep their offsets), as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { OffsetDelete } from '../protocol/messages/offset-delete.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, groupCoordinator } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(OffsetDelete, '0-0', async (req, ctx) => {
  const ready = await groupCoordinator(ctx, AclOperation.DELETE, req.groupId);
  if (typeof ready === 'number') return { errorCode: ready, throttleTimeMs: 0, topics: [] };
  const readable = (t: { name: string }) => allowed(ctx, AclOperation.READ, ResourceType.TOPIC, t.name);
  const r = ready.deleteOffsets(req.groupId, req.topics.filter(readable));
  const refused = req.topics
    .filter((t) => !readable(t))
    .map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })) }));
  return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [...r.topics, ...refused] };
});
