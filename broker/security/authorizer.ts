// Kafka's ACL model and its authorization decision, as pure functions over a list of ACL
// bindings (the metadata quorum's, see metadata/metadata-state.ts), following Kafka's
// StandardAuthorizer:
// - A binding is (resource type, resource name, pattern type LITERAL | PREFIXED, principal,
//   host, operation, ALLOW | DENY). A LITERAL binding named `*` matches every resource of its
//   type; a PREFIXED one every resource whose name starts with it. Principal `User:*` and host
//   `*` match everyone.
// - Super users (super.users) are allowed everything, whatever the ACLs say.
// - Any matching DENY (its operation the one asked for, or ALL) refuses; DENY has no
//   implications. A matching ALLOW grants its operation, ALL grants everything, READ, WRITE,
//   DELETE and ALTER grant DESCRIBE too, and ALTER_CONFIGS grants DESCRIBE_CONFIGS.
// - A resource no binding matches at all (for any principal) is allowed only with
//   allow.everyone.if.no.acl.found (Kafka's default false).
// Filters (DescribeAcls, DeleteAcls) additionally take ANY for every enum, null for any name,
// principal or host, and pattern type MATCH: the bindings that would apply to a resource of
// that name (LITERAL of that name or `*`, PREFIXED of a prefix of it).

export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;

export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;

export const AclPermission = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

/** The name of the one CLUSTER resource. */
export const CLUSTER_NAME = 'kafka-cluster';
export const WILDCARD = '*';
export const WILDCARD_PRINCIPAL = 'User:*';
export const ANONYMOUS = 'User:ANONYMOUS';

export interface AclBinding {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

export interface AclFilter {
  resourceType: number;
  resourceName: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permissionType: number;
}

export interface AuthorizerConfig {
  /** super.users: principals allowed everything. */
  superUsers: ReadonlySet<string>;
  /** allow.everyone.if.no.acl.found */
  allowEveryoneIfNoAclFound: boolean;
}

/** Who asks: the authenticated principal (User:<name>) and the client's address. */
export interface Requester {
  principal: string;
  host: string;
}

/** The operations each resource type has (Kafka's AclEntry.supportedOperations), for authorized-operations bit sets. */
const SUPPORTED: Record<number, number[]> = {
  [ResourceType.TOPIC]: [3, 4, 5, 8, 6, 7, 10, 11],
  [ResourceType.GROUP]: [3, 8, 6],
  [ResourceType.CLUSTER]: [5, 9, 10, 11, 12, 7, 8],
  [ResourceType.TRANSACTIONAL_ID]: [8, 4],
  [ResourceType.DELEGATION_TOKEN]: [8],
  [ResourceType.USER]: [13, 14],
};

const IMPLIES_DESCRIBE: number[] = [AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE];

const known = (table: Record<string, number>, v: number) => Object.values(table).includes(v);

/** Why a binding cannot be created (Kafka answers INVALID_REQUEST), or null. */
export function invalidBinding(b: AclBinding): string | null {
  if (!known(ResourceType, b.resourceType) || b.resourceType === ResourceType.UNKNOWN || b.resourceType === ResourceType.ANY)
    return `Invalid resourceType ${b.resourceType}`;
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) return `Invalid patternType ${b.patternType}`;
  if (!known(AclOperation, b.operation) || b.operation === AclOperation.UNKNOWN || b.operation === AclOperation.ANY)
    return `Invalid operation ${b.operation}`;
  if (b.permissionType !== AclPermission.ALLOW && b.permissionType !== AclPermission.DENY) return `Invalid permissionType ${b.permissionType}`;
  if (!b.resourceName) return 'Resource name should not be empty';
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_NAME)
    return `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`;
  if (!validPrincipal(b.principal)) return `Could not parse principal from \`${b.principal}\` (no colon is found separating the principal type from the principal name)`;
  if (!b.host) return 'Host should not be empty';
  return null;
}

/** Why a filter cannot be used (Kafka answers INVALID_REQUEST), or null. */
export function invalidFilter(f: AclFilter): string | null {
  const unknown =
    !known(ResourceType, f.resourceType) ||
    f.resourceType === ResourceType.UNKNOWN ||
    !known(PatternType, f.patternType) ||
    f.patternType === PatternType.UNKNOWN ||
    !known(AclOperation, f.operation) ||
    f.operation === AclOperation.UNKNOWN ||
    !known(AclPermission, f.permissionType) ||
    f.permissionType === AclPermission.UNKNOWN;
  if (unknown) return 'The filter contains UNKNOWN or invalid elements';
  if (f.principal !== null && !validPrincipal(f.principal)) return `Could not parse principal from \`${f.principal}\``;
  return null;
}

function validPrincipal(p: string): boolean {
  const i = p.indexOf(':');
  return i > 0 && i < p.length - 1;
}

/** Whether a filter selects a binding (Kafka's AclBindingFilter.matches). */
export function filterMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (!patternMatches(f, b)) return false;
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false;
  return f.permissionType === AclPermission.ANY || f.permissionType === b.permissionType;
}

function patternMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.patternType === PatternType.ANY) return f.resourceName === null || f.resourceName === b.resourceName;
  if (f.patternType === PatternType.MATCH) return f.resourceName === null || appliesTo(b, f.resourceName);
  return f.patternType === b.patternType && (f.resourceName === null || f.resourceName === b.resourceName);
}

/** Whether a binding's resource pattern covers the resource of that name. */
function appliesTo(b: AclBinding, name: string): boolean {
  if (b.patternType === PatternType.LITERAL) return b.resourceName === name || b.resourceName === WILDCARD;
  return b.patternType === PatternType.PREFIXED && name.startsWith(b.resourceName);
}

function grants(aclOp: number, op: number): boolean {
  if (aclOp === AclOperation.ALL || aclOp === op) return true;
  if (op === AclOperation.DESCRIBE) return IMPLIES_DESCRIBE.includes(aclOp);
  return op === AclOperation.DESCRIBE_CONFIGS && aclOp === AclOperation.ALTER_CONFIGS;
}

const forRequester = (b: AclBinding, who: Requester) =>
  (b.principal === who.principal || b.principal === WILDCARD_PRINCIPAL) && (b.host === who.host || b.host === WILDCARD);

/** Whether the requester may perform the operation on the resource. */
export function authorize(
  acls: Iterable<AclBinding>,
  cfg: AuthorizerConfig,
  who: Requester,
  op: number,
  resourceType: number,
  resourceName: string,
): boolean {
  if (cfg.superUsers.has(who.principal)) return true;
  let found = false;
  let allowed = false;
  for (const b of acls) {
    if (b.resourceType !== resourceType || !appliesTo(b, resourceName)) continue;
    found = true;
    if (!forRequester(b, who)) continue;
    if (b.permissionType === AclPermission.DENY) {
      if (b.operation === op || b.operation === AclOperation.ALL) return false;
    } else if (grants(b.operation, op)) allowed = true;
  }
  return allowed || (!found && cfg.allowEveryoneIfNoAclFound);
}

/** The bit set of the operations the requester may perform on the resource (Metadata, DescribeCluster, DescribeGroups). */
export function authorizedOperations(
  acls: readonly AclBinding[],
  cfg: AuthorizerConfig,
  who: Requester,
  resourceType: number,
  resourceName: string,
): number {
  return (SUPPORTED[resourceType] ?? []).reduce((bits, op) => (authorize(acls, cfg, who, op, resourceType, resourceName) ? bits | (1 << op) : bits), 0);
}

/** Every operation of a resource type, as a bit set (what a node without an authorizer reports). */
export function allOperations(resourceType: number): number {
  return (SUPPORTED[resourceType] ?? []).reduce((bits, op) => bits | (1 << op), 0);
}

/**
 * Whether the requester may perform the operation on at least one resource of the type
 * (Kafka's Authorizer.authorizeByResourceType, used for idempotent producers without
 * IDEMPOTENT_WRITE on the cluster): some ALLOW pattern not covered by a DENY pattern.
 */
export function authorizeByResourceType(
  acls: readonly AclBinding[],
  cfg: AuthorizerConfig,
  who: Requester,
  op: number,
  resourceType: number,
): boolean {
  if (cfg.superUsers.has(who.principal)) return true;
  const relevant = acls.filter(
    (b) => b.resourceType === resourceType && forRequester(b, who) && (b.operation === op || b.operation === AclOperation.ALL),
  );
  const deny = relevant.filter((b) => b.permissionType === AclPermission.DENY);
  const denied = (name: string, prefixed: boolean) =>
    deny.some(
      (d) =>
        (d.patternType === PatternType.LITERAL && (d.resourceName === WILDCARD || (!prefixed && d.resourceName === name))) ||
        (d.patternType === PatternType.PREFIXED && name.startsWith(d.resourceName)),
    );
  const allowedSomewhere = relevant.some(
    (b) => b.permissionType === AclPermission.ALLOW && !denied(b.resourceName, b.patternType === PatternType.PREFIXED),
  );
  if (allowedSomewhere) return true;
  // With no ACL at all for the type, allow.everyone.if.no.acl.found decides, as for one resource.
  return cfg.allowEveryoneIfNoAclFound && !acls.some((b) => b.resourceType === resourceType);
}

export function sameBinding(a: AclBinding, b: AclBinding): boolean {
  return (
    a.resourceType === b.resourceType &&
    a.resourceName === b.resourceName &&
    a.patternType === b.patternType &&
    a.principal === b.principal &&
    a.host === b.host &&
    a.operation === b.operation &&
    a.permissionType === b.permissionType
  );
}
