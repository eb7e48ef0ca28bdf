// DescribeAcls (key 29), versions 0-3 (v0 has no pattern type: its filter is LITERAL, as
// Kafka's). The ACL bindings of the metadata quorum that match the filter (security/authorizer.ts:
// ANY, MATCH, LITERAL, PREFIXED; null name, principal or host match any), grouped by resource
// pattern in creation order. Answered from this node's applied metadata: ACL changes are applied
// by every live broker before CreateAcls/DeleteAcls answer (docs/decisions/0010).
// Errors: SECURITY_DISABLED without an authorizer (--acls), as Kafka without
// authorizer.class.name; CLUSTER_AUTHORIZATION_FAILED without DESCRIBE on the cluster;
// INVALID_REQUEST for a filter with UNKNOWN elements or an unparsable principal.

import { ErrorCode } from '../protocol/errors.ts';
import { DescribeAcls } from '../protocol/messages/describe-acls.ts';
import { AclOperation, filterMatches, invalidFilter, type AclBinding } from '../security/authorizer.ts';
import { clusterAllowed } from '../security/request-authorizer.ts';
import { defineHandler } from './types.ts';

export default defineHandler(DescribeAcls, '0-3', (req, ctx) => {
  const fail = (errorCode: number, errorMessage: string) => ({ throttleTimeMs: 0, errorCode, errorMessage, resources: [] });
  if (!ctx.broker.config.authorizer) return fail(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker');
  if (!clusterAllowed(ctx, AclOperation.DESCRIBE)) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  const filter = {
    resourceType: req.resourceTypeFilter,
    resourceName: req.resourceNameFilter,
    patternType: req.patternTypeFilter,
    principal: req.principalFilter,
    host: req.hostFilter,
    operation: req.operation,
    permissionType: req.permissionType,
  };
  const invalid = invalidFilter(filter);
  if (invalid) return fail(ErrorCode.INVALID_REQUEST, invalid);
  const groups = new Map<string, { resourceType: number; resourceName: string; patternType: number; acls: AclBinding[] }>();
  for (const b of ctx.broker.quorum?.state.acls.values() ?? []) {
    if (!filterMatches(filter, b)) continue;
    const key = JSON.stringify([b.resourceType, b.resourceName, b.patternType]);
    const g = groups.get(key) ?? { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] };
    g.acls.push(b);
    groups.set(key, g);
  }
  const resources = [...groups.values()].map((g) => ({
    resourceType: g.resourceType,
    resourceName: g.resourceName,
    patternType: g.patternType,
    acls: g.acls.map((b) => ({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType })),
  }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources };
});
