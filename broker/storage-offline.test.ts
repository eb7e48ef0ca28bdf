// A full disk under a partition leader (issue 13 item 8), on the default 3-node cluster with
// real node processes and real clients: node 2's directory of partition hot-0 is a 64 KiB
// tmpfs (root only; skipped, saying why, where mount is not allowed; always unmounted).
// confluent-kafka produces acks=all to hot-0 (RF 3, min.insync.replicas 2, led by node 2) until
// that tmpfs is full: node 2 answers KAFKA_STORAGE_ERROR, which librdkafka retries; its log dir
// goes offline, the controller moves the leadership to an in-sync replica and drops node 2 from
// the ISR, and production carries on. Every acknowledged message is consumed afterwards. Node 2
// keeps answering Metadata (its replicas listed as offline) and serves Fetch of partition solo-0
// (RF 1 on node 2, written before), which refuses writes with KAFKA_STORAGE_ERROR. A restart
// (disk replaced) brings the replica back into the ISR. The offline dir is counted in
// kafka_log_logmanager_offlinelogdirectorycount meanwhile.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorCode } from './protocol/errors.ts';
import { buildBatch } from './protocol/record-batch.ts';
import { ackedProducer } from './testing/acked-producer.ts';
import { createTopic, kafkaPython, kcatConsume, metadataOf, produceTo, startTestCluster } from './testing/cluster.ts';
import { scrapeParsed, sumOf } from './testing/prometheus.ts';
import { hasCommand } from './testing/run.ts';
import { mountTmpfs } from './testing/tmpfs.ts';
import { until } from './testing/wait.ts';

const py = kafkaPython();
const probe = mountTmpfs('64k');
probe.unmount();
const skip =
  probe.skip || (!py && 'Debian python3-confluent-kafka not installed') || (!hasCommand('kcat') && 'kcat not installed');

const FAILING = 2;
const OFFLINE_DIRS = 'kafka_log_logmanager_offlinelogdirectorycount';

async function offlineDirs(tc: Parameters<typeof metadataOf>[0], id: number): Promise<number> {
  return sumOf(await scrapeParsed(tc.cluster.node(id).metricsUrl!), OFFLINE_DIRS);
}

async function partitionOf(tc: Parameters<typeof metadataOf>[0], via: number, topic: string) {
  const md = await metadataOf(tc, via);
  return md?.topics.find((t) => t.name === topic)?.partitions[0] ?? null;
}

test('a leader whose disk fills up: KAFKA_STORAGE_ERROR is retried, leadership moves, nothing acknowledged is lost, the node keeps serving reads', { skip }, async () => {
  const tc = await startTestCluster({ nodes: 3 });
  const tmpfs = mountTmpfs('64k', path.join(tc.dataDir, `node-${FAILING}`, 'hot-0'));
  try {
    assert.equal(tmpfs.skip, false, String(tmpfs.skip));
    assert.equal(await createTopic(tc, 'hot', { assignment: [[FAILING, 1, 3]], configs: { 'min.insync.replicas': '2' } }), 0);
    assert.equal(await createTopic(tc, 'solo', { assignment: [[FAILING]] }), 0);
    const soloValues = ['s0', 's1', 's2'];
    const first = await produceTo(tc, FAILING, 'solo', 0, buildBatch(soloValues.map((v) => ({ value: Buffer.from(v) }))));
    assert.equal(first?.errorCode, ErrorCode.NONE);
    assert.equal((await partitionOf(tc, 1, 'hot'))?.leaderId, FAILING);

    const producer = ackedProducer(py!, tc, 'hot', false, 1000);
    let movedAt = 0;
    try {
      const moved = await until(
        'hot-0 led by another node, node 2 out of its ISR',
        async () => {
          const p = await partitionOf(tc, 1, 'hot');
          return p && p.leaderId !== FAILING && p.leaderId >= 0 && !p.isrNodes.includes(FAILING) ? p : null;
        },
        60000,
      );
      movedAt = Date.now();
      assert.ok(moved.offlineReplicas.includes(FAILING), `offline replicas ${JSON.stringify(moved.offlineReplicas)}`);
      assert.ok(producer.acks.length > 0, 'messages were acknowledged before the disk filled up');
      await until('acknowledgements after the move', async () => producer.acks.filter((a) => a.t > movedAt).length >= 300, 30000);
    } finally {
      await producer.stop();
    }
    const acked = producer.acks.map((a) => a.v);
    const consumed = new Set(await kcatConsume(tc, 'hot'));
    const lost = acked.filter((v) => !consumed.has(v));
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} of ${acked.length} acknowledged messages lost`);

    // The node survived: it answers Metadata, serves what it can read, refuses writes clearly.
    assert.equal(tc.cluster.node(FAILING).state, 'running');
    const own = await partitionOf(tc, FAILING, 'solo');
    assert.equal(own?.leaderId, FAILING, 'solo-0 has no other replica: node 2 keeps it, read-only');
    assert.ok(own?.offlineReplicas.includes(FAILING));
    assert.deepEqual(await kcatConsume(tc, 'solo'), soloValues);
    const refused = await produceTo(tc, FAILING, 'solo', 0, buildBatch([{ value: Buffer.from('late') }]));
    assert.equal(refused?.errorCode, ErrorCode.KAFKA_STORAGE_ERROR);
    assert.match(refused?.errorMessage ?? '', /log dir offline/);
    const log = fs.readFileSync(tc.cluster.node(FAILING).logFile, 'utf8');
    assert.match(log, /ENOSPC/);
    assert.match(log, /is offline until this node restarts/);
    assert.equal(await offlineDirs(tc, FAILING), 1, 'the offline log dir is counted');
    assert.equal(await offlineDirs(tc, 1), 0);

    // The disk is replaced (the tmpfs goes, an empty directory stays) and the node restarted:
    // its replica of hot-0 catches up and rejoins the ISR; solo-0 takes writes again.
    await tc.cluster.stopNode(FAILING);
    tmpfs.unmount();
    await tc.cluster.startNode(FAILING);
    await until(
      'node 2 back in the ISR of hot-0',
      async () => {
        const p = await partitionOf(tc, 1, 'hot');
        return p && p.isrNodes.includes(FAILING) && !p.offlineReplicas.includes(FAILING);
      },
      60000,
    );
    const again = await produceTo(tc, FAILING, 'solo', 0, buildBatch([{ value: Buffer.from('s3') }]));
    assert.equal(again?.errorCode, ErrorCode.NONE);
    assert.equal(await offlineDirs(tc, FAILING), 0);
  } finally {
    await tc.cluster.stop();
    tmpfs.unmount();
    await tc.stop();
  }
});
