// The authorization of one request: who sent it (its principal) and the node's authorizer
// (--acls) applied to the ACLs of its applied metadata state. Without an authorizer every
// request is allowed, as Kafka without authorizer.class.name.
// Principals: User:<SASL user> on the broker listener, User:ANONYMOUS on a PLAINTEXT one. The
// nodes' own traffic is a super user: the inter-broker user on the broker listener, and every
// request on the controller listener (the quorum's, and admin requests another node relayed
// after authorizing them; docs/decisions/0015).

import type { RequestContext } from '../api/types.ts';
import {
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
type Ctx = Pick<RequestContext, 'broker' | 'listener' | 'sasl' | 'clientHost'>;

/** Kafka's value for authorized operations a request did not ask for. */
export const UNREQUESTED_OPS = -2147483648;

export function principalOf(ctx: Pick<RequestContext, 'sasl'>): string {
  const user = ctx.sasl?.principal;
  return user ? `User:${user}` : ANONYMOUS;
}

/** The authorizer and the requester, or null when every request is allowed. */
function checker(ctx: Ctx): { cfg: AuthorizerConfig; acls: AclBinding[]; who: Requester } | null {
  const cfg = ctx.broker.config.authorizer;
  if (!cfg || ctx.listener === 'controller' || ctx.sasl?.principal === INTER_BROKER_USER) return null;
  return { cfg, acls: [...(ctx.broker.quorum?.state.acls.values() ?? [])], who: { principal: principalOf(ctx), host: ctx.clientHost } };
}

/** Whether the request's principal may perform the operation on the resource. */
export function allowed(ctx: Ctx, op: number, resourceType: number, name: string): boolean {
  const c = checker(ctx);
  return !c || authorize(c.acls, c.cfg, c.who, op, resourceType, name);
}

export const clusterAllowed = (ctx: Ctx, op: number) => allowed(ctx, op, ResourceType.CLUSTER, CLUSTER_NAME);

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
