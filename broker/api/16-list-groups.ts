// ListGroups (key 16), versions 0-5.
// Behaviour: every group this node coordinates (not Dead), with protocol type ("consumer", or ""
// for groups that only hold committed offsets), state (v4+) and type (v5+, always "classic").
// v4+ statesFilter and v5+ typesFilter match case-insensitively; empty filters match all.
// Authorization (--acls): with DESCRIBE on the cluster every group, else only the groups the
// principal may DESCRIBE, as Kafka.

import { ListGroups } from '../protocol/messages/list-groups.ts';
import { AclOperation, ResourceType } from '../security/authorizer.ts';
import { allowed, clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(ListGroups, '0-5', async (req, ctx) => {
  const ready = await ctx.broker.groups.ready();
  if (typeof ready === 'number') return { throttleTimeMs: 0, errorCode: ready, groups: [] };
  const all = clusterAllowed(ctx, AclOperation.DESCRIBE);
  const groups = ready.listGroups(req.statesFilter, req.typesFilter).filter((g) => all || allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId));
  return { throttleTimeMs: 0, errorCode: 0, groups };
});
