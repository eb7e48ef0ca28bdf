// Consumer group routes: list, detail, reset offsets (preview or apply), delete.
import { deleteGroup, describeGroup, listGroups, resetOffsets } from '../kafka/groups.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function groupRoutes(r: Router, { registry }: ServerContext): void {
  const conn = (p: Record<string, string>) => registry.connection(p.clusterId);
  r.on('listGroups', async ({ params }) => ({ groups: await listGroups(conn(params)) }));
  r.on('groupDetail', async ({ params }) => describeGroup(conn(params), params.groupId));
  r.on('resetOffsets', async ({ params, body }) => resetOffsets(conn(params), params.groupId, body));
  r.on('deleteGroup', async ({ params }) => {
    await deleteGroup(conn(params), params.groupId);
    return { ok: true as const };
  });
}
