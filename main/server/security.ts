// ACL and SCRAM user routes: kafka-acls.sh and kafka-configs.sh --entity-type users for the console.
import { createAcl, deleteAcls, listAcls } from '../kafka/acls.ts';
import { deleteScramCredential, listScramUsers, upsertScramUser } from '../kafka/scram-users.ts';
import type { ServerContext } from './context.ts';
import type { Router } from './router.ts';

export function securityRoutes(r: Router, { registry }: ServerContext): void {
  r.on('listAcls', async ({ params, query }) => listAcls(registry.connection(params.clusterId), query));
  r.on('createAcl', async ({ params, body }) => createAcl(registry.connection(params.clusterId), body));
  r.on('deleteAcls', async ({ params, body }) => deleteAcls(registry.connection(params.clusterId), body));
  r.on('listScramUsers', async ({ params }) => listScramUsers(registry.connection(params.clusterId)));
  r.on('upsertScramUser', async ({ params, body }) => upsertScramUser(registry.connection(params.clusterId), body));
  r.on('deleteScramCredential', async ({ params }) => deleteScramCredential(registry.connection(params.clusterId), params.user, params.mechanism));
}
