// The console's ACL and SCRAM user routes on a real 3-node Samsa cluster with `--security sasl`
// and the authorizer on (--acls, super.users=User:admin), the console logged in as admin as the
// bundled console is: a user created through the console logs in with kafkajs (and not with a
// wrong password); an ACL created through the console is listed, filtered, enforced for that
// user, and gone once deleted. Kafka's errors come back readable: CLUSTER_AUTHORIZATION_FAILED
// for a console logged in as a user without rights, SASL_AUTHENTICATION_FAILED for a wrong
// password, SECURITY_DISABLED on a cluster without an authorizer; bad input is a 400 naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ADMIN_USER } from '../../broker/supervisor/sasl-secrets.ts';
import { startTestCluster, type TestCluster } from '../../broker/testing/cluster.ts';
import { until } from '../../broker/testing/wait.ts';
import type { AclBinding, AclList, DeletedAcls, ScramUserList } from '../contract/index.ts';
import { ClusterRegistry } from '../kafka/cluster-registry.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { rawRequest, tempDir } from './test-helpers.ts';

const PASSWORD = 'carol-secret-1';

describe('console ACLs and SCRAM users on a SASL cluster with ACLs', () => {
  let tc: TestCluster;
  let server: ConsoleServer;
  let registry: ClusterRegistry;

  const api = async <T,>(method: string, path: string, body?: unknown, cluster = 'local'): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { 'x-samsa-token': server.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await rawRequest(server.port, `/api/clusters/${cluster}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: r.json() as T };
  };
  const kafkaAs = (username: string, password: string) =>
    new Kafka({
      brokers: tc.bootstrap.split(','),
      clientId: 'acl-routes-test',
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
      sasl: { mechanism: 'scram-sha-512', username, password },
    });
  const send = async (username: string, password: string, topic: string) => {
    const producer = kafkaAs(username, password).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'v' }] });
    } finally {
      await producer.disconnect();
    }
  };

  before(async () => {
    tc = await startTestCluster({ nodes: 3, security: 'sasl', nodeArgs: ['--acls', '--super-users', `User:${ADMIN_USER}`] });
    const dir = tempDir('samsa-acl-routes-');
    registry = new ClusterRegistry({
      appDataDir: dir,
      bundledBootstrap: tc.bootstrap.split(','),
      bundledSecurity: { sasl: { mechanism: 'SCRAM-SHA-512', username: ADMIN_USER, password: tc.cluster.sasl!.adminPassword } },
    });
    server = await startConsoleServer({ registry, staticDir: null });
    for (const name of ['carol-orders', 'payments']) {
      const created = await api('POST', '/topics', { name, partitions: 1, replicationFactor: 3 });
      assert.equal(created.status, 200, JSON.stringify(created.body));
    }
  });
  after(async () => {
    await server?.close();
    await registry?.close();
    await tc?.stop();
  });

  test('a user created in the console logs in with kafkajs; a wrong password does not', async () => {
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const r = await api('POST', '/scram-users', { user: 'carol', mechanism, password: PASSWORD, iterations: 8192 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const users = await api<ScramUserList>('GET', '/scram-users');
    assert.equal(users.status, 200, JSON.stringify(users.body));
    assert.deepEqual(
      users.body.users.find((u) => u.user === 'carol'),
      {
        user: 'carol',
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 8192 },
          { mechanism: 'SCRAM-SHA-512', iterations: 8192 },
        ],
      },
    );
    assert.ok(users.body.users.some((u) => u.user === ADMIN_USER), 'the bootstrap admin is listed too');

    const admin = kafkaAs('carol', PASSWORD).admin();
    await admin.connect(); // SaslHandshake + SCRAM-SHA-512 exchange + Metadata
    await admin.disconnect();
    const wrong = kafkaAs('carol', 'not-her-password').admin();
    await assert.rejects(() => wrong.connect(), /SASL SCRAM SHA512 authentication failed|authentication failed/i);

    // The console itself logged in as carol with the wrong password: a 401 in Kafka's words.
    const bad = registry.add({ name: 'carol-wrong', bootstrap: tc.bootstrap.split(','), sasl: { mechanism: 'SCRAM-SHA-512', username: 'carol', password: 'nope' } });
    const overview = await api<{ error: { code: string; message: string } }>('GET', '/overview', undefined, bad.id);
    assert.equal(overview.status, 401, JSON.stringify(overview.body));
    assert.equal(overview.body.error.code, 'SASL_AUTHENTICATION_FAILED');
    assert.match(overview.body.error.message, /invalid credentials/);
    // Logged in as carol with her password but no rights on the cluster: Kafka refuses, readably.
    const asCarol = registry.add({ name: 'carol', bootstrap: tc.bootstrap.split(','), sasl: { mechanism: 'SCRAM-SHA-256', username: 'carol', password: PASSWORD } });
    const refused = await api<{ error: { code: string; message: string } }>('GET', '/acls', undefined, asCarol.id);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'CLUSTER_AUTHORIZATION_FAILED');
    assert.match(refused.body.error.message, /Cluster authorization failed/);
    const refusedUsers = await api<{ error: { code: string } }>('POST', '/scram-users', { user: 'mallory', password: 'x' }, asCarol.id);
    assert.equal(refusedUsers.status, 403, JSON.stringify(refusedUsers.body));
    assert.equal(refusedUsers.body.error.code, 'CLUSTER_AUTHORIZATION_FAILED');
  });

  test('an ACL created in the console is listed, filtered, enforced, and gone once deleted', async () => {
    await api('POST', '/scram-users', { user: 'carol', mechanism: 'SCRAM-SHA-512', password: PASSWORD });
    await assert.rejects(() => send('carol', PASSWORD, 'carol-orders'), /authoriz/i, 'no ACL yet: refused');

    const binding: AclBinding = {
      resourceType: 'topic',
      resourceName: 'carol-',
      patternType: 'prefixed',
      principal: 'User:carol',
      host: '*',
      operation: 'write',
      permission: 'allow',
    };
    const created = await api<AclBinding>('POST', '/acls', { resourceType: 'topic', resourceName: 'carol-', patternType: 'prefixed', principal: 'User:carol', operation: 'write' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body, binding, 'host * and allow are the defaults');
    const describe = await api('POST', '/acls', { ...binding, operation: 'describe' });
    assert.equal(describe.status, 200, JSON.stringify(describe.body));

    const all = await api<AclList>('GET', '/acls');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.acls, [{ ...binding, operation: 'describe' }, binding]);
    const byOp = await api<AclList>('GET', '/acls?principal=User:carol&operation=write&patternType=prefixed&resourceType=topic');
    assert.deepEqual(byOp.body.acls, [binding]);
    const matching = await api<AclList>('GET', '/acls?resourceType=topic&resourceName=carol-orders&patternType=match');
    assert.equal(matching.body.acls.length, 2, 'match: the prefixed pattern applies to carol-orders');
    assert.deepEqual((await api<AclList>('GET', '/acls?principal=User:dave')).body.acls, []);
    assert.deepEqual((await api<AclList>('GET', '/acls?resourceType=group')).body.acls, []);

    await until('carol may write to carol-orders', () => send('carol', PASSWORD, 'carol-orders').then(() => true, () => false), 15000);
    await assert.rejects(() => send('carol', PASSWORD, 'payments'), /authoriz/i, 'not on payments');

    const deleted = await api<DeletedAcls>('POST', '/acls/delete', { principal: 'User:carol', operation: 'write' });
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body.deleted, [binding]);
    assert.deepEqual((await api<AclList>('GET', '/acls?principal=User:carol')).body.acls, [{ ...binding, operation: 'describe' }]);
    await until('carol is refused again', () => send('carol', PASSWORD, 'carol-orders').then(() => false, () => true), 15000);
    await api('POST', '/acls/delete', { principal: 'User:carol' });
    assert.deepEqual((await api<AclList>('GET', '/acls')).body.acls, []);
  });

  test('bad input is refused by the contract, naming the field', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/acls', { resourceType: 'topic', resourceName: 'x', principal: 'carol', operation: 'read' }, /principal: Principal must be User:<name>/],
      ['POST', '/acls', { resourceType: 'queue', resourceName: 'x', principal: 'User:carol', operation: 'read' }, /resourceType/],
      ['POST', '/acls', { resourceType: 'topic', resourceName: 'x', principal: 'User:carol', operation: 'fly' }, /operation/],
      ['POST', '/acls', { resourceType: 'cluster', resourceName: 'x', principal: 'User:carol', operation: 'alter' }, /resourceName: The cluster resource is named kafka-cluster/],
      ['POST', '/acls/delete', { operation: 'read' }, /names a resource or a principal/],
      ['POST', '/scram-users', { user: 'dave', mechanism: 'SCRAM-SHA-1', password: 'x' }, /mechanism/],
      ['POST', '/scram-users', { user: 'dave', password: 'x', iterations: 100 }, /iterations/],
      ['POST', '/scram-users', { user: '', password: 'x' }, /user: User name is required/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await api<{ error: { code: string; message: string } }>(method, path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'BAD_REQUEST');
      assert.match(r.body.error.message, message);
    }
    const badQuery = await api<{ error: { message: string } }>('GET', '/acls?permission=maybe');
    assert.equal(badQuery.status, 400);
    assert.match(badQuery.body.error.message, /permission/);
  });

  test('a credential deleted in the console no longer logs in', async () => {
    await api('POST', '/scram-users', { user: 'erin', mechanism: 'SCRAM-SHA-512', password: PASSWORD });
    const a = kafkaAs('erin', PASSWORD).admin();
    await a.connect();
    await a.disconnect();
    const r = await api('DELETE', '/scram-users/erin/SCRAM-SHA-512');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await api<ScramUserList>('GET', '/scram-users')).body.users.find((u) => u.user === 'erin'), undefined);
    await assert.rejects(() => kafkaAs('erin', PASSWORD).admin().connect(), /authentication failed/i);
    const again = await api<{ error: { code: string } }>('DELETE', '/scram-users/erin/SCRAM-SHA-512');
    assert.equal(again.status, 404, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'RESOURCE_NOT_FOUND');
  });
});

describe('console ACLs on a cluster without an authorizer', () => {
  let tc: TestCluster;
  let server: ConsoleServer;
  let registry: ClusterRegistry;
  before(async () => {
    tc = await startTestCluster({ nodes: 1 });
    registry = new ClusterRegistry({ appDataDir: tempDir('samsa-acl-routes-'), bundledBootstrap: tc.bootstrap.split(',') });
    server = await startConsoleServer({ registry, staticDir: null });
  });
  after(async () => {
    await server?.close();
    await registry?.close();
    await tc?.stop();
  });

  test('listing and creating ACLs answer SECURITY_DISABLED, not a 500', async () => {
    const headers = { 'x-samsa-token': server.token, 'content-type': 'application/json' };
    const list = await rawRequest(server.port, '/api/clusters/local/acls', { headers });
    assert.equal(list.status, 400, list.text);
    assert.equal(list.json().error.code, 'SECURITY_DISABLED');
    assert.match(list.json().error.message, /No Authorizer is configured/);
    const body = JSON.stringify({ resourceType: 'topic', resourceName: 't', principal: 'User:x', operation: 'read' });
    const create = await rawRequest(server.port, '/api/clusters/local/acls', { method: 'POST', headers, body });
    assert.equal(create.status, 400, create.text);
    assert.equal(create.json().error.code, 'SECURITY_DISABLED');
  });
});
