// ACLs through @platformatic/kafka's Admin (describeAcls, createAcls, deleteAcls: DescribeAcls,
// CreateAcls and DeleteAcls with the library's version negotiation). The contract's lowercase
// names (topic, prefixed, describe_configs, allow) are Kafka's enum names; the wire's int8 codes
// come from the library's own enumerations, so nothing here knows a number. Kafka's errors
// (SECURITY_DISABLED without an authorizer, CLUSTER_AUTHORIZATION_FAILED) are thrown as the
// library reports them and become readable replies in errors.ts.
import {
  AclOperations,
  AclPermissionTypes,
  ResourcePatternTypes,
  ResourceTypes,
  type Acl,
  type AclFilter as WireAclFilter,
} from '@platformatic/kafka';
import { z } from 'zod';
import {
  ACL_LISTED_RESOURCE_TYPES,
  ACL_OPERATIONS,
  ACL_PATTERN_TYPES,
  ACL_PERMISSIONS,
  type AclBinding,
  type AclFilterSchema,
  type AclList,
  type CreateAclRequestSchema,
  type DeletedAcls,
} from '../contract/index.ts';
import type { KafkaConnection } from './connection.ts';

type Filter = z.output<typeof AclFilterSchema>;
type Create = z.output<typeof CreateAclRequestSchema>;

/** `describe_configs` -> DESCRIBE_CONFIGS -> 10, from one of the library's enumerations. */
function codeOf<T extends Record<string, number>>(table: T, name: string): T[keyof T] {
  const key = name.toUpperCase();
  if (!Object.hasOwn(table, key)) throw new Error(`unknown ACL name ${name}`);
  return table[key as keyof T];
}

/** 10 -> describe_configs; a code the library does not know -> unknown. */
function nameOf<const N extends string>(table: Record<string, number>, code: number, known: readonly N[]): N | 'unknown' {
  const name = Object.entries(table)
    .find(([, v]) => v === code)?.[0]
    .toLowerCase();
  return known.find((k) => k === name) ?? 'unknown';
}

function toBinding(a: Acl): AclBinding {
  return {
    resourceType: nameOf(ResourceTypes, a.resourceType, ACL_LISTED_RESOURCE_TYPES),
    resourceName: a.resourceName,
    patternType: nameOf(ResourcePatternTypes, a.resourcePatternType, ACL_PATTERN_TYPES),
    principal: a.principal,
    host: a.host,
    operation: nameOf(AclOperations, a.operation, ACL_OPERATIONS),
    permission: nameOf(AclPermissionTypes, a.permissionType, ACL_PERMISSIONS),
  };
}

function toWireFilter(f: Filter): WireAclFilter {
  return {
    resourceType: codeOf(ResourceTypes, f.resourceType),
    resourceName: f.resourceName ?? null,
    resourcePatternType: codeOf(ResourcePatternTypes, f.patternType),
    principal: f.principal ?? null,
    host: f.host ?? null,
    operation: codeOf(AclOperations, f.operation),
    permissionType: codeOf(AclPermissionTypes, f.permission),
  };
}

const order = (a: AclBinding, b: AclBinding) =>
  [a.resourceType, a.resourceName, a.patternType, a.principal, a.host, a.operation, a.permission]
    .join('\0')
    .localeCompare([b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permission].join('\0'));

export async function listAcls(conn: KafkaConnection, filter: Filter): Promise<AclList> {
  const resources = await conn.admin.describeAcls({ filter: toWireFilter(filter) });
  const acls = resources.flatMap((r) => r.acls.map((e) => toBinding({ ...r, ...e })));
  return { acls: acls.sort(order) };
}

export async function createAcl(conn: KafkaConnection, b: Create): Promise<AclBinding> {
  const acl: Acl = {
    resourceType: codeOf(ResourceTypes, b.resourceType),
    resourceName: b.resourceName,
    resourcePatternType: codeOf(ResourcePatternTypes, b.patternType),
    principal: b.principal,
    host: b.host,
    operation: codeOf(AclOperations, b.operation),
    permissionType: codeOf(AclPermissionTypes, b.permission),
  };
  await conn.admin.createAcls({ creations: [acl] });
  return toBinding(acl);
}

export async function deleteAcls(conn: KafkaConnection, filter: Filter): Promise<DeletedAcls> {
  const deleted = await conn.admin.deleteAcls({ filters: [toWireFilter(filter)] });
  return { deleted: deleted.map(toBinding).sort(order) };
}
