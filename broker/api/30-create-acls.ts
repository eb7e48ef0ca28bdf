// CreateAcls (key 30), versions 0-3 (v0 has no pattern type: LITERAL). Each creation becomes an
// AccessControlEntry record in the metadata quorum (Kafka's AccessControlEntryRecord, with a
// random id), written by the controller (any node relays the request there) and answered once
// every live broker has applied it, so the ACL is enforced and listed on every node at once
// (docs/decisions/0010); ACLs survive restarts with the metadata log and its snapshots.
// Per creation, as Kafka's AclControlManager: INVALID_REQUEST for an UNKNOWN or ANY resource
// type, a pattern type other than LITERAL or PREFIXED, an UNKNOWN or ANY operation or
// permission, an empty resource name or host, a CLUSTER resource not named kafka-cluster, or a
// principal without `type:`; a binding that already exists succeeds without a second copy.
// Whole request: SECURITY_DISABLED without an authorizer (--acls), CLUSTER_AUTHORIZATION_FAILED
// without ALTER on the cluster.
// Deviation: DELEGATION_TOKEN and USER bindings are stored and listed but guard nothing (no
// delegation token APIs).

import { randomUUID } from 'node:crypto';
import { controllerError } from '../metadata/controller-error.ts';
import type { MetadataRecord, MetadataState } from '../metadata/metadata-state.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { CreateAcls } from '../protocol/messages/create-acls.ts';
import type { RequestOf } from '../protocol/schema.ts';
import { AclOperation, invalidBinding, sameBinding, type AclBinding } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type Result = { errorCode: number; errorMessage: string | null };

export default defineHandler(CreateAcls, '0-3', async (req, ctx) => {
  const all = (errorCode: number, errorMessage: string) => ({
    throttleTimeMs: 0,
    results: req.creations.map(() => ({ errorCode, errorMessage })),
  });
  const q = ctx.broker.quorum;
  if (!ctx.broker.config.authorizer || !q) return all(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker');
  if (!clusterAllowed(ctx, AclOperation.ALTER)) return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  return q
    .onController(CreateAcls, ctx.apiVersion, req, ADMIN_TIMEOUT_MS, async () => ({
      throttleTimeMs: 0,
      results: await q.controller.alterSecurity(() => plan(q.state, req), Date.now() + ADMIN_TIMEOUT_MS, 'ACLs were created'),
    }))
    .catch((e) => {
      const { errorCode, errorMessage } = controllerError(e);
      return all(errorCode, errorMessage);
    });
});

function plan(state: MetadataState, req: RequestOf<typeof CreateAcls>): { records: MetadataRecord[]; result: Result[] } {
  const records: Extract<MetadataRecord, { type: 'AccessControlEntry' }>[] = [];
  const result = req.creations.map((c): Result => {
    const binding: AclBinding = {
      resourceType: c.resourceType,
      resourceName: c.resourceName,
      patternType: c.resourcePatternType,
      principal: c.principal,
      host: c.host,
      operation: c.operation,
      permissionType: c.permissionType,
    };
    const invalid = invalidBinding(binding);
    if (invalid) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: invalid };
    const exists = [...state.acls.values(), ...records].some((b) => sameBinding(b, binding));
    if (!exists) records.push({ type: 'AccessControlEntry', id: randomUUID(), ...binding });
    return { errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return { records, result };
}
