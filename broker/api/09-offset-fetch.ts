// OffsetFetch (key 9), versions 1-9 (v8+ asks for several groups at once).
// Behaviour: committed offsets of the requested partitions, -1 (with NONE) where none is
// committed or the group is unknown; a null topic list (v2+) returns every committed offset of
// the group. Errors: INVALID_GROUP_ID (v8+ per group), NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS;
// before v2 the error goes into each partition.
// requireStable (v7+, sent by read_committed consumers): a partition with a transactional
// commit not yet ended gets UNSTABLE_OFFSET_COMMIT (the client retries), as Kafka. v9's member
// id/epoch (KIP-848) are ignored for classic groups.
// Authorization (--acls): DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) and on each topic:
// a named topic without it answers TOPIC_AUTHORIZATION_FAILED for its partitions, a fetch of all
// topics leaves it out, as Kafka.

import { ErrorCode } from '../protocol/errors.ts';
import { OffsetFetch } from '../protocol/messages/offset-fetch.ts';
import type { FetchedOffsets, GroupCoordinator } from '../coordinator/group-coordinator.ts';
import type { RequestContext } from './types.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

function fetchGroup(
  ctx: RequestContext,
  c: GroupCoordinator | number,
  groupId: string,
  topics: { name: string; partitionIndexes: number[] }[] | null,
  requireStable: boolean,
): FetchedOffsets {
  if (!allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) return { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] };
  if (typeof c === 'number') return { errorCode: c, topics: [] };
  const describable = (name: string) => allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
  const r = c.fetchOffsets(groupId, topics?.filter((t) => describable(t.name)) ?? null, requireStable);
  const refused = (topics ?? [])
    .filter((t) => !describable(t.name))
    .map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      })),
    }));
  return { ...r, topics: [...r.topics.filter((t) => describable(t.name)), ...refused] };
}

export default defineHandler(OffsetFetch, '1-9', async (req, ctx) => {
  const v = ctx.apiVersion;
  const ready = await ctx.broker.groups.ready();
  if (v >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => {
        const r = g.groupId
          ? fetchGroup(ctx, ready, g.groupId, g.topics, req.requireStable)
          : { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
        return { groupId: g.groupId, errorCode: r.errorCode, topics: r.topics };
      }),
    };
  }
  const r = fetchGroup(ctx, ready, req.groupId, req.topics, req.requireStable);
  if (r.errorCode !== ErrorCode.NONE && v < 2) {
    // v1 has no top-level error: report it on every requested partition.
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => ({
          partitionIndex: p,
          committedOffset: -1,
          metadata: '',
          errorCode: r.errorCode,
        })),
      })),
    };
  }
  return { throttleTimeMs: 0, errorCode: r.errorCode, topics: r.topics };
});
