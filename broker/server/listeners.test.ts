// The controller listener (issue 13, item 7) on a real 3-node cluster: the metadata quorum,
// registrations and heartbeats live on per-node loopback ports named by --voters; the broker
// listener neither advertises nor serves them (a forged BrokerRegistration there registers
// nothing), the controller listener serves no client APIs, replication still flows over the
// broker listeners; and `samsa cluster --host` off loopback needs --allow-remote and warns.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { handlers } from '../api/index.ts';
import { KafkaConnection } from '../client/connection.ts';
import { requestFrame } from '../client/request-frame.ts';
import { METADATA_TOPIC_ID } from '../metadata/raft-transport.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { ApiVersions } from '../protocol/messages/api-versions.ts';
import { BeginQuorumEpoch } from '../protocol/messages/begin-quorum-epoch.ts';
import { BrokerRegistration } from '../protocol/messages/broker-registration.ts';
import { DescribeQuorum } from '../protocol/messages/describe-quorum.ts';
import { Fetch } from '../protocol/messages/fetch.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { Vote } from '../protocol/messages/vote.ts';
import { buildBatch } from '../protocol/record-batch.ts';
import type { ApiSchema, RequestOutOf } from '../protocol/schema.ts';
import { startCli } from '../testing/cli-process.ts';
import {
  createTopic,
  kcatConsume,
  leaderOf,
  produceTo,
  startTestCluster,
  type TestCluster,
} from '../testing/cluster.ts';
import { freePortBlock } from '../testing/ports.ts';
import { sleep, until } from '../testing/wait.ts';

const CONTROLLER_ONLY = [52, 53, 54, 56, 59, 62, 63]; // Vote ... BrokerHeartbeat, from the specs

async function keysOn(host: string, port: number): Promise<number[]> {
  const c = await KafkaConnection.connect(host, port, 'listeners-test', 2000);
  try {
    const res = await c.request(ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }, 5000);
    assert.equal(res.errorCode, ErrorCode.NONE);
    return res.apiKeys.map((k) => k.apiKey);
  } finally {
    c.close();
  }
}

/** Sends one request as raw bytes; whether the node closed the connection instead of answering. */
function closesOn<A extends ApiSchema>(
  port: number,
  schema: A,
  version: number,
  body: RequestOutOf<A>,
): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let answered = false;
    s.on('data', () => (answered = true));
    s.on('error', () => {});
    s.on('close', () => resolve(!answered));
    s.write(requestFrame(schema, version, body, 1));
    setTimeout(() => s.destroy(), 3000);
  });
}

async function controllerEndpoints(host: string, port: number) {
  const c = await KafkaConnection.connect(host, port, 'listeners-test', 2000);
  try {
    const q = await c.request(DescribeQuorum, 2, {
      topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
    });
    return q.nodes.map((n) => ({
      nodeId: n.nodeId,
      name: n.listeners[0].name,
      host: n.listeners[0].host,
      port: n.listeners[0].port,
    }));
  } finally {
    c.close();
  }
}

describe('controller traffic on loopback controller listeners', () => {
  let tc: TestCluster;
  before(async () => {
    tc = await startTestCluster({ nodes: 3 });
  });
  after(async () => {
    await tc?.stop();
  });

  test('ApiVersions is derived per listener: controller-only APIs only on the controller port', async () => {
    const n = tc.cluster.nodes[0];
    const broker = await keysOn(n.host, n.port);
    for (const k of CONTROLLER_ONLY) assert.ok(!broker.includes(k), `broker listener advertises key ${k}`);
    for (const k of [0, 1, 3, 18, 55]) assert.ok(broker.includes(k), `broker listener lacks key ${k}`);
    const eps = await controllerEndpoints(n.host, n.port);
    assert.equal(eps.length, 3);
    const ctrl = await keysOn(eps[0].host, eps[0].port);
    const expected = [...handlers.values()]
      .filter((h) => h.schema.listeners.includes('controller'))
      .map((h) => h.schema.key);
    assert.deepEqual(
      [...ctrl].sort((a, b) => a - b),
      expected.sort((a, b) => a - b),
    );
    for (const k of [...CONTROLLER_ONLY, 1, 18, 19, 55])
      assert.ok(ctrl.includes(k), `controller listener lacks key ${k}`);
    for (const k of [0, 3, 8, 11]) assert.ok(!ctrl.includes(k), `controller listener advertises client key ${k}`);
  });

  test('--voters names each voter controller listener: 127.0.0.1, apart from the Kafka ports', async () => {
    const eps = await controllerEndpoints(tc.cluster.nodes[1].host, tc.cluster.nodes[1].port);
    const kafkaPorts = tc.cluster.nodes.map((n) => n.port);
    assert.deepEqual(
      eps.map((e) => e.nodeId),
      [1, 2, 3],
    );
    for (const e of eps) {
      assert.equal(e.name, 'CONTROLLER');
      assert.equal(e.host, '127.0.0.1');
      assert.ok(!kafkaPorts.includes(e.port));
      assert.ok((await keysOn(e.host, e.port)).includes(52), `node ${e.nodeId} serves Vote on ${e.port}`);
    }
    assert.equal(tc.cluster.voters, eps.map((e) => `${e.nodeId}@127.0.0.1:${e.port}`).join(','));
  });

  test('controller-only requests on the broker listener, client requests on the controller listener: connection closed', async () => {
    const n = tc.cluster.nodes[0];
    // A forged registration with the real cluster id: served before, it would have listed node 99.
    const register = {
      brokerId: 99,
      clusterId: tc.cluster.clusterId,
      incarnationId: 'ab'.repeat(16),
      listeners: [{ name: 'PLAINTEXT', host: '10.0.0.99', port: 9092, securityProtocol: 0 }],
      features: [],
      rack: null,
    };
    assert.equal(await closesOn(n.port, BrokerRegistration, 0, register), true);
    const vote = {
      clusterId: tc.cluster.clusterId,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            { partitionIndex: 0, candidateEpoch: 1e6, candidateId: 99, lastOffsetEpoch: 1e6, lastOffset: 1e9 },
          ],
        },
      ],
    };
    assert.equal(await closesOn(n.port, Vote, 0, vote), true);
    const [ep] = await controllerEndpoints(n.host, n.port);
    const produce = {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'x', partitionData: [{ index: 0, records: buildBatch([{ value: 'v' }]) }] }],
    };
    assert.equal(await closesOn(ep.port, Produce, 9, produce), true);
    assert.equal(await closesOn(ep.port, Metadata, 12, { topics: null }), true);
    const c = await KafkaConnection.connect(n.host, n.port);
    try {
      const md = await c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
      assert.deepEqual(md.brokers.map((b) => b.nodeId).sort(), [1, 2, 3], 'no broker 99');
    } finally {
      c.close();
    }
  });

  test('stray quorum requests on the controller listener leave the Raft epoch alone (Kafka checks)', async () => {
    // Found by the node fuzzer: a Vote or BeginQuorumEpoch with epoch 2^31-1 raised the quorum's
    // epoch to the int32 limit, after which no election could ever succeed.
    const n = tc.cluster.nodes[0];
    const [ep] = await controllerEndpoints(n.host, n.port);
    const epochOf = async () => {
      const c = await KafkaConnection.connect(n.host, n.port);
      try {
        const q = await c.request(DescribeQuorum, 2, {
          topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
        });
        return q.topics[0].partitions[0].leaderEpoch;
      } finally {
        c.close();
      }
    };
    const before = await epochOf();
    const MAX = 2 ** 31 - 1;
    const vote = (clusterId: string | null, topicName: string, candidateId: number) => ({
      clusterId,
      topics: [
        {
          topicName,
          partitions: [{ partitionIndex: 0, candidateEpoch: MAX, candidateId, lastOffsetEpoch: MAX, lastOffset: 1e9 }],
        },
      ],
    });
    const k = await KafkaConnection.connect(ep.host, ep.port);
    try {
      assert.equal(
        (await k.request(Vote, 0, vote('other-cluster', '__cluster_metadata', 2))).errorCode,
        ErrorCode.INCONSISTENT_CLUSTER_ID,
      );
      assert.equal((await k.request(Vote, 0, vote(null, 'fuzzed', 2))).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const outsider = await k.request(Vote, 0, vote(tc.cluster.clusterId, '__cluster_metadata', 99));
      assert.equal(outsider.topics[0].partitions[0].errorCode, ErrorCode.INCONSISTENT_VOTER_SET);
      assert.equal(outsider.topics[0].partitions[0].voteGranted, false);
      const begin = await k.request(BeginQuorumEpoch, 0, {
        clusterId: null,
        topics: [
          { topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0, leaderId: 99, leaderEpoch: MAX }] },
        ],
      });
      assert.equal(begin.topics[0].partitions[0].errorCode, ErrorCode.INCONSISTENT_VOTER_SET);
    } finally {
      k.close();
    }
    const afterwards = await epochOf();
    assert.ok(afterwards >= before && afterwards < before + 10, `epoch ${before} -> ${afterwards}`);
    assert.equal(await createTopic(tc, 'after-stray-votes'), ErrorCode.NONE);
  });

  test('node data is private: directories 0700, files 0600', async () => {
    assert.equal(await createTopic(tc, 'private-files'), ErrorCode.NONE);
    const open: string[] = [];
    const walk = (p: string) => {
      const st = fs.statSync(p);
      if ((st.mode & 0o077) !== 0) open.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    for (const n of tc.cluster.nodes) walk(path.join(tc.dataDir, `node-${n.id}`));
    walk(path.join(tc.dataDir, 'logs'));
    assert.ok(fs.readdirSync(path.join(tc.dataDir, 'node-1')).some((e) => e.startsWith('private-files-')));
    assert.deepEqual(open, [], 'readable by other users');
  });

  test('Fetch reads the metadata log on the controller listener only, data on the broker listener only', async () => {
    const n = tc.cluster.nodes[0];
    const [ep] = await controllerEndpoints(n.host, n.port);
    const fetchOf = (topicId: string) => ({
      replicaState: { replicaId: -1 },
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    });
    const b = await KafkaConnection.connect(n.host, n.port);
    const k = await KafkaConnection.connect(ep.host, ep.port);
    try {
      const onBroker = await b.request(Fetch, 16, fetchOf(METADATA_TOPIC_ID));
      assert.equal(onBroker.responses[0].partitions[0].errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
      const onController = await k.request(Fetch, 16, fetchOf('7'.repeat(32)));
      assert.equal(onController.errorCode, ErrorCode.INVALID_REQUEST);
    } finally {
      b.close();
      k.close();
    }
  });

  test('replication goes over the broker listeners: acks=all with three replicas, read back by kcat', async () => {
    assert.equal(await createTopic(tc, 'replicated', { replicationFactor: 3 }), ErrorCode.NONE);
    const r = await until('an acks=all produce', async () => {
      const leader = await leaderOf(tc, 'replicated');
      if (leader < 0) return null;
      const p = await produceTo(tc, leader, 'replicated', 0, buildBatch([{ value: 'one' }, { value: 'two' }]));
      return p && p.errorCode === ErrorCode.NONE ? p : null;
    });
    assert.equal(r.baseOffset, 0);
    assert.deepEqual(await kcatConsume(tc, 'replicated'), ['one', 'two']);
  });
});

/** An IPv4 address of this machine that is not loopback, if it has one. */
function outwardAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('samsa cluster --host off loopback', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-remote-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('is refused without --allow-remote, and a wildcard cannot be advertised', async () => {
    const plain = startCli(['cluster', '--nodes', '1', '--host', '0.0.0.0', '--data-dir', dataDir]);
    await until('exit', async () => plain.child.exitCode !== null, 30000);
    assert.equal(plain.child.exitCode, 2);
    assert.match(plain.output(), /not a loopback address.*no authentication.*--allow-remote/);
    // With SASL the refusal names what is still exposed: the traffic, not the login.
    const sasl = startCli(['cluster', '--nodes', '1', '--host', '0.0.0.0', '--security', 'sasl', '--data-dir', dataDir]);
    await until('exit', async () => sasl.child.exitCode !== null, 30000);
    assert.equal(sasl.child.exitCode, 2);
    const refusal = sasl.output().split('\n')[0]; // the usage text follows it
    assert.match(refusal, /not a loopback address: clients must log in \(SASL PLAIN or SCRAM\) but nothing is encrypted \(no TLS\).*--allow-remote/);
    assert.doesNotMatch(refusal, /no authentication/);
    const wild = startCli(['cluster', '--nodes', '1', '--host', '0.0.0.0', '--allow-remote', '--data-dir', dataDir]);
    await until('exit', async () => wild.child.exitCode !== null, 30000);
    assert.equal(wild.child.exitCode, 2);
    assert.match(wild.output(), /--advertised-host/);
    assert.ok(!fs.existsSync(path.join(dataDir, 'logs')), 'no node was started');
  });

  const address = outwardAddress();
  test(
    'with --allow-remote it warns; Kafka ports face the network, controller ports stay on loopback',
    { skip: !address && 'no non-loopback IPv4 interface' },
    async () => {
      const base = await freePortBlock(3, '0.0.0.0');
      const cli = startCli([
        'cluster',
        '--nodes',
        '3',
        '--port',
        String(base),
        '--host',
        address!,
        '--allow-remote',
        '--data-dir',
        dataDir,
      ]);
      try {
        await cli.waitFor(/cluster ready/);
        assert.match(cli.output(), /WARNING: the Kafka ports listen on .* no authentication/);
        assert.match(cli.output(), new RegExp(`bootstrap.servers=${address}:${base},`));
        const eps = await controllerEndpoints(address!, base);
        assert.equal(eps.length, 3);
        for (const e of eps) {
          assert.equal(e.host, '127.0.0.1');
          assert.equal(await reachable('127.0.0.1', e.port), true);
          assert.equal(await reachable(address!, e.port), false, `controller port ${e.port} on ${address}`);
        }
        assert.equal(await reachable(address!, base), true);
        const log = fs.readFileSync(path.join(dataDir, 'logs', 'node-1.log'), 'utf8');
        assert.match(log, /WARNING: listening on .* no authentication/);
      } finally {
        await cli.stop();
        await sleep(100);
      }
    },
  );
});
