// The authorization of one request: who sent it (its principal) and the node's authorizer
// (--acls) applied to the ACLs of its applied metadata state. Without an authorizer every
// request is allowed, as Kafka without authorizer.class.name.
// Principals: User:<SASL user> on a SASL listener, User:ANONYMOUS on a PLAINTEXT one. The
// nodes' own traffic is a super user: the inter-broker user, on either listener. The controller
// listener is no super user of its own: with --acls (which needs SASL) it admits only that user
// (docs/decisions/0017); the admin requests another node relays there were authorized by that
// node for their own principal.

import type { RequestContext } from '../api/types.ts';
import type { GroupCoordinator } from '../coordinator/group-coordinator.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  AclOperation,
  allOperations,
  ANONYMOUS,
  authorize,
  authorizeByResourceType,
  authorizedOperations,
  CLUSTER_NAME,
  ResourceType,
  type AclBinding,
  type AuthorizerConfig,
  type Requester,
} from './authorizer.ts';
import { INTER_BROKER_USER } from './sasl-session.ts';

/** What a check needs of a request (RequestContext has it). */
type Ctx = Pick<RequestContext, 'broker' | 'sasl' | 'clientHost'>;

/** Kafka's value for authorized operations a request did not ask for. */
export const UNREQUESTED_OPS = -2147483648;

export function principalOf(ctx: Pick<RequestContext, 'sasl'>): string {
  const user = ctx.sasl?.principal;
  return user ? `User:${user}` : ANONYMOUS;
}

/** The authorizer and the requester, or null when every request is allowed. */
function checker(ctx: Ctx): { cfg: AuthorizerConfig; acls: AclBinding[]; who: Requester } | null {
  const cfg = ctx.broker.config.authorizer;
  if (!cfg || ctx.sasl?.principal === INTER_BROKER_USER) return null;
  return { cfg, acls: [...(ctx.broker.quorum?.state.acls.values() ?? [])], who: { principal: principalOf(ctx), host: ctx.clientHost } };
}

/** Whether the request's principal may perform the operation on the resource. */
export function allowed(ctx: Ctx, op: number, resourceType: number, name: string): boolean {
  const c = checker(ctx);
  return !c || authorize(c.acls, c.cfg, c.who, op, resourceType, name);
}

export const clusterAllowed = (ctx: Ctx, op: number) => allowed(ctx, op, ResourceType.CLUSTER, CLUSTER_NAME);

/** The group coordinator for a request on the group, or GROUP_AUTHORIZATION_FAILED without the operation on it. */
export async function groupCoordinator(ctx: Ctx, op: number, groupId: string): Promise<GroupCoordinator | number> {
  if (!allowed(ctx, op, ResourceType.GROUP, groupId)) return ErrorCode.GROUP_AUTHORIZATION_FAILED;
  return ctx.broker.groups.ready();
}

/** ConfigResource types of DescribeConfigs/AlterConfigs: a topic, or a broker (the cluster's). */
const CONFIG_TOPIC = 2;

/** Why the principal may not describe (DESCRIBE_CONFIGS) or alter (ALTER_CONFIGS) a config
 *  resource: TOPIC_AUTHORIZATION_FAILED on a topic, CLUSTER_AUTHORIZATION_FAILED on a broker. */
export function configRefusal(ctx: Ctx, op: number, r: { resourceType: number; resourceName: string }) {
  if (r.resourceType === CONFIG_TOPIC)
    return allowed(ctx, op, ResourceType.TOPIC, r.resourceName) ? null : { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Authorization failed.' };
  return clusterAllowed(ctx, op) ? null : { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' };
}

/** Kafka creates a topic for a principal with CREATE on the cluster or on the topic. */
export const mayCreateTopic = (ctx: Ctx, topic: string) =>
  clusterAllowed(ctx, AclOperation.CREATE) || allowed(ctx, AclOperation.CREATE, ResourceType.TOPIC, topic);

/** Whether the principal may perform the operation on some resource of the type. */
export function allowedOnAny(ctx: Ctx, op: number, resourceType: number): boolean {
  const c = checker(ctx);
  return !c || authorizeByResourceType(c.acls, c.cfg, c.who, op, resourceType);
}

/** The authorized-operations bit set of a resource, or UNREQUESTED_OPS when not asked for. */
export function operationsOf(ctx: Ctx, requested: boolean, resourceType: number, name: string): number {
  if (!requested) return UNREQUESTED_OPS;
  const c = checker(ctx);
  return c ? authorizedOperations(c.acls, c.cfg, c.who, resourceType, name) : allOperations(resourceType);
}
