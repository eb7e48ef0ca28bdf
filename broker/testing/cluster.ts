// Test fixture: a real cluster of node processes on free ports in a temp dir, always stopped and
// removed afterwards (kept, with the nodes' logs in <dir>/logs, when SAMSA_KEEP_TEST_DIR is set:
// for looping a flaky test and reading what the nodes did). Tests use it with real clients
// (kcat, Python, kafkajs, @platformatic/kafka).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KafkaConnection } from '../client/connection.ts';
import { CreateTopics } from '../protocol/messages/create-topics.ts';
import { DeleteRecords } from '../protocol/messages/delete-records.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { Produce } from '../protocol/messages/produce.ts';
import { freePortBlock } from './ports.ts';
import { run } from './run.ts';
import { startCluster, type Cluster } from '../supervisor/supervisor.ts';
import type { SecurityMode } from '../security/security-mode.ts';

export interface TestCluster {
  cluster: Cluster;
  bootstrap: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `spare`: free ports kept after the nodes' for nodes the test adds later (Cluster.addNode). */
export async function startTestCluster(
  opts: { nodes?: number; nodeArgs?: string[]; dataDir?: string; spare?: number; security?: SecurityMode } = {},
): Promise<TestCluster> {
  const nodes = opts.nodes ?? 1;
  const start = async (dataDir: string) => {
    const base = await freePortBlock(nodes + (opts.spare ?? 0));
    return startCluster({ nodes, basePort: base, dataDir, nodeArgs: opts.nodeArgs, security: opts.security });
  };
  let dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-test-'));
  // A caller's data dir that starts empty can be emptied again for the retry.
  const fresh = !opts.dataDir || !fs.existsSync(opts.dataDir) || fs.readdirSync(opts.dataDir).length === 0;
  let cluster: Cluster;
  try {
    cluster = await start(dataDir);
  } catch (e) {
    // A fresh cluster that never became ready (seen rarely on a loaded CI machine, cause not yet
    // found): print each node's log tail so the failure can be diagnosed, then try once more on
    // fresh ports and a fresh (or emptied) data dir. A second failure fails the test.
    // Also retried: a port taken by another process between the free-check and the node's bind
    // (test files and other runs start clusters side by side).
    const portLost = () =>
      Array.from({ length: nodes }, (_, i) => path.join(dataDir, 'logs', `node-${i + 1}.log`)).some(
        (log) => fs.existsSync(log) && /EADDRINUSE/.test(fs.readFileSync(log, 'utf8')),
      );
    if (!fresh || !(/did not answer Metadata/.test((e as Error).message) || portLost())) throw e;
    console.log(`# test cluster start failed (${(e as Error).message}); node log tails follow, then one retry`);
    for (let id = 1; id <= nodes; id++) {
      const log = path.join(dataDir, 'logs', `node-${id}.log`);
      if (fs.existsSync(log)) for (const line of fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15)) console.log(`# node ${id}: ${line}`);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (opts.dataDir) fs.mkdirSync(dataDir, { recursive: true });
    else dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-test-'));
    cluster = await start(dataDir);
  }
  return {
    cluster,
    bootstrap: cluster.bootstrap,
    dataDir,
    async stop() {
      await cluster.stop();
      if (!opts.dataDir && !process.env.SAMSA_KEEP_TEST_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The python3 that has Debian's Kafka clients (confluent_kafka and kafka-python), or null. */
export function kafkaPython(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    try {
      const r = spawnSync(p, ['-c', 'import confluent_kafka, kafka'], { stdio: 'ignore' });
      if (r.status === 0) return p;
    } catch {
      /* try the next one */
    }
  }
  return null;
}

/** Runs fn on a fresh connection to node `id`; null when the node cannot be reached or a request fails (an assertion failing in fn is thrown). */
export async function withConn<T>(tc: TestCluster, id: number, fn: (c: KafkaConnection) => Promise<T>): Promise<T | null> {
  const n = tc.cluster.nodes.find((x) => x.id === id)!;
  let c: KafkaConnection | undefined;
  try {
    c = await KafkaConnection.connect(n.host, n.port, 'test', 1000, tc.cluster.auth, tc.cluster.trust);
    return await fn(c);
  } catch (e) {
    // A node that does not answer is null (callers poll with until()); a failed assertion inside fn is the test's failure.
    if (e instanceof assert.AssertionError) throw e;
    return null;
  } finally {
    c?.close();
  }
}

/** Metadata of every topic as node `id` sees it (our own client: no client-side caching). */
export const metadataOf = (tc: TestCluster, id: number) =>
  withConn(tc, id, (c) => c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, 4000));

/** The leader of a partition as node `via` (default: the first node up) sees it; -1 while there is none. */
export async function leaderOf(tc: TestCluster, topic: string, partition = 0, via?: number): Promise<number> {
  const ids = via !== undefined ? [via] : tc.cluster.nodes.filter((n) => n.state === 'running').map((n) => n.id);
  for (const id of ids) {
    const md = await metadataOf(tc, id);
    const leader = md?.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition)?.leaderId;
    if (leader !== undefined) return leader;
  }
  return -1;
}

/** DeleteRecords below `offset` through the partition's leader: its error code and low watermark. */
export async function deleteRecords(tc: TestCluster, topic: string, partition: number, offset: number, timeoutMs = 10000) {
  const leader = await leaderOf(tc, topic, partition);
  const res = await withConn(tc, leader, (c) =>
    c.request(
      DeleteRecords,
      2,
      { topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset }] }], timeoutMs },
      timeoutMs + 5000,
    ),
  );
  const p = res?.topics[0].partitions[0];
  return { errorCode: p?.errorCode ?? -1, lowWatermark: p?.lowWatermark ?? -1 };
}

/** CreateTopics through node `via` (with `assignment`: replicas per partition, the first one preferred leader); resolves with the topic's error code (-1 if the node cannot be reached). */
export async function createTopic(
  tc: TestCluster,
  name: string,
  opts: { via?: number; partitions?: number; replicationFactor?: number; configs?: Record<string, string>; assignment?: number[][] } = {},
): Promise<number> {
  const assigned = !!opts.assignment;
  const res = await withConn(tc, opts.via ?? 1, (c) =>
    c.request(
      CreateTopics,
      7,
      {
        topics: [
          {
            name,
            numPartitions: assigned ? -1 : (opts.partitions ?? 1),
            replicationFactor: assigned ? -1 : (opts.replicationFactor ?? 3),
            assignments: (opts.assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
            configs: Object.entries(opts.configs ?? {}).map(([k, v]) => ({ name: k, value: v })),
          },
        ],
        timeoutMs: 10000,
        validateOnly: false,
      },
      15000,
    ),
  );
  return res?.topics[0].errorCode ?? -1;
}

/** One Produce of `records` (whole batches) to a partition through node `via`: its partition response, null if unreachable. */
export async function produceTo(
  tc: TestCluster,
  via: number,
  topic: string,
  partition: number,
  records: Buffer,
  opts: { acks?: number; timeoutMs?: number } = {},
) {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const res = await withConn(tc, via, (c) =>
    c.request(
      Produce,
      9,
      { acks: opts.acks ?? -1, timeoutMs, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] },
      timeoutMs + 5000,
    ),
  );
  return res?.responses[0].partitionResponses[0] ?? null;
}

export interface PartitionView {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerId: number;
}

/** Partition 0 of a topic as node `via` sees it (our own client, so no client-side caching); null if unreachable. */
export async function partitionView(tc: TestCluster, via: number, topic: string): Promise<PartitionView | null> {
  const md = await withConn(tc, via, (c) =>
    c.request(Metadata, 12, { topics: [{ name: topic, topicId: '0'.repeat(32) }], allowAutoTopicCreation: false }, 2000),
  );
  const p = md?.topics[0]?.partitions[0];
  if (!md || !p) return null;
  return { leader: p.leaderId, leaderEpoch: p.leaderEpoch, isr: [...p.isrNodes].sort(), controllerId: md.controllerId };
}

/** Every record of a topic from the beginning through kcat (librdkafka), one line each in `format`. */
export async function kcatConsume(tc: TestCluster, topic: string, format = '%s\n'): Promise<string[]> {
  const r = await run('kcat', ['-b', tc.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format], {
    timeoutMs: 30000,
  });
  if (r.code !== 0) throw new Error(`kcat exited with ${r.code}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}
