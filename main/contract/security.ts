// ACLs and SCRAM users, in Kafka's own vocabulary (kafka-acls.sh, kafka-configs.sh --entity-type
// users): an ACL binding is a resource pattern (type, name, literal or prefixed) plus an entry
// (principal User:name, host, operation, allow or deny). Filters use Kafka's `any` and `match`
// (match: every pattern that applies to the named resource: literal, prefixed and the wildcard).
// Deviation from Kafka's AdminClient, on purpose: a delete filter must name a resource or a
// principal, so that one click cannot delete every ACL of the cluster.
import { z } from 'zod';

export const ACL_RESOURCE_TYPES = ['topic', 'group', 'cluster', 'transactional_id'] as const;
/** What a cluster may answer beyond the four types the console creates. */
export const ACL_LISTED_RESOURCE_TYPES = [...ACL_RESOURCE_TYPES, 'delegation_token', 'user', 'unknown'] as const;
export const ACL_PATTERN_TYPES = ['literal', 'prefixed'] as const;
export const ACL_OPERATIONS = [
  'all',
  'read',
  'write',
  'create',
  'delete',
  'alter',
  'describe',
  'cluster_action',
  'describe_configs',
  'alter_configs',
  'idempotent_write',
  'create_tokens',
  'describe_tokens',
] as const;
export const ACL_PERMISSIONS = ['allow', 'deny'] as const;
export const SCRAM_MECHANISM_NAMES = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
/** A filter's choices: Kafka's `any` (and, for patterns, `match`) besides the values. */
export const ACL_FILTER_RESOURCE_TYPES = ['any', ...ACL_RESOURCE_TYPES] as const;
export const ACL_FILTER_PATTERN_TYPES = ['any', 'match', ...ACL_PATTERN_TYPES] as const;
export const ACL_FILTER_OPERATIONS = ['any', ...ACL_OPERATIONS] as const;
export const ACL_FILTER_PERMISSIONS = ['any', ...ACL_PERMISSIONS] as const;
/** Kafka's only name for the cluster resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

const principal = z
  .string()
  .trim()
  .regex(/^User:.+$/, 'Principal must be User:<name>, e.g. User:alice (User:* for every user)');
const host = z.string().trim().min(1, 'Host is required (* for any host)');

export const AclBindingSchema = z.object({
  resourceType: z.enum(ACL_LISTED_RESOURCE_TYPES),
  resourceName: z.string(),
  patternType: z.enum([...ACL_PATTERN_TYPES, 'unknown']),
  principal: z.string(),
  host: z.string(),
  operation: z.enum([...ACL_OPERATIONS, 'unknown']),
  permission: z.enum([...ACL_PERMISSIONS, 'unknown']),
});
export type AclBinding = z.infer<typeof AclBindingSchema>;

export const CreateAclRequestSchema = z
  .object({
    resourceType: z.enum(ACL_RESOURCE_TYPES),
    resourceName: z.string().trim().min(1, 'Resource name is required (* for every resource)'),
    patternType: z.enum(ACL_PATTERN_TYPES).default('literal'),
    principal,
    host: host.default('*'),
    operation: z.enum(ACL_OPERATIONS),
    permission: z.enum(ACL_PERMISSIONS).default('allow'),
  })
  .refine((b) => b.resourceType !== 'cluster' || b.resourceName === CLUSTER_RESOURCE_NAME, {
    message: `The cluster resource is named ${CLUSTER_RESOURCE_NAME}`,
    path: ['resourceName'],
  })
  .refine((b) => b.resourceType !== 'cluster' || b.patternType === 'literal', {
    message: 'The cluster resource takes a literal pattern',
    path: ['patternType'],
  });
export type CreateAclRequest = z.input<typeof CreateAclRequestSchema>;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined));

/** A filter: every field left out matches anything. Used as URL query (list) and body (delete). */
export const AclFilterSchema = z.object({
  resourceType: z.enum(ACL_FILTER_RESOURCE_TYPES).default('any'),
  resourceName: optionalText,
  patternType: z.enum(ACL_FILTER_PATTERN_TYPES).default('any'),
  principal: principal.optional().or(z.literal('').transform(() => undefined)),
  host: optionalText,
  operation: z.enum(ACL_FILTER_OPERATIONS).default('any'),
  permission: z.enum(ACL_FILTER_PERMISSIONS).default('any'),
});
export type AclFilter = z.input<typeof AclFilterSchema>;

export const DeleteAclsRequestSchema = AclFilterSchema.refine((f) => f.resourceName !== undefined || f.principal !== undefined, {
  message: 'A delete filter names a resource or a principal (it would delete every ACL otherwise)',
});
export type DeleteAclsRequest = z.input<typeof DeleteAclsRequestSchema>;

export const AclListSchema = z.object({ acls: z.array(AclBindingSchema) });
export type AclList = z.infer<typeof AclListSchema>;
export const DeletedAclsSchema = z.object({ deleted: z.array(AclBindingSchema) });
export type DeletedAcls = z.infer<typeof DeletedAclsSchema>;

export const ScramUserSchema = z.object({
  user: z.string(),
  credentials: z.array(z.object({ mechanism: z.enum([...SCRAM_MECHANISM_NAMES, 'unknown']), iterations: z.number() })),
});
export type ScramUser = z.infer<typeof ScramUserSchema>;
export const ScramUserListSchema = z.object({ users: z.array(ScramUserSchema) });
export type ScramUserList = z.infer<typeof ScramUserListSchema>;

/** Kafka's bounds on SCRAM iterations (ScramMechanism: 4096 .. 16384). */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 16384;

export const UpsertScramUserRequestSchema = z.object({
  user: z
    .string()
    .trim()
    .min(1, 'User name is required')
    .max(255),
  mechanism: z.enum(SCRAM_MECHANISM_NAMES).default('SCRAM-SHA-256'),
  password: z.string().min(1, 'Password is required').max(1024),
  iterations: z.number().int().min(SCRAM_MIN_ITERATIONS).max(SCRAM_MAX_ITERATIONS).default(SCRAM_MIN_ITERATIONS),
});
export type UpsertScramUserRequest = z.input<typeof UpsertScramUserRequestSchema>;
