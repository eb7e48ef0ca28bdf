// TLS on the default 3-node cluster with real clients, trusting the cluster's printed local CA:
// `--security sasl+tls` (SASL_SSL) with kcat and confluent-kafka (SCRAM-SHA-512), kafkajs (SSL +
// SCRAM-SHA-512) and @platformatic/kafka (the console's client); `--security tls` (SSL) with kcat
// and confluent-kafka. Clients that do not trust the CA fail the TLS handshake; the followers
// replicate over the TLS listener (full ISR, also after a node restart).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { toErrorBody } from '../../main/kafka/errors.ts';
import { KafkaConnection } from '../client/connection.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { kafkaPython, startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';
import { kafkajsRoundTrip } from '../testing/kafkajs.ts';

const PY_CLIENT = fileURLToPath(new URL('../testing/clients/sasl_client.py', import.meta.url));
const noClients = !hasCommand('kcat') || !kafkaPython();

let saslTls: TestCluster;
let tlsOnly: TestCluster;
before(async () => {
  [saslTls, tlsOnly] = await Promise.all([startTestCluster({ nodes: 3, security: 'sasl+tls' }), startTestCluster({ nodes: 3, security: 'tls' })]);
});
after(async () => {
  await Promise.all([saslTls?.stop(), tlsOnly?.stop()]);
});

const caOf = (tc: TestCluster) => tc.cluster.ca!.certFile;
const password = () => saslTls.cluster.sasl!.adminPassword;
const addr = (tc: TestCluster, id: number) => {
  const n = tc.cluster.nodes.find((x) => x.id === id)!;
  return `${n.host}:${n.port}`;
};

function kcat(tc: TestCluster, id: number, security: string[], args: string[], input?: string) {
  return run('kcat', ['-b', addr(tc, id), ...security, ...args], { input, timeoutMs: 40000 });
}
const saslSsl = (ca: string | null, pw = password()) => [
  '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=admin', '-X', `sasl.password=${pw}`,
  ...(ca ? ['-X', `ssl.ca.location=${ca}`] : []),
];
const ssl = (ca: string | null) => ['-X', 'security.protocol=SSL', ...(ca ? ['-X', `ssl.ca.location=${ca}`] : [])];

async function python(tc: TestCluster, id: number, protocol: string, ca: string | null, mode: string, topic: string, n: number) {
  const args = [PY_CLIENT, addr(tc, id), 'SCRAM-SHA-512', 'admin', tc === saslTls ? password() : '-', mode, topic, String(n), protocol];
  const r = await run(kafkaPython()!, ca ? [...args, ca] : args, { timeoutMs: 90000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { acked?: number; values?: string[]; topics?: string[]; exception?: string; errors: string[] };
}

async function fullIsr(tc: TestCluster, topic: string) {
  await until(
    `full ISR of ${topic}`,
    async () => {
      const n = tc.cluster.nodes[0];
      const c = await KafkaConnection.connect(n.host, n.port, 'tls-test', 5000, tc.cluster.auth, tc.cluster.trust).catch(() => null);
      if (!c) return false;
      try {
        const md = await c.request(Metadata, 12, { topics: [{ topicId: '0'.repeat(32), name: topic }], allowAutoTopicCreation: false });
        const p = md.topics[0]?.partitions[0];
        return p !== undefined && p.replicaNodes.length === 3 && p.isrNodes.length === 3;
      } catch {
        return false;
      } finally {
        c.close();
      }
    },
    30000,
  );
}

test('the CA and node keys are private files in the data dir; every node serves its own CA-signed certificate', async () => {
  const { ca } = saslTls.cluster;
  assert.ok(ca);
  assert.equal(fs.statSync(ca.keyFile).mode & 0o777, 0o600);
  for (const n of saslTls.cluster.nodes) {
    const c = await KafkaConnection.connect(n.host, n.port, 'tls-test', 5000, saslTls.cluster.auth, saslTls.cluster.trust);
    c.close();
    assert.equal(fs.statSync(ca.keyFile.replace('ca.key', `node-${n.id}.key`)).mode & 0o777, 0o600);
  }
});

test('SASL_SSL: kcat and confluent-kafka with SCRAM-SHA-512 produce and consume across nodes; replication over TLS keeps the ISR full', { skip: noClients }, async () => {
  const topic = 'sasl-ssl-roundtrip';
  const p = await python(saslTls, 1, 'SASL_SSL', caOf(saslTls), 'produce', topic, 20);
  assert.equal(p.acked, 20, JSON.stringify(p));
  const c = await python(saslTls, 3, 'SASL_SSL', caOf(saslTls), 'consume', topic, 20);
  assert.deepEqual(c.values, Array.from({ length: 20 }, (_, i) => `v${i}`));
  const k = await kcat(saslTls, 2, saslSsl(caOf(saslTls)), ['-P', '-t', topic], 'kcat-1\nkcat-2\n');
  assert.equal(k.code, 0, k.stderr);
  const read = await kcat(saslTls, 1, saslSsl(caOf(saslTls)), ['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\n']);
  assert.equal(read.code, 0, read.stderr);
  assert.deepEqual(read.stdout.trim().split('\n').slice(-2), ['kcat-1', 'kcat-2']);

  await fullIsr(saslTls, topic);
  await saslTls.cluster.kill(2);
  await saslTls.cluster.startNode(2); // reuses its certificate, logs in and fetches over TLS again
  await fullIsr(saslTls, topic);
  // The restarted node checks logins only once it has replayed the SCRAM credentials: the first try works.
  const afterRestart = await kcat(saslTls, 2, saslSsl(caOf(saslTls)), ['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\n']);
  assert.equal(afterRestart.code, 0, afterRestart.stderr);
  assert.equal(afterRestart.stdout.trim().split('\n').length, 22);
});

test('SASL_SSL: clients that do not trust the CA fail the TLS handshake; a plaintext client gets no Kafka answer', { skip: noClients }, async () => {
  const k = await kcat(saslTls, 1, saslSsl(null), ['-L', '-m', '5']);
  assert.notEqual(k.code, 0);
  assert.match(k.stderr, /SSL handshake failed.*certificate verify failed/);
  const py = await python(saslTls, 2, 'SASL_SSL', null, 'metadata', 'x', 0);
  assert.equal(py.topics, undefined);
  assert.ok(py.errors.some((e) => /certificate verify failed/.test(e)), JSON.stringify(py));
  const plain = await run('kcat', ['-b', addr(saslTls, 3), '-L', '-m', '5'], { timeoutMs: 30000 });
  assert.notEqual(plain.code, 0);
  // A wrong password over a trusted TLS connection is a SASL refusal, not a TLS failure.
  const wrong = await kcat(saslTls, 1, saslSsl(caOf(saslTls), 'wrong'), ['-L', '-m', '5']);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /Authentication failed/);
  assert.equal(await until('the nodes log refused handshakes', async () => fs.readFileSync(saslTls.cluster.node(1).logFile, 'utf8').includes('TLS handshake with'), 10000), true);
});

test('SSL only: kcat and confluent-kafka produce and consume trusting the CA; without it the handshake fails', { skip: noClients }, async () => {
  const topic = 'ssl-roundtrip';
  const p = await python(tlsOnly, 2, 'SSL', caOf(tlsOnly), 'produce', topic, 10);
  assert.equal(p.acked, 10, JSON.stringify(p));
  const c = await python(tlsOnly, 1, 'SSL', caOf(tlsOnly), 'consume', topic, 10);
  assert.deepEqual(c.values, Array.from({ length: 10 }, (_, i) => `v${i}`));
  const k = await kcat(tlsOnly, 3, ssl(caOf(tlsOnly)), ['-P', '-t', topic], 'k\n');
  assert.equal(k.code, 0, k.stderr);
  const read = await kcat(tlsOnly, 3, ssl(caOf(tlsOnly)), ['-C', '-t', topic, '-e', '-o', 'beginning', '-f', '%s\n']);
  assert.equal(read.code, 0, read.stderr);
  assert.equal(read.stdout.trim().split('\n').length, 11);
  await fullIsr(tlsOnly, topic);
  // Another cluster's CA is not this one's.
  const otherCa = await kcat(tlsOnly, 1, ssl(caOf(saslTls)), ['-L', '-m', '5']);
  assert.notEqual(otherCa.code, 0);
  assert.match(otherCa.stderr, /certificate verify failed/);
});

test('kafkajs over SSL with SCRAM-SHA-512 produces and consumes; without the CA it cannot connect', async () => {
  const topic = 'sasl-ssl-kafkajs';
  const kafka = (ca: string | undefined) =>
    new Kafka({
      brokers: [addr(saslTls, 1), addr(saslTls, 2)],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1 },
      ssl: ca ? { ca: [ca] } : true,
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: password() },
    });
  const ca = fs.readFileSync(caOf(saslTls), 'utf8');
  assert.deepEqual(await kafkajsRoundTrip(kafka(ca), topic, 'sasl-ssl-kafkajs-group', ['one', 'two']), ['one', 'two']);
  await assert.rejects(kafka(undefined).producer().connect(), /self.signed|unable to verify|certificate/i);
});

test('@platformatic/kafka (the console\'s client) over SASL_SSL: admin, produce and fetch trusting the CA; refused without it', async () => {
  const topic = 'sasl-ssl-platformatic';
  const ca = fs.readFileSync(caOf(saslTls), 'utf8');
  const base = (trust: string | undefined, pw = password()) => ({
    clientId: 'tls-test',
    bootstrapBrokers: [addr(saslTls, 1), addr(saslTls, 3)],
    sasl: { mechanism: 'SCRAM-SHA-512' as const, username: 'admin', password: pw },
    tls: trust ? { ca: trust } : { rejectUnauthorized: true },
    retries: 1,
    connectTimeout: 5000,
  });
  const admin = new Admin(base(ca));
  try {
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 3 });
  } finally {
    await admin.close();
  }
  const producer = new Producer({ ...base(ca), serializers: stringSerializers });
  try {
    await producer.send({ messages: [{ topic, value: 'hello over TLS' }] });
  } finally {
    await producer.close();
  }
  const consumer = new Consumer({ ...base(ca), groupId: 'tls-platformatic', deserializers: stringDeserializers });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
    let value: string | undefined;
    for await (const m of stream) {
      value = m.value;
      break;
    }
    await stream.close();
    assert.equal(value, 'hello over TLS');
  } finally {
    await consumer.close(true);
  }
  // What the console makes of the failures (main/kafka/errors.ts): a readable outcome each.
  const outcome = async (trust: string | undefined, pw: string) => {
    const bad = new Admin(base(trust, pw));
    try {
      await bad.listTopics();
      return null;
    } catch (e) {
      return toErrorBody(e).body.error;
    } finally {
      await bad.close();
    }
  };
  const untrusted = await outcome(undefined, password());
  assert.equal(untrusted?.code, 'CLUSTER_UNREACHABLE', JSON.stringify(untrusted));
  assert.match(untrusted.message, /self.signed certificate|unable to verify|certificate/i);
  const wrong = await outcome(ca, 'wrong');
  assert.equal(wrong?.code, 'SASL_AUTHENTICATION_FAILED', JSON.stringify(wrong));
});
