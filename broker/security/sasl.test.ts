// SASL_PLAINTEXT on the default 3-node cluster (`--security sasl`) with real clients: kcat and
// confluent-kafka (librdkafka) with PLAIN and SCRAM-SHA-512, kafkajs with SCRAM-SHA-256; wrong
// passwords refused with Kafka's error; unauthenticated requests disconnected; SCRAM users
// created and removed with AlterUserScramCredentials through one node and used on another at
// once; without connections.max.reauth.ms sessions do not expire (sasl-reauth.test.ts has it
// on); replication between the nodes (which authenticate to each other) keeps the ISR full.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConnection, type PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterUserScramCredentials } from '../protocol/messages/alter-user-scram-credentials.ts';
import { ApiVersions } from '../protocol/messages/api-versions.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { DescribeUserScramCredentials } from '../protocol/messages/describe-user-scram-credentials.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.ts';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.ts';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';
import { mechanismByName, saltedPassword } from './scram.ts';
import { kafkajsRoundTrip } from '../testing/kafkajs.ts';

const PY_CLIENT = fileURLToPath(new URL('../testing/clients/sasl_client.py', import.meta.url));

let tc: TestCluster;
let admin: PlainAuth;
before(async () => {
  tc = await startTestCluster({ nodes: 3, security: 'sasl' });
  admin = { user: 'admin', password: tc.cluster.sasl!.adminPassword };
});
after(async () => {
  await tc?.stop();
});

const node = (id: number) => tc.cluster.nodes.find((n) => n.id === id)!;
const addr = (id: number) => `${node(id).host}:${node(id).port}`;

async function withLogin<T>(id: number, auth: PlainAuth | undefined, fn: (c: KafkaConnection) => Promise<T>): Promise<T> {
  const c = await KafkaConnection.connect(node(id).host, node(id).port, 'sasl-test', 10000, auth);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

function kcat(id: number, mechanism: string, user: string, password: string, args: string[], input?: string) {
  const sasl = ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`];
  return run('kcat', ['-b', addr(id), ...sasl, ...args], { input, timeoutMs: 40000 });
}

async function python(id: number, mechanism: string, user: string, password: string, mode: string, topic: string, n: number) {
  const py = kafkaPython()!;
  const r = await run(py, [PY_CLIENT, addr(id), mechanism, user, password, mode, topic, String(n)], { timeoutMs: 90000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { acked?: number; values?: string[]; topics?: string[]; exception?: string; errors: string[] };
}

/** An upsertion as a client makes it: random salt, the salted password, never the password. */
function upsertion(name: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string, iterations = 4096) {
  const m = mechanismByName(mechanism)!;
  const salt = Buffer.from(`salt-of-${name}-${mechanism}`);
  return { name, mechanism: m.code, iterations, salt, saltedPassword: saltedPassword(m, password, salt, iterations) };
}

test('the admin password file is private, and the admin user has both SCRAM mechanisms', async () => {
  const file = tc.cluster.sasl!.adminFile;
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(fs.readFileSync(file, 'utf8').trim(), admin.password);
  assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
  const d = await withLogin(3, admin, (c) => c.request(DescribeUserScramCredentials, 0, { users: [{ name: 'admin' }] }));
  assert.deepEqual(d.results, [
    { user: 'admin', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }, { mechanism: 2, iterations: 4096 }] },
  ]);
});

test('before authentication only ApiVersions and SaslHandshake are served; anything else disconnects', async () => {
  await withLogin(1, undefined, async (c) => {
    const v = await c.request(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const keys = new Map(v.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
    assert.deepEqual(keys.get(17), [0, 1]);
    assert.deepEqual(keys.get(36), [0, 2]);
    assert.deepEqual(keys.get(50), [0, 0]);
    assert.deepEqual(keys.get(51), [0, 0]);
    await assert.rejects(c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, 5000), /connection closed/);
  });
  await withLogin(1, undefined, async (c) => {
    const hs = await c.request(SaslHandshake, 1, { mechanism: 'GSSAPI' });
    assert.equal(hs.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    assert.deepEqual(hs.mechanisms, ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    await until('closed after the refusal', async () => c.closed, 5000);
  });
  // A plaintext client is disconnected: kcat cannot even read metadata.
  if (hasCommand('kcat')) {
    const r = await run('kcat', ['-b', addr(2), '-L', '-m', '4'], { timeoutMs: 20000 });
    assert.notEqual(r.code, 0);
  }
});

test('the controller listeners admit only the inter-broker login: unauthenticated requests disconnected, other users and wrong secrets refused', async () => {
  const describeQuorum = (c: KafkaConnection) =>
    c.request(DescribeQuorum, 2, { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] }, 5000);
  const q = await withLogin(1, admin, describeQuorum);
  assert.equal(q.nodes.length, 3);
  for (const n of q.nodes) {
    const ep = n.listeners[0];
    assert.equal(ep.host, '127.0.0.1');
    const at = `node ${n.nodeId} controller listener`;
    // Without a login: ApiVersions (served before SASL, as Kafka) lists the quorum APIs, and
    // anything else closes the connection, a forged heartbeat as much as a read.
    const anon = await KafkaConnection.connect(ep.host, ep.port, 'sasl-test', 10000);
    try {
      const v = await anon.request(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
      const keys = v.apiKeys.map((k) => k.apiKey);
      assert.ok(keys.includes(52) && keys.includes(63) && !keys.includes(0), `${at}: Vote and BrokerHeartbeat, no Produce`);
      await assert.rejects(describeQuorum(anon), /connection closed/, at);
    } finally {
      anon.close();
    }
    const hs = await KafkaConnection.connect(ep.host, ep.port, 'sasl-test', 10000);
    try {
      const r = await hs.request(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-512' });
      assert.equal(r.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM, at);
      assert.deepEqual(r.mechanisms, ['PLAIN'], at);
    } finally {
      hs.close();
    }
    // A valid client user (admin, a super user on the broker listener) and a wrong secret are refused.
    for (const auth of [admin, { user: 'samsa-broker', password: 'not-the-secret' }])
      await assert.rejects(KafkaConnection.connect(ep.host, ep.port, 'sasl-test', 10000, auth), /Invalid username or password/, `${at} as ${auth.user}`);
    const node = await KafkaConnection.connect(ep.host, ep.port, 'sasl-test', 10000, tc.cluster.sasl!.interBroker);
    try {
      assert.equal((await describeQuorum(node)).errorCode, 0, at);
    } finally {
      node.close();
    }
  }
});

test('a wrong password is SASL_AUTHENTICATION_FAILED with a message, then the connection closes', async () => {
  await withLogin(2, undefined, async (c) => {
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const r = await c.request(SaslAuthenticate, 2, { authBytes: Buffer.from('\0admin\0not-the-password') });
    assert.equal(r.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.equal(r.errorMessage, 'Authentication failed: Invalid username or password');
    await until('closed after the failure', async () => c.closed, 5000);
  });
  await assert.rejects(
    KafkaConnection.connect(node(2).host, node(2).port, 't', 5000, { user: 'samsa-broker', password: 'guess' }),
    /Invalid username or password/,
  );
});

test('without connections.max.reauth.ms: sessionLifetimeMs 0, no re-authentication; a second SaslHandshake or SaslAuthenticate is ILLEGAL_SASL_STATE on a connection that stays (KafkaApis)', async () => {
  await withLogin(3, undefined, async (c) => {
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const r = await c.request(SaslAuthenticate, 2, { authBytes: Buffer.from(`\0admin\0${admin.password}`) });
    assert.deepEqual([r.errorCode, Number(r.sessionLifetimeMs)], [0, 0]);
    await sleep(1100);
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    const again = await c.request(SaslAuthenticate, 2, { authBytes: Buffer.from(`\0admin\0${admin.password}`) });
    assert.equal(again.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    assert.equal(again.errorMessage, 'SaslAuthenticate request received after successful authentication');
    const md = await c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
    assert.equal(md.brokers.length, 3);
  });
});

test('kcat and confluent-kafka: PLAIN and SCRAM-SHA-512 produce and consume across nodes; wrong passwords refused', { skip: !hasCommand('kcat') || !kafkaPython() }, async () => {
  const topic = 'sasl-roundtrip';
  const p = await python(1, 'PLAIN', 'admin', admin.password, 'produce', topic, 20);
  assert.equal(p.acked, 20, JSON.stringify(p));
  const c = await python(3, 'SCRAM-SHA-512', 'admin', admin.password, 'consume', topic, 20);
  assert.deepEqual(c.values, Array.from({ length: 20 }, (_, i) => `v${i}`));

  const k = await kcat(2, 'SCRAM-SHA-512', 'admin', admin.password, ['-P', '-t', topic], 'kcat-1\nkcat-2\n');
  assert.equal(k.code, 0, k.stderr);
  const read = await kcat(1, 'PLAIN', 'admin', admin.password, ['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\n']);
  assert.equal(read.code, 0, read.stderr);
  assert.deepEqual(read.stdout.trim().split('\n').slice(-2), ['kcat-1', 'kcat-2']);

  // The followers fetch over authenticated connections: every replica stays in the ISR, and a
  // restarted node logs in to the quorum and its leaders again and catches up.
  const fullIsr = () =>
    until('full ISR', async () => {
      const md = await withLogin(1, admin, (conn) =>
        conn.request(Metadata, 12, { topics: [{ topicId: '0'.repeat(32), name: topic }], allowAutoTopicCreation: false }),
      ).catch(() => null);
      const part = md?.topics[0]?.partitions[0];
      return part && part.replicaNodes.length === 3 && part.isrNodes.length === 3;
    }, 30000);
  await fullIsr();
  await tc.cluster.kill(2);
  await tc.cluster.startNode(2);
  await fullIsr();
  const afterRestart = await kcat(2, 'SCRAM-SHA-512', 'admin', admin.password, ['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\n']);
  assert.equal(afterRestart.code, 0, afterRestart.stderr);
  assert.equal(afterRestart.stdout.trim().split('\n').length, 22);

  const wrong = await python(2, 'SCRAM-SHA-512', 'admin', 'wrong', 'metadata', topic, 0);
  assert.equal(wrong.topics, undefined);
  assert.ok(
    wrong.errors.some((e) => e.includes('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512')),
    JSON.stringify(wrong),
  );
  const wrongKcat = await kcat(3, 'PLAIN', 'admin', 'wrong', ['-L', '-m', '5']);
  assert.notEqual(wrongKcat.code, 0);
  assert.match(wrongKcat.stderr, /Authentication failed: Invalid username or password/);
});

test('kafkajs with SCRAM-SHA-256 produces and consumes; a wrong password is refused', async () => {
  const topic = 'sasl-kafkajs';
  const kafka = (password: string) =>
    new Kafka({
      brokers: [addr(1), addr(2)],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
      sasl: { mechanism: 'scram-sha-256', username: 'admin', password },
    });
  assert.deepEqual(await kafkajsRoundTrip(kafka(admin.password), topic, 'sasl-kafkajs-group', ['one', 'two']), ['one', 'two']);

  const bad = kafka('wrong').producer();
  await assert.rejects(bad.connect(), (e: Error) => /SASL SCRAM SHA256 authentication failed/.test(e.message) || /invalid credentials/.test(e.message));
});

test('kafkajs transactions on SASL: commit markers reach the partition leaders on other nodes (inter-broker login), aborts stay hidden', async () => {
  const topic = 'sasl-txn';
  const kafka = new Kafka({
    brokers: [addr(1), addr(2), addr(3)],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
    sasl: { mechanism: 'scram-sha-512', username: 'admin', password: admin.password },
  });
  const adm = kafka.admin();
  await adm.connect();
  await adm.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
  await adm.disconnect();
  const producer = kafka.producer({ transactionalId: 'sasl-txn-id', idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [0, 1, 2].map((p) => ({ value: `aborted-${p}`, partition: p })) });
  await aborted.abort();
  const committed = await producer.transaction();
  await committed.send({ topic, messages: [0, 1, 2].map((p) => ({ value: `committed-${p}`, partition: p })) });
  await committed.commit();
  await producer.disconnect();
  // read_committed (kafkajs's default) sees a partition only up to its last stable offset: a
  // marker that never arrived would hide that partition's committed record.
  const consumer = kafka.consumer({ groupId: 'sasl-txn-group' });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
  await until('the three committed records', async () => got.length >= 3, 60000);
  await consumer.disconnect();
  assert.deepEqual(got.sort(), ['committed-0', 'committed-1', 'committed-2']);
});

test('users made with AlterUserScramCredentials on one node authenticate on another at once, and deletions take effect', async () => {
  const alter = (body: Parameters<typeof upsertion>[] | null, deletions: { name: string; mechanism: number }[] = []) =>
    withLogin(2, admin, (c) =>
      c.request(AlterUserScramCredentials, 0, { deletions, upsertions: (body ?? []).map((args) => upsertion(...args)) }, 40000),
    );
  const made = await alter([
    ['alice', 'SCRAM-SHA-256', 'alice-secret'],
    ['alice', 'SCRAM-SHA-512', 'alice-secret', 8192],
  ]);
  assert.deepEqual(made.results, [{ user: 'alice', errorCode: 0, errorMessage: null }]);

  const describe = (users: string[] | null) =>
    withLogin(3, admin, (c) => c.request(DescribeUserScramCredentials, 0, { users: users && users.map((name) => ({ name })) }));
  const d = await describe(null);
  assert.deepEqual(
    d.results.map((r) => [r.user, r.credentialInfos.map((x) => `${x.mechanism}/${x.iterations}`)]),
    [['admin', ['1/4096', '2/4096']], ['alice', ['1/4096', '2/8192']]],
  );
  const missing = await describe(['nobody', 'alice', 'alice']);
  assert.deepEqual(
    missing.results.map((r) => [r.user, r.errorCode]),
    [['nobody', ErrorCode.RESOURCE_NOT_FOUND], ['alice', ErrorCode.DUPLICATE_RESOURCE]],
  );

  if (hasCommand('kcat')) {
    const ok = await kcat(3, 'SCRAM-SHA-512', 'alice', 'alice-secret', ['-L', '-m', '10']);
    assert.equal(ok.code, 0, ok.stderr);
    const plain = await kcat(1, 'PLAIN', 'alice', 'alice-secret', ['-L', '-m', '10']);
    assert.equal(plain.code, 0, plain.stderr);
  }

  const refused = await withLogin(1, admin, (c) =>
    c.request(AlterUserScramCredentials, 0, {
      deletions: [{ name: 'bob', mechanism: 1 }],
      upsertions: [upsertion('carol', 'SCRAM-SHA-256', 'x', 100), upsertion('samsa-broker', 'SCRAM-SHA-256', 'x'), { ...upsertion('dave', 'SCRAM-SHA-256', 'x'), mechanism: 7 }],
    }),
  );
  assert.deepEqual(
    refused.results.map((r) => [r.user, r.errorCode]),
    [
      ['bob', ErrorCode.RESOURCE_NOT_FOUND],
      ['carol', ErrorCode.UNACCEPTABLE_CREDENTIAL],
      ['samsa-broker', ErrorCode.UNACCEPTABLE_CREDENTIAL],
      ['dave', ErrorCode.UNSUPPORTED_SASL_MECHANISM],
    ],
  );
  assert.match(refused.results[1].errorMessage ?? '', /Too few iterations/);

  const removed = await alter(null, [{ name: 'alice', mechanism: 2 }]);
  assert.deepEqual(removed.results, [{ user: 'alice', errorCode: 0, errorMessage: null }]);
  assert.deepEqual((await describe(['alice'])).results[0].credentialInfos, [{ mechanism: 1, iterations: 4096 }]);
  if (hasCommand('kcat')) {
    const gone = await kcat(3, 'SCRAM-SHA-512', 'alice', 'alice-secret', ['-L', '-m', '5']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /Invalid user credentials/);
    const still = await kcat(3, 'SCRAM-SHA-256', 'alice', 'alice-secret', ['-L', '-m', '10']);
    assert.equal(still.code, 0, still.stderr);
  }
});
