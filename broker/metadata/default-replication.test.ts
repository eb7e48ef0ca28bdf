// default.replication.factor (issue 9 item 6): the bundled cluster gives auto-created topics
// min(3, nodes) replicas (a deviation from Kafka's 1), DescribeConfigs reports the value in
// force, and `samsa cluster --default-replication-factor N` sets it (refusing a bad value).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KafkaConnection } from '../client/connection.ts';
import { DescribeConfigs } from '../protocol/messages/describe-configs.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { freePortBlock } from '../testing/ports.ts';
import { startTestCluster, withConn, type TestCluster } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';

const SAMSA = fileURLToPath(new URL('../../bin/samsa.js', import.meta.url));
const kcat = hasCommand('kcat');

/** Produces one message with kcat through `bootstrap` (the topic is auto-created), returns the
 *  replica count of its partition as Metadata reports it. */
async function autoCreatedReplicas(bootstrap: string, host: string, port: number, topic: string): Promise<number> {
  const r = await run('kcat', ['-b', bootstrap, '-P', '-t', topic], { input: 'hello\n', timeoutMs: 30000 });
  assert.equal(r.code, 0, r.stderr);
  const c = await KafkaConnection.connect(host, port, 'test', 2000);
  try {
    const md = await c.request(Metadata, 12, { topics: [{ name: topic, topicId: '0'.repeat(32) }], allowAutoTopicCreation: false }, 5000);
    assert.equal(md.topics[0].errorCode, 0);
    return md.topics[0].partitions[0].replicaNodes.length;
  } finally {
    c.close();
  }
}

const brokerConfig = (tc: TestCluster, id: number, key: string) =>
  withConn(tc, id, async (c) => {
    const r = await c.request(
      DescribeConfigs,
      4,
      { resources: [{ resourceType: 4, resourceName: String(id), configurationKeys: [key] }], includeSynonyms: false, includeDocumentation: false },
      5000,
    );
    return r.results[0].configs[0];
  });

test('the bundled 3-node cluster auto-creates topics with 3 replicas and says so', { skip: !kcat && 'kcat not installed', timeout: 60000 }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  try {
    const n2 = tc.cluster.nodes[1];
    assert.equal(await autoCreatedReplicas(`${n2.host}:${n2.port}`, n2.host, n2.port, 'auto-rf'), 3);
    const c = await brokerConfig(tc, 2, 'default.replication.factor');
    assert.equal(c?.value, '3');
    assert.equal(c?.configSource, 4); // STATIC_BROKER_CONFIG
  } finally {
    await tc.stop();
  }
});

test('samsa cluster --default-replication-factor 2 gives auto-created topics 2 replicas; a bad value is refused', { skip: !kcat && 'kcat not installed', timeout: 90000 }, async () => {
  const bad = await run(process.execPath, [SAMSA, 'cluster', '--default-replication-factor', '4'], { timeoutMs: 30000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--default-replication-factor must be an integer from 1 to --nodes \(3\), got 4/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-rf-'));
  const port = await freePortBlock(3);
  const cli = spawn(process.execPath, [SAMSA, 'cluster', '--port', String(port), '--data-dir', dir, '--default-replication-factor', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  cli.stdout.on('data', (d) => (out += d));
  try {
    await until('cluster ready', async () => out.includes('cluster ready'), 60000);
    const boot = /bootstrap\.servers=(\S+)/.exec(out)![1];
    assert.equal(await autoCreatedReplicas(boot, '127.0.0.1', port, 'auto-rf2'), 2);
  } finally {
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
