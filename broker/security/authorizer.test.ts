// Kafka's authorization semantics, table-driven: patterns, wildcards, implications, DENY over
// ALLOW, hosts, super users, allow.everyone.if.no.acl.found, filters and validation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AclOperation as Op,
  AclPermission as Perm,
  authorize,
  authorizeByResourceType,
  authorizedOperations,
  filterMatches,
  invalidBinding,
  invalidFilter,
  PatternType as Pat,
  ResourceType as Res,
  type AclBinding,
  type AclFilter,
  type AuthorizerConfig,
} from './authorizer.ts';

const acl = (p: Partial<AclBinding>): AclBinding => ({
  resourceType: Res.TOPIC,
  resourceName: 'orders',
  patternType: Pat.LITERAL,
  principal: 'User:alice',
  host: '*',
  operation: Op.READ,
  permissionType: Perm.ALLOW,
  ...p,
});
const strict: AuthorizerConfig = { superUsers: new Set(['User:admin']), allowEveryoneIfNoAclFound: false };
const lenient: AuthorizerConfig = { ...strict, allowEveryoneIfNoAclFound: true };
const alice = { principal: 'User:alice', host: '10.0.0.1' };

const cases: { name: string; acls: AclBinding[]; cfg?: AuthorizerConfig; who?: typeof alice; op: number; res?: number; on?: string; allowed: boolean }[] = [
  { name: 'no ACLs, default refuses', acls: [], op: Op.READ, allowed: false },
  { name: 'no ACLs, allow.everyone.if.no.acl.found', acls: [], cfg: lenient, op: Op.READ, allowed: true },
  { name: 'an ACL for someone else makes the resource guarded even when lenient', acls: [acl({ principal: 'User:bob' })], cfg: lenient, op: Op.READ, allowed: false },
  { name: 'super user ignores DENY', acls: [acl({ principal: 'User:admin', permissionType: Perm.DENY, operation: Op.ALL })], who: { principal: 'User:admin', host: 'h' }, op: Op.WRITE, allowed: true },
  { name: 'literal ALLOW grants its operation', acls: [acl({})], op: Op.READ, allowed: true },
  { name: 'literal ALLOW is not another operation', acls: [acl({})], op: Op.WRITE, allowed: false },
  { name: 'literal is not a prefix', acls: [acl({ resourceName: 'ord' })], op: Op.READ, allowed: false },
  { name: 'prefixed covers names starting with it', acls: [acl({ resourceName: 'ord', patternType: Pat.PREFIXED })], op: Op.READ, allowed: true },
  { name: 'prefixed does not cover other names', acls: [acl({ resourceName: 'pay', patternType: Pat.PREFIXED })], op: Op.READ, allowed: false },
  { name: 'literal * covers every name', acls: [acl({ resourceName: '*' })], op: Op.READ, allowed: true },
  { name: 'prefixed * is a prefix, not a wildcard', acls: [acl({ resourceName: '*', patternType: Pat.PREFIXED })], op: Op.READ, allowed: false },
  { name: 'User:* covers every principal', acls: [acl({ principal: 'User:*' })], op: Op.READ, allowed: true },
  { name: 'another resource type does not count', acls: [acl({ resourceType: Res.GROUP })], op: Op.READ, allowed: false },
  { name: 'host must match', acls: [acl({ host: '10.0.0.2' })], op: Op.READ, allowed: false },
  { name: 'exact host matches', acls: [acl({ host: '10.0.0.1' })], op: Op.READ, allowed: true },
  { name: 'READ implies DESCRIBE', acls: [acl({})], op: Op.DESCRIBE, allowed: true },
  { name: 'WRITE implies DESCRIBE', acls: [acl({ operation: Op.WRITE })], op: Op.DESCRIBE, allowed: true },
  { name: 'DELETE implies DESCRIBE', acls: [acl({ operation: Op.DELETE })], op: Op.DESCRIBE, allowed: true },
  { name: 'ALTER implies DESCRIBE', acls: [acl({ operation: Op.ALTER })], op: Op.DESCRIBE, allowed: true },
  { name: 'CREATE does not imply DESCRIBE', acls: [acl({ operation: Op.CREATE })], op: Op.DESCRIBE, allowed: false },
  { name: 'DESCRIBE does not imply READ', acls: [acl({ operation: Op.DESCRIBE })], op: Op.READ, allowed: false },
  { name: 'ALTER_CONFIGS implies DESCRIBE_CONFIGS', acls: [acl({ operation: Op.ALTER_CONFIGS })], op: Op.DESCRIBE_CONFIGS, allowed: true },
  { name: 'ALL grants everything', acls: [acl({ operation: Op.ALL })], op: Op.ALTER_CONFIGS, allowed: true },
  { name: 'DENY wins over ALLOW', acls: [acl({ operation: Op.ALL }), acl({ permissionType: Perm.DENY })], op: Op.READ, allowed: false },
  { name: 'DENY on a prefix wins over a literal ALLOW', acls: [acl({}), acl({ resourceName: 'o', patternType: Pat.PREFIXED, permissionType: Perm.DENY })], op: Op.READ, allowed: false },
  { name: 'DENY for User:* denies everyone', acls: [acl({}), acl({ principal: 'User:*', permissionType: Perm.DENY })], op: Op.READ, allowed: false },
  { name: 'DENY ALL denies every operation', acls: [acl({}), acl({ operation: Op.ALL, permissionType: Perm.DENY })], op: Op.READ, allowed: false },
  { name: 'DENY READ has no implications (DESCRIBE still granted by WRITE)', acls: [acl({ operation: Op.WRITE }), acl({ permissionType: Perm.DENY })], op: Op.DESCRIBE, allowed: true },
  { name: 'DENY from another host does not apply', acls: [acl({}), acl({ host: '10.9.9.9', permissionType: Perm.DENY })], op: Op.READ, allowed: true },
  { name: 'cluster operation', acls: [acl({ resourceType: Res.CLUSTER, resourceName: 'kafka-cluster', operation: Op.ALTER })], res: Res.CLUSTER, on: 'kafka-cluster', op: Op.ALTER, allowed: true },
];

for (const c of cases)
  test(`authorize: ${c.name}`, () => {
    assert.equal(authorize(c.acls, c.cfg ?? strict, c.who ?? alice, c.op, c.res ?? Res.TOPIC, c.on ?? 'orders'), c.allowed);
  });

test('authorized operations: READ on a topic also reports DESCRIBE; ALTER_CONFIGS reports DESCRIBE_CONFIGS', () => {
  const bits = authorizedOperations([acl({}), acl({ operation: Op.ALTER_CONFIGS })], strict, alice, Res.TOPIC, 'orders');
  const ops = Object.entries(Op).filter(([, v]) => bits & (1 << v)).map(([k]) => k).sort();
  assert.deepEqual(ops, ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'READ']);
  assert.equal(authorizedOperations([], strict, { principal: 'User:admin', host: 'h' }, Res.GROUP, 'g'), (1 << 3) | (1 << 6) | (1 << 8));
});

test('authorize by resource type: an ALLOW anywhere counts unless a DENY covers it', () => {
  const w = (p: Partial<AclBinding>) => acl({ operation: Op.WRITE, ...p });
  const t = (acls: AclBinding[], cfg = strict) => authorizeByResourceType(acls, cfg, alice, Op.WRITE, Res.TOPIC);
  assert.equal(t([]), false);
  assert.equal(t([], lenient), true);
  assert.equal(t([w({})]), true);
  assert.equal(t([w({ resourceName: 'x', patternType: Pat.PREFIXED })]), true);
  assert.equal(t([w({}), w({ permissionType: Perm.DENY })]), false);
  assert.equal(t([w({}), w({ resourceName: '*', permissionType: Perm.DENY })]), false);
  assert.equal(t([w({ resourceName: 'ab', patternType: Pat.PREFIXED }), w({ resourceName: 'a', patternType: Pat.PREFIXED, permissionType: Perm.DENY })]), false);
  assert.equal(t([w({ principal: 'User:bob' })]), false);
  assert.equal(t([w({ operation: Op.READ })]), false);
});

const filter = (f: Partial<AclFilter>): AclFilter => ({
  resourceType: Res.ANY,
  resourceName: null,
  patternType: Pat.ANY,
  principal: null,
  host: null,
  operation: Op.ANY,
  permissionType: Perm.ANY,
  ...f,
});

test('filters: ANY, exact, MATCH', () => {
  const lit = acl({});
  const star = acl({ resourceName: '*' });
  const pre = acl({ resourceName: 'ord', patternType: Pat.PREFIXED });
  const other = acl({ resourceName: 'pay', patternType: Pat.PREFIXED, principal: 'User:bob', operation: Op.WRITE, permissionType: Perm.DENY });
  const all = [lit, star, pre, other];
  const sel = (f: Partial<AclFilter>) => all.filter((b) => filterMatches(filter(f), b));
  assert.deepEqual(sel({}), all);
  assert.deepEqual(sel({ resourceType: Res.GROUP }), []);
  assert.deepEqual(sel({ patternType: Pat.LITERAL }), [lit, star]);
  assert.deepEqual(sel({ patternType: Pat.PREFIXED, resourceName: 'ord' }), [pre]);
  assert.deepEqual(sel({ patternType: Pat.ANY, resourceName: 'orders' }), [lit]);
  assert.deepEqual(sel({ patternType: Pat.MATCH, resourceName: 'orders' }), [lit, star, pre]);
  assert.deepEqual(sel({ principal: 'User:bob' }), [other]);
  assert.deepEqual(sel({ operation: Op.WRITE, permissionType: Perm.DENY }), [other]);
  assert.deepEqual(sel({ host: '10.0.0.1' }), []);
});

test('validation: what CreateAcls and filters refuse', () => {
  assert.equal(invalidBinding(acl({})), null);
  assert.match(invalidBinding(acl({ resourceType: Res.ANY }))!, /resourceType/);
  assert.match(invalidBinding(acl({ resourceType: 42 }))!, /resourceType/);
  assert.match(invalidBinding(acl({ patternType: Pat.MATCH }))!, /patternType/);
  assert.match(invalidBinding(acl({ operation: Op.ANY }))!, /operation/);
  assert.match(invalidBinding(acl({ permissionType: Perm.ANY }))!, /permissionType/);
  assert.match(invalidBinding(acl({ resourceName: '' }))!, /empty/);
  assert.match(invalidBinding(acl({ resourceType: Res.CLUSTER, resourceName: 'x' }))!, /kafka-cluster/);
  assert.match(invalidBinding(acl({ principal: 'alice' }))!, /principal/);
  assert.equal(invalidFilter(filter({})), null);
  assert.match(invalidFilter(filter({ patternType: Pat.UNKNOWN }))!, /UNKNOWN/);
  assert.match(invalidFilter(filter({ operation: 99 }))!, /UNKNOWN/);
  assert.match(invalidFilter(filter({ principal: 'bob' }))!, /principal/);
});
