// ACLs on the default 3-node cluster with `--security sasl` and the authorizer on (--acls,
// super.users=User:admin): kafkajs's admin creates, lists and deletes ACLs through one node and
// every node lists and enforces them at once; librdkafka (confluent-kafka) as a user allowed
// WRITE on a prefix produces, a user without READ is refused the topic, a group without an ACL
// is refused the group; wire checks of Kafka's error codes and authorized operations; the ACLs
// survive a node restart. The admin APIs of transactions, producers, log dirs and the quorum,
// and the nodes' own WriteTxnMarkers / OffsetForLeaderEpoch, refused without ACLs and allowed
// with them (@platformatic/kafka for DescribeLogDirs; no installed client speaks the others, so
// they are checked on the wire).

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import { KafkaConnection, type PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterUserScramCredentials } from '../protocol/messages/alter-user-scram-credentials.ts';
import { CreateAcls } from '../protocol/messages/create-acls.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DescribeAcls } from '../protocol/messages/describe-acls.ts';
import { DescribeCluster } from '../protocol/messages/describe-cluster.ts';
import { DescribeProducers } from '../protocol/messages/describe-producers.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { DescribeTransactions } from '../protocol/messages/describe-transactions.ts';
import { ListTransactions } from '../protocol/messages/list-transactions.ts';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch.ts';
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.ts';
import { JoinGroup } from '../protocol/messages/join-group.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';
import { AclOperation, AclPermission, PatternType, ResourceType } from './authorizer.ts';
import { mechanismByName, saltedPassword } from './scram.ts';

// kafkajs is CommonJS: its enums are not named ESM exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } = kafkajs;

const PY_CLIENT = fileURLToPath(new URL('../testing/clients/acl_client.py', import.meta.url));
const PASSWORD = 'acl-test-password';

let tc: TestCluster;
let admin: PlainAuth;
before(async () => {
  tc = await startTestCluster({ nodes: 3, security: 'sasl', nodeArgs: ['--acls', '--super-users', 'User:admin'] });
  admin = { user: 'admin', password: tc.cluster.sasl!.adminPassword };
  const upsertions = ['alice', 'bob'].flatMap((name) =>
    (['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const).map((mech) => {
      const m = mechanismByName(mech)!;
      const salt = Buffer.from(`salt-${name}-${mech}`);
      return { name, mechanism: m.code, iterations: 4096, salt, saltedPassword: saltedPassword(m, PASSWORD, salt, 4096) };
    }),
  );
  const r = await withLogin(1, admin, (c) => c.request(AlterUserScramCredentials, 0, { deletions: [], upsertions }));
  assert.deepEqual(r.results.map((x) => x.errorCode), [0, 0]);
  const topics = ['orders-1', 'payments'].map((name) => ({ name, numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }));
  const created = await withLogin(1, admin, (c) => c.request(CreateTopics, 7, { topics, timeoutMs: 30000, validateOnly: false }));
  assert.deepEqual(created.topics.map((t) => t.errorCode), [0, 0]);
});
after(async () => {
  await tc?.stop();
});

const node = (id: number) => tc.cluster.nodes.find((n) => n.id === id)!;
const addr = (id: number) => `${node(id).host}:${node(id).port}`;
const user = (name: string): PlainAuth => ({ user: name, password: PASSWORD });

async function withLogin<T>(id: number, auth: PlainAuth, fn: (c: KafkaConnection) => Promise<T>): Promise<T> {
  const c = await KafkaConnection.connect(node(id).host, node(id).port, 'acl-test', 10000, auth);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

const kafkajsAdmin = (id: number) =>
  new Kafka({
    brokers: [addr(id)],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
    sasl: { mechanism: 'scram-sha-256', username: 'admin', password: admin.password },
  }).admin();

async function python(id: number, name: string, args: string[]) {
  const py = kafkaPython()!;
  const r = await run(py, [PY_CLIENT, addr(id), name, PASSWORD, ...args], { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { delivery?: string[]; errors?: string[]; got?: number };
}

const describeAll = { resourceTypeFilter: ResourceType.ANY, resourceNameFilter: null, patternTypeFilter: PatternType.ANY, principalFilter: null, hostFilter: null, operation: AclOperation.ANY, permissionType: AclPermission.ANY };

test('kafkajs creates ACLs through node 1; every node lists them at once; kafkajs deletes one', async () => {
  const a = kafkajsAdmin(1);
  await a.connect();
  try {
    const acl = [
      { resourceType: AclResourceTypes.TOPIC, resourceName: 'orders-', resourcePatternType: ResourcePatternTypes.PREFIXED, principal: 'User:alice', host: '*', operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.ALLOW },
      { resourceType: AclResourceTypes.GROUP, resourceName: 'bob-group', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:bob', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW },
      { resourceType: AclResourceTypes.TOPIC, resourceName: 'payments', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:bob', host: '*', operation: AclOperationTypes.DESCRIBE, permissionType: AclPermissionTypes.ALLOW },
      { resourceType: AclResourceTypes.TOPIC, resourceName: 'scratch', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:*', host: '*', operation: AclOperationTypes.ALL, permissionType: AclPermissionTypes.DENY },
    ];
    assert.equal(await a.createAcls({ acl }), true);
    for (const id of [1, 2, 3]) {
      const d = await withLogin(id, admin, (c) => c.request(DescribeAcls, 3, describeAll));
      assert.equal(d.errorCode, 0);
      assert.deepEqual(d.resources.map((r) => r.resourceName).sort(), ['bob-group', 'orders-', 'payments', 'scratch'], `node ${id}`);
    }
    const listed = await a.describeAcls({ resourceType: AclResourceTypes.TOPIC, resourceName: 'orders-1', resourcePatternType: ResourcePatternTypes.MATCH, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
    assert.deepEqual(listed.resources.map((r) => [r.resourceName, r.resourcePatternType, r.acls.map((x) => x.principal)]), [['orders-', ResourcePatternTypes.PREFIXED, ['User:alice']]]);
    const del = await a.deleteAcls({ filters: [{ resourceType: AclResourceTypes.TOPIC, resourceName: 'scratch', resourcePatternType: ResourcePatternTypes.LITERAL, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }] });
    assert.deepEqual(del.filterResponses[0].matchingAcls.map((m) => [m.resourceName, m.principal, m.permissionType]), [['scratch', 'User:*', AclPermissionTypes.DENY]]);
    const after3 = await withLogin(3, admin, (c) => c.request(DescribeAcls, 1, describeAll));
    assert.deepEqual(after3.resources.map((r) => r.resourceName).sort(), ['bob-group', 'orders-', 'payments']);
  } finally {
    await a.disconnect();
  }
});

test('bad ACLs are refused with INVALID_REQUEST; users without ALTER on the cluster get CLUSTER_AUTHORIZATION_FAILED', async () => {
  const creation = { resourceType: ResourceType.TOPIC, resourceName: 'x', resourcePatternType: PatternType.LITERAL, principal: 'User:alice', host: '*', operation: AclOperation.READ, permissionType: AclPermission.ALLOW };
  const r = await withLogin(2, admin, (c) =>
    c.request(CreateAcls, 3, { creations: [{ ...creation, principal: 'alice' }, { ...creation, resourceType: ResourceType.CLUSTER }, { ...creation, resourcePatternType: PatternType.MATCH }] }),
  );
  assert.deepEqual(r.results.map((x) => x.errorCode), [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
  const refused = await withLogin(2, user('alice'), (c) => c.request(CreateAcls, 3, { creations: [creation] }));
  assert.deepEqual(refused.results.map((x) => x.errorCode), [ErrorCode.CLUSTER_AUTHORIZATION_FAILED]);
  const d = await withLogin(2, user('alice'), (c) => c.request(DescribeAcls, 3, describeAll));
  assert.equal(d.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
});

test('librdkafka: alice, allowed WRITE on orders-*, produces; refused elsewhere; bob without READ cannot consume; a group without an ACL is refused', async (t) => {
  if (!kafkaPython()) return t.skip('confluent-kafka is not installed');
  await until('ACLs created by the first test', async () => (await withLogin(1, admin, (c) => c.request(DescribeAcls, 3, describeAll))).resources.length >= 3, 30000);
  assert.deepEqual((await python(2, 'alice', ['produce', 'orders-1'])).delivery, ['NONE']);
  assert.deepEqual((await python(3, 'alice', ['produce', 'payments'])).delivery, ['TOPIC_AUTHORIZATION_FAILED']);
  // bob may use bob-group and DESCRIBE payments, but not READ it.
  const noRead = await python(1, 'bob', ['consume', 'payments', 'bob-group']);
  assert.equal(noRead.got, 0);
  assert.ok(noRead.errors!.includes('TOPIC_AUTHORIZATION_FAILED'), JSON.stringify(noRead));
  const noGroup = await python(1, 'bob', ['consume', 'payments', 'other-group']);
  assert.equal(noGroup.got, 0);
  assert.ok(noGroup.errors!.includes('GROUP_AUTHORIZATION_FAILED'), JSON.stringify(noGroup));
});

test('Metadata hides topics a user may not describe and reports authorized operations; DescribeCluster too', async () => {
  await until('ACLs created by the first test', async () => (await withLogin(1, admin, (c) => c.request(DescribeAcls, 3, describeAll))).resources.length >= 3, 30000);
  const md = (auth: PlainAuth, topics: { name: string; topicId: string }[] | null) =>
    withLogin(3, auth, (c) => c.request(Metadata, 12, { topics, allowAutoTopicCreation: true, includeTopicAuthorizedOperations: true }));
  const alice = await md(user('alice'), null);
  assert.deepEqual(alice.topics.map((t) => t.name), ['orders-1']);
  // WRITE on orders-* gives WRITE and DESCRIBE (bits 4 and 8).
  assert.equal(alice.topics[0].topicAuthorizedOperations, (1 << 4) | (1 << 8));
  const named = await md(user('alice'), [{ name: 'payments', topicId: '0'.repeat(32) }, { name: 'orders-new', topicId: '0'.repeat(32) }]);
  // payments: no DESCRIBE; orders-new would be auto-created, but alice has no CREATE.
  assert.deepEqual(named.topics.map((t) => [t.name, t.errorCode]), [['payments', ErrorCode.TOPIC_AUTHORIZATION_FAILED], ['orders-new', ErrorCode.TOPIC_AUTHORIZATION_FAILED]]);
  const all = await md(admin, null);
  assert.ok(['orders-1', 'payments'].every((n) => all.topics.some((t) => t.name === n)));
  assert.ok(!all.topics.some((t) => t.name === 'orders-new'), 'not auto-created');
  const dc = (auth: PlainAuth) => withLogin(2, auth, (c) => c.request(DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 }));
  assert.equal((await dc(user('alice'))).clusterAuthorizedOperations, 0);
  const superOps = (await dc(admin)).clusterAuthorizedOperations;
  assert.equal(superOps, [5, 7, 8, 9, 10, 11, 12].reduce((a, op) => a | (1 << op), 0));
});

test('JoinGroup without READ on the group is GROUP_AUTHORIZATION_FAILED', async () => {
  const join = await withLogin(1, user('alice'), (c) =>
    c.request(JoinGroup, 5, { groupId: 'no-acl-group', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 10000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], reason: null }),
  );
  assert.equal(join.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
});

test('ACLs survive a node restart and the restarted node enforces them', async () => {
  await until('ACLs created by the first test', async () => (await withLogin(1, admin, (c) => c.request(DescribeAcls, 3, describeAll))).resources.length >= 3, 30000);
  const before = await withLogin(1, admin, (c) => c.request(DescribeAcls, 3, describeAll));
  await tc.cluster.kill(2);
  await tc.cluster.startNode(2);
  await until(
    'node 2 lists the ACLs again',
    async () => {
      const d = await withLogin(2, admin, (c) => c.request(DescribeAcls, 3, describeAll)).catch(() => null);
      return d !== null && d.resources.length === before.resources.length;
    },
    60000,
  );
  const d = await withLogin(2, admin, (c) => c.request(DescribeAcls, 3, describeAll));
  assert.deepEqual(d.resources, before.resources);
  const alice = await withLogin(2, user('alice'), (c) => c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
  assert.deepEqual(alice.topics.map((t) => t.name), ['orders-1']);
});

/** One request to every node as `auth`: admin requests some nodes answer for (coordinators, leaders). */
const onEveryNode = <T>(auth: PlainAuth, fn: (c: KafkaConnection) => Promise<T>) => Promise.all([1, 2, 3].map((id) => withLogin(id, auth, fn)));

/** Allows bob an operation on a literal resource, through node 1. */
async function allowBob(resourceType: number, resourceName: string, operation: number) {
  const creation = { resourceType, resourceName, resourcePatternType: PatternType.LITERAL, principal: 'User:bob', host: '*', operation, permissionType: AclPermission.ALLOW };
  const r = await withLogin(1, admin, (c) => c.request(CreateAcls, 3, { creations: [creation] }));
  assert.deepEqual(r.results.map((x) => x.errorCode), [0]);
}

test('transactions and producers: DescribeTransactions needs DESCRIBE on the id, ListTransactions lists only those, DescribeProducers needs READ on the topic', async () => {
  // Two committed transactions by admin (a super user) on orders-1.
  const kafka = new Kafka({ brokers: [addr(1), addr(2), addr(3)], logLevel: logLevel.NOTHING, retry: { retries: 5 }, sasl: { mechanism: 'scram-sha-512', username: 'admin', password: admin.password } });
  for (const transactionalId of ['acl-txn-bob', 'acl-txn-other']) {
    const p = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    const t = await p.transaction();
    await t.send({ topic: 'orders-1', messages: [{ value: transactionalId }] });
    await t.commit();
    await p.disconnect();
  }
  const bob = user('bob');
  const describeTxn = (auth: PlainAuth, id: string) => onEveryNode(auth, (c) => c.request(DescribeTransactions, 0, { transactionalIds: [id] }));
  const listed = async (auth: PlainAuth) =>
    (await onEveryNode(auth, (c) => c.request(ListTransactions, 1, { stateFilters: [], producerIdFilters: [], durationFilter: -1 })))
      .flatMap((r) => r.transactionStates.map((s) => s.transactionalId))
      .sort();
  const producers = (auth: PlainAuth) =>
    onEveryNode(auth, (c) => c.request(DescribeProducers, 0, { topics: [{ name: 'orders-1', partitionIndexes: [0] }] }));
  const codes = (rs: { transactionStates: { errorCode: number }[] }[]) => rs.map((r) => r.transactionStates[0].errorCode);
  // Without ACLs: every node refuses before looking the id up; bob lists nothing; the partition is refused.
  assert.deepEqual(codes(await describeTxn(bob, 'acl-txn-bob')), Array(3).fill(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
  assert.deepEqual(await listed(bob), []);
  assert.deepEqual(await listed(admin), ['acl-txn-bob', 'acl-txn-other']);
  for (const r of await producers(bob)) assert.equal(r.topics[0].partitions[0].errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);

  await allowBob(ResourceType.TRANSACTIONAL_ID, 'acl-txn-bob', AclOperation.DESCRIBE);
  await allowBob(ResourceType.TOPIC, 'orders-1', AclOperation.READ);
  // The coordinator answers the id's state; the others NOT_COORDINATOR, as to any client.
  const mine = await describeTxn(bob, 'acl-txn-bob');
  assert.deepEqual(codes(mine).sort(), [ErrorCode.NONE, ErrorCode.NOT_COORDINATOR, ErrorCode.NOT_COORDINATOR].sort());
  assert.equal(mine.find((r) => r.transactionStates[0].errorCode === ErrorCode.NONE)!.transactionStates[0].transactionState, 'CompleteCommit');
  assert.deepEqual(codes(await describeTxn(bob, 'acl-txn-other')), Array(3).fill(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
  assert.deepEqual(await listed(bob), ['acl-txn-bob']);
  // The leader lists both transactional producers; followers say NOT_LEADER_OR_FOLLOWER.
  const parts = (await producers(bob)).map((r) => r.topics[0].partitions[0]);
  const leader = parts.filter((p) => p.errorCode === ErrorCode.NONE);
  assert.equal(leader.length, 1, JSON.stringify(parts));
  assert.equal(leader[0].activeProducers.length, 2);
  assert.ok(parts.every((p) => p.errorCode === ErrorCode.NONE || p.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER), JSON.stringify(parts));
});

test('DescribeLogDirs (@platformatic/kafka) and DescribeQuorum need DESCRIBE on the cluster', async () => {
  const describeQuorum = (auth: PlainAuth) =>
    withLogin(3, auth, (c) => c.request(DescribeQuorum, 2, { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] }));
  const logDirs = async (name: string, password: string) => {
    const a = new Admin({ clientId: 'acl-test', bootstrapBrokers: [addr(2)], retries: 0, sasl: { mechanism: 'SCRAM-SHA-256', username: name, password } });
    try {
      return await a.describeLogDirs({ topics: [{ name: 'orders-1', partitions: [0] }] });
    } finally {
      await a.close();
    }
  };
  const refusedQuorum = await describeQuorum(user('bob'));
  assert.equal(refusedQuorum.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  assert.deepEqual(refusedQuorum.topics, []);
  await assert.rejects(logDirs('bob', PASSWORD), (e: Error) => /CLUSTER_AUTHORIZATION_FAILED|Cluster authorization failed/i.test(JSON.stringify(e, Object.getOwnPropertyNames(e)) + String(e)));
  const adminDirs = await logDirs('admin', admin.password);
  assert.equal(adminDirs.length, 3);

  await allowBob(ResourceType.CLUSTER, 'kafka-cluster', AclOperation.DESCRIBE);
  const q = await describeQuorum(user('bob'));
  assert.equal(q.errorCode, ErrorCode.NONE);
  assert.equal(q.topics[0].partitions[0].currentVoters.length, 3);
  const dirs = await logDirs('bob', PASSWORD);
  assert.equal(dirs.length, 3);
  // The replicas of orders-1 (three) each report the partition.
  const sizes = dirs.flatMap((d) => d.results.flatMap((r) => r.topics.filter((t) => t.name === 'orders-1').flatMap((t) => t.partitions)));
  assert.equal(sizes.length, 3);
});

test('the nodes\' own APIs on the broker listener: WriteTxnMarkers needs CLUSTER_ACTION, OffsetForLeaderEpoch it or DESCRIBE on the topic', async () => {
  // bob (no CLUSTER_ACTION) tries to abort a producer's transaction on payments: nothing is written.
  const markers = await onEveryNode(user('bob'), (c) =>
    c.request(WriteTxnMarkers, 1, { markers: [{ producerId: 1, producerEpoch: 0, transactionResult: false, coordinatorEpoch: 0, topics: [{ name: 'payments', partitionIndexes: [0] }] }] }),
  );
  for (const m of markers) assert.equal(m.markers[0].topics[0].partitions[0].errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const epochs = (topic: string) =>
    onEveryNode(user('alice'), (c) =>
      c.request(OffsetForLeaderEpoch, 4, { replicaId: -1, topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] }),
    );
  // alice: WRITE on orders-* implies DESCRIBE; nothing on payments.
  for (const r of await epochs('payments')) assert.equal(r.topics[0].partitions[0].errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  const orders = (await epochs('orders-1')).map((r) => r.topics[0].partitions[0].errorCode).sort();
  assert.deepEqual(orders, [ErrorCode.NONE, ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NOT_LEADER_OR_FOLLOWER].sort());
});
