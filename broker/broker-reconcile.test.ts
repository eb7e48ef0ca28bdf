// Broker.reconcile on the default 3-node cluster (issue 15). A topic of 2 000 partitions with
// three replicas makes every node open 2 000 logs: reconcile opens them in slices that yield to
// the event loop, so every node keeps heartbeating the controller (broker session 1 s) and no
// node is fenced, where one synchronous pass took seconds and got nodes fenced. A node reports
// the topic's creation applied only once its partitions are open, so the topic is shown only
// then: a produce to a partition of each leader works as soon as Metadata lists them. A topic
// deleted and created again under its name starts empty, with its new partition count.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiVersions } from './protocol/messages/api-versions.ts';
import { ErrorCode } from './protocol/errors.ts';
import { buildBatch } from './protocol/record-batch.ts';
import { createTopic, metadataOf, produceTo, startTestCluster, withConn, type TestCluster } from './testing/cluster.ts';
import { until } from './testing/wait.ts';
import { KafkaConnection } from './client/connection.ts';
import { DeleteTopics } from './protocol/messages/delete-topics.ts';

let tc: TestCluster;
before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

const fencings = (id: number) =>
  fs
    .readFileSync(tc.cluster.node(id).logFile, 'utf8')
    .split('\n')
    .filter((l) => /controller: fencing broker \d+/.test(l));

test('a 2000-partition topic fences no node, and each leader takes a produce as soon as it is shown', async () => {
  const before = tc.cluster.nodes.map((n) => fencings(n.id).length);
  // Each node's answer time to ApiVersions while the topic is created (how long its loop stalls).
  const conns = await Promise.all(tc.cluster.nodes.map((n) => KafkaConnection.connect(n.host, n.port, 'probe')));
  const worst = conns.map(() => 0);
  let probing = true;
  const probes = conns.map(async (c, i) => {
    while (probing) {
      const t = performance.now();
      await c.request(ApiVersions, 3, { clientSoftwareName: 'probe', clientSoftwareVersion: '1' }, 30000);
      worst[i] = Math.max(worst[i], performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  let shown: Map<number, number>;
  try {
    // Its answer may be REQUEST_TIMED_OUT (10 s) or none within the client's 15 s on a loaded
    // machine: the topic exists either way, and is shown below once every node has it.
    const code = await createTopic(tc, 'wide', { partitions: 2000, replicationFactor: 3 });
    assert.ok(
      code === ErrorCode.NONE || code === ErrorCode.REQUEST_TIMED_OUT || code === -1,
      `CreateTopics: error ${code}`,
    );
    shown = await until(
      'every partition shown with a leader',
      async () => {
        const ps = (await metadataOf(tc, 1))?.topics.find((t) => t.name === 'wide')?.partitions ?? [];
        return (
          ps.length === 2000 &&
          ps.every((p) => p.leaderId > 0) &&
          new Map(ps.map((p) => [p.leaderId, p.partitionIndex]))
        );
      },
      120_000,
    );
  } finally {
    probing = false;
    await Promise.all(probes);
    for (const c of conns) c.close();
  }
  console.log(
    `slowest ApiVersions answer per node while creating: ${worst.map((ms) => `${Math.round(ms)} ms`).join(', ')}`,
  );
  // Shown means open and led: the first produce to a partition of each leader is taken.
  for (const [leader, partition] of shown) {
    const r = await produceTo(tc, leader, 'wide', partition, buildBatch([{ value: 'v' }]), { acks: 1 });
    assert.equal(r?.errorCode, ErrorCode.NONE, `produce to wide-${partition} on node ${leader}: ${JSON.stringify(r)}`);
  }
  const after = tc.cluster.nodes.map((n) => fencings(n.id).length);
  assert.deepEqual(
    after,
    before,
    `fencings while creating: ${tc.cluster.nodes.flatMap((n) => fencings(n.id)).join(' | ')}`,
  );
});

test('a topic deleted and created again starts empty, with its new partition count', async () => {
  assert.equal(await createTopic(tc, 'again', { partitions: 3, replicationFactor: 3 }), ErrorCode.NONE);
  const leader0 = async () =>
    until(
      'a leader of again-0',
      async () =>
        (await metadataOf(tc, 1))?.topics
          .find((t) => t.name === 'again')
          ?.partitions.find((p) => p.partitionIndex === 0)?.leaderId,
    );
  const first = await produceTo(tc, await leader0(), 'again', 0, buildBatch([{ value: 'a' }, { value: 'b' }]));
  assert.equal(first?.errorCode, ErrorCode.NONE);
  const del = await withConn(tc, 1, (c) =>
    c.request(DeleteTopics, 5, { topicNames: ['again'], timeoutMs: 10000 }, 15000),
  );
  assert.equal(del?.responses[0].errorCode, ErrorCode.NONE);
  assert.equal(await createTopic(tc, 'again', { partitions: 1, replicationFactor: 3 }), ErrorCode.NONE);
  for (const n of tc.cluster.nodes) {
    const t = (await metadataOf(tc, n.id))?.topics.find((x) => x.name === 'again');
    assert.equal(t?.partitions.length, 1, `node ${n.id} shows again with ${t?.partitions.length} partitions`);
  }
  const r = await produceTo(tc, await leader0(), 'again', 0, buildBatch([{ value: 'c' }]));
  assert.equal(r?.errorCode, ErrorCode.NONE);
  assert.equal(Number(r?.baseOffset), 0, 'the new again-0 starts at offset 0: the old log is gone');
  // No node keeps a log of the old partitions 1 and 2.
  for (const n of tc.cluster.nodes) {
    const dirs = fs.readdirSync(path.join(tc.dataDir, `node-${n.id}`)).filter((d) => /^again-\d+$/.test(d));
    assert.deepEqual(dirs, ['again-0'], `node ${n.id} keeps ${dirs.join(', ')}`);
  }
});
