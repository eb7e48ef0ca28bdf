// SASL re-authentication (KIP-368) on a 3-node SASL cluster with connections.max.reauth.ms = 3000:
// SaslAuthenticate v1+ tells the session lifetime; a connection that does not renew its session
// is closed at its first request after the expiry (v0 clients too, as Kafka); a re-authentication
// on the same connection renews it, must keep the mechanism and the user, and may not come twice
// within a second; kafkajs keeps producing and consuming across several lifetimes by
// re-authenticating (the nodes' SaslHandshake count exceeds their new connections), and so do
// the nodes' own connections (replication: the ISR stays full); librdkafka 2.0.2, which has no
// KIP-368, is disconnected and reconnects.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConnection, type PlainAuth } from '../client/connection.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { AlterUserScramCredentials } from '../protocol/messages/alter-user-scram-credentials.ts';
import { DescribeConfigs } from '../protocol/messages/describe-configs.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.ts';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.ts';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { scrapeParsed, sumOf } from '../testing/prometheus.ts';
import { run } from '../testing/run.ts';
import { sleep, until } from '../testing/wait.ts';
import { mechanismByName, saltedPassword } from './scram.ts';

const LIFETIME = 3000;
const SSM = 'kafka_server_socket_server_metrics_';
const PY_CLIENT = fileURLToPath(new URL('../testing/clients/sasl_client.py', import.meta.url));

let tc: TestCluster;
let admin: PlainAuth;
before(async () => {
  tc = await startTestCluster({ nodes: 3, security: 'sasl', nodeArgs: ['--connections-max-reauth-ms', String(LIFETIME)] });
  admin = { user: 'admin', password: tc.cluster.sasl!.adminPassword };
});
after(async () => {
  await tc?.stop();
});

const node = (id: number) => tc.cluster.nodes.find((n) => n.id === id)!;
const addr = (id: number) => `${node(id).host}:${node(id).port}`;
const plain = (a: PlainAuth) => Buffer.from(`\0${a.user}\0${a.password}`);
const metadata = (c: KafkaConnection) => c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, 5000);
/** Lines of the node logs saying a connection was closed for an expired session. */
const expiredCloses = () =>
  tc.cluster.nodes.reduce((n, x) => n + fs.readFileSync(x.logFile, 'utf8').split('\n').filter((l) => /SASL session of .* expired/.test(l)).length, 0);

/** A socket-server counter on node `id`. */
const counter = async (id: number, name: string) => sumOf(await scrapeParsed(node(id).metricsUrl!), `${SSM}${name}`, { listener: 'SASL_PLAINTEXT' });

/** A connection authenticated by hand (it never renews its session by itself). */
async function loggedIn(id: number, auth: PlainAuth, version = 2) {
  const c = await KafkaConnection.connect(node(id).host, node(id).port, 'reauth-test', 10000);
  assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
  const r = await c.request(SaslAuthenticate, version, { authBytes: plain(auth) });
  assert.equal(r.errorCode, 0, r.errorMessage ?? '');
  return { c, lifetime: r.sessionLifetimeMs };
}

test('the session lifetime is connections.max.reauth.ms, shown by DescribeConfigs; past it, a request closes the connection, for v0 clients too', async () => {
  const { c, lifetime } = await loggedIn(1, admin);
  const v0 = await loggedIn(2, admin, 0);
  try {
    assert.equal(Number(lifetime), LIFETIME);
    const d = await c.request(DescribeConfigs, 4, {
      resources: [{ resourceType: 4, resourceName: '1', configurationKeys: ['connections.max.reauth.ms'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    assert.equal(d.results[0].configs[0].value, String(LIFETIME));
    assert.equal((await metadata(c)).brokers.length, 3);
    assert.equal((await metadata(v0.c)).brokers.length, 3);
    const killed = [await counter(1, 'expired_connections_killed_count_total'), await counter(2, 'expired_connections_killed_count_total')];
    await sleep(LIFETIME + 300);
    await assert.rejects(metadata(c), /connection closed/);
    await assert.rejects(metadata(v0.c), /connection closed/);
    assert.ok((await counter(1, 'expired_connections_killed_count_total')) > killed[0]);
    assert.ok((await counter(2, 'expired_connections_killed_count_total')) > killed[1]);
  } finally {
    c.close();
    v0.c.close();
  }
});

test('re-authenticating on the connection renews the session; not twice within a second; the mechanism and the user must stay', async () => {
  const m = mechanismByName('SCRAM-SHA-256')!;
  const salt = Buffer.from('salt-of-alice');
  const made = await (async () => {
    const { c } = await loggedIn(3, admin);
    try {
      return await c.request(AlterUserScramCredentials, 0, {
        deletions: [],
        upsertions: [{ name: 'alice', mechanism: m.code, iterations: 4096, salt, saltedPassword: saltedPassword(m, 'alice-secret', salt, 4096) }],
      }, 40000);
    } finally {
      c.close();
    }
  })();
  assert.equal(made.results[0].errorCode, 0);

  const failedBefore = [await counter(1, 'failed_reauthentication_total'), await counter(2, 'failed_reauthentication_total')];
  const { c } = await loggedIn(1, admin);
  try {
    await sleep(1100);
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const again = await c.request(SaslAuthenticate, 2, { authBytes: plain(admin) });
    assert.deepEqual([again.errorCode, Number(again.sessionLifetimeMs)], [0, LIFETIME]);
    // Within a second of the last re-authentication a handshake is not one: KafkaApis' answer,
    // and the connection stays.
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    // Past the first session's end, inside the renewed one.
    await sleep(LIFETIME - 1100 + 500);
    assert.equal((await metadata(c)).brokers.length, 3);
    // Another user: refused with Kafka's message, then closed.
    assert.equal((await c.request(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const other = await c.request(SaslAuthenticate, 2, { authBytes: plain({ user: 'alice', password: 'alice-secret' }) });
    assert.equal(other.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.equal(other.errorMessage, 'Cannot change principals during re-authentication from User.admin: User.alice');
    await until('closed after the refusal', async () => c.closed, 5000);
  } finally {
    c.close();
  }

  // Another mechanism: the handshake is answered, the SaslAuthenticate closes the connection.
  const s = await loggedIn(2, admin);
  try {
    await sleep(1100);
    assert.equal((await s.c.request(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-256' })).errorCode, 0);
    await assert.rejects(s.c.request(SaslAuthenticate, 2, { authBytes: Buffer.from('n,,n=admin,r=abc') }, 5000), /connection closed/);
  } finally {
    s.c.close();
  }
  assert.equal(await counter(1, 'failed_reauthentication_total'), failedBefore[0] + 1);
  assert.equal(await counter(2, 'failed_reauthentication_total'), failedBefore[1] + 1);
});

test('kafkajs keeps producing and consuming across four session lifetimes by re-authenticating; so do the nodes among themselves', async (t) => {
  const topic = 'reauth-kafkajs';
  const scrape = async () => {
    const sum = { handshakes: 0, created: 0, reauths: 0, failed: 0, expired: 0 };
    for (const n of tc.cluster.nodes) {
      const s = await scrapeParsed(n.metricsUrl!);
      sum.handshakes += sumOf(s, 'kafka_network_requestmetrics_requests_total', { request: 'SaslHandshake' });
      sum.created += sumOf(s, `${SSM}connection_creation_total`);
      sum.reauths += sumOf(s, `${SSM}successful_reauthentication_total`, { listener: 'SASL_PLAINTEXT' });
      sum.failed += sumOf(s, `${SSM}failed_reauthentication_total`);
      sum.expired += sumOf(s, `${SSM}expired_connections_killed_count_total`);
    }
    return sum;
  };
  const kafka = new Kafka({
    brokers: [addr(1), addr(2), addr(3)],
    logLevel: logLevel.NOTHING,
    // kafkajs renews a session this long before it ends (its default, 10 s, is above 3 s: it
    // would try before every request, and the broker allows one re-authentication a second).
    reauthenticationThreshold: 1000,
    sasl: { mechanism: 'scram-sha-512', username: 'admin', password: admin.password },
  });
  const adm = kafka.admin();
  await adm.connect();
  await adm.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
  await adm.disconnect();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'reauth-group', maxWaitTimeInMs: 200 });
  // kafkajs's own count of the SaslHandshakes it sent (first logins and re-authentications).
  let kafkajsHandshakes = 0;
  let counting = false;
  const count = (e: { payload: { apiName: string } }) => void (counting && e.payload.apiName === 'SaslHandshake' && kafkajsHandshakes++);
  producer.on(producer.events.REQUEST, count);
  consumer.on(consumer.events.REQUEST, count);
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
  const expiredBefore = expiredCloses();
  const before = await scrape();
  counting = true;
  const started = Date.now();
  const sent: string[] = [];
  try {
    for (let i = 0; Date.now() - started < 4 * LIFETIME + 500; i++) {
      await producer.send({ topic, acks: -1, messages: [{ value: `m${i}`, partition: i % 3 }] });
      sent.push(`m${i}`);
      await sleep(250);
    }
    await until('every message consumed', async () => got.length >= sent.length, 30000);
  } finally {
    counting = false;
    await producer.disconnect();
    await consumer.disconnect();
  }
  const afterRun = await scrape();
  assert.deepEqual([...got].sort(), [...sent].sort());
  const d = Object.fromEntries(Object.entries(afterRun).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
  t.diagnostic(`during ${Date.now() - started} ms: nodes ${JSON.stringify(d)}, kafkajs handshakes ${kafkajsHandshakes}`);
  // A new connection makes one handshake; kafkajs's other handshakes were re-authentications
  // (the broker listeners' new connections include the nodes' own, so this is a lower bound).
  assert.ok(kafkajsHandshakes - d.created >= 4, `kafkajs handshakes ${kafkajsHandshakes}, new broker-listener connections ${d.created}`);
  assert.ok(d.reauths >= kafkajsHandshakes - d.created, JSON.stringify(d));
  assert.equal(d.failed, 0);
  assert.equal(d.expired, 0, 'no connection was closed for an expired session');
  assert.equal(expiredCloses(), expiredBefore, 'no connection was closed for an expired session (logs)');
  // Replication ran over the nodes' own connections the whole time.
  const { c } = await loggedIn(1, admin);
  try {
    const md = await c.request(Metadata, 12, { topics: [{ topicId: '0'.repeat(32), name: topic }], allowAutoTopicCreation: false });
    for (const p of md.topics[0].partitions) assert.equal(p.isrNodes.length, 3, `partition ${p.partitionIndex} ISR ${p.isrNodes}`);
  } finally {
    c.close();
  }
});

test('librdkafka 2.0.2 (no KIP-368) is disconnected when its session expires, and reconnects', { skip: !kafkaPython() }, async (t) => {
  const killed = async () => (await Promise.all([1, 2, 3].map((id) => counter(id, 'expired_connections_killed_count_total')))).reduce((a, b) => a + b);
  const killedBefore = await killed();
  const expiredBefore = expiredCloses();
  const r = await run(kafkaPython()!, [PY_CLIENT, addr(1), 'PLAIN', 'admin', admin.password, 'trickle', 'reauth-rdkafka', '16'], { timeoutMs: 90000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { acked: number; errors: string[] };
  assert.equal(out.acked, 16, JSON.stringify(out));
  t.diagnostic(`expired connections closed: ${(await killed()) - killedBefore}; librdkafka errors: ${JSON.stringify(out.errors)}`);
  assert.ok((await killed()) > killedBefore, 'the broker closed an expired connection of the client');
  assert.ok(expiredCloses() > expiredBefore, 'and logged why');
});
