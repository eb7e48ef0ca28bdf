// DeleteAcls (key 31), versions 0-3 (v0 has no pattern type: LITERAL). Each filter removes the
// bindings it matches (security/authorizer.ts: ANY, MATCH, LITERAL, PREFIXED; null name,
// principal or host match any) with RemoveAccessControlEntry records (Kafka's
// RemoveAccessControlEntryRecord), written by the controller and answered once every live
// broker has applied them (docs/decisions/0010); the answer lists, per filter, the bindings it
// deleted. A binding matched by several filters is listed under each, removed once.
// Errors: per filter INVALID_REQUEST for UNKNOWN elements or an unparsable principal; whole
// request SECURITY_DISABLED without an authorizer (--acls), CLUSTER_AUTHORIZATION_FAILED without
// ALTER on the cluster.

import { controllerError } from '../metadata/controller-error.ts';
import type { MetadataRecord, MetadataState } from '../metadata/metadata-state.ts';
import { ADMIN_TIMEOUT_MS } from '../metadata/types.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { DeleteAcls } from '../protocol/messages/delete-acls.ts';
import type { RequestOf, ResponseOf } from '../protocol/schema.ts';
import { AclOperation, filterMatches, invalidFilter } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

type FilterResult = ResponseOf<typeof DeleteAcls>['filterResults'][number];

export default defineHandler(DeleteAcls, '0-3', async (req, ctx) => {
  const all = (errorCode: number, errorMessage: string) => ({
    throttleTimeMs: 0,
    filterResults: req.filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })),
  });
  const q = ctx.broker.quorum;
  if (!ctx.broker.config.authorizer || !q) return all(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker');
  if (!clusterAllowed(ctx, AclOperation.ALTER)) return all(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  return q
    .onController(DeleteAcls, ctx.apiVersion, req, ADMIN_TIMEOUT_MS, async () => ({
      throttleTimeMs: 0,
      filterResults: await q.controller.alterSecurity(() => plan(q.state, req), Date.now() + ADMIN_TIMEOUT_MS, 'ACLs were deleted'),
    }))
    .catch((e) => {
      const { errorCode, errorMessage } = controllerError(e);
      return all(errorCode, errorMessage);
    });
});

function plan(state: MetadataState, req: RequestOf<typeof DeleteAcls>): { records: MetadataRecord[]; result: FilterResult[] } {
  const removed = new Set<string>();
  const result = req.filters.map((f): FilterResult => {
    const filter = {
      resourceType: f.resourceTypeFilter,
      resourceName: f.resourceNameFilter,
      patternType: f.patternTypeFilter,
      principal: f.principalFilter,
      host: f.hostFilter,
      operation: f.operation,
      permissionType: f.permissionType,
    };
    const invalid = invalidFilter(filter);
    if (invalid) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: invalid, matchingAcls: [] };
    const matching = [...state.acls.values()].filter((b) => filterMatches(filter, b));
    for (const b of matching) removed.add(b.id);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      matchingAcls: matching.map(({ id: _, ...b }) => ({ errorCode: ErrorCode.NONE, errorMessage: null, ...b })),
    };
  });
  return { records: [...removed].map((id) => ({ type: 'RemoveAccessControlEntry', id })), result };
}
