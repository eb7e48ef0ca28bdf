// Decommission through the CLI on a real `samsa cluster` (3 voters) plus an added node 4, while
// confluent-kafka produces acks=all to topics with replicas on node 4 all along: `samsa node
// remove 4` prints its plan and progress, reassigns every replica off node 4 (each partition
// keeps its replication factor, with a full ISR without node 4), stops it and forgets it; node 4
// is gone from Metadata and every acknowledged message is read back. Refusals: a voter, and a
// partition whose RF the other nodes cannot hold.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { KafkaConnection } from '../client/connection.ts';
import { Metadata } from '../protocol/messages/metadata.ts';
import { processAlive, samsa, startCli } from '../testing/cli-process.ts';
import { kafkaPython } from '../testing/cluster.ts';
import { hasCommand, run } from '../testing/run.ts';
import { until } from '../testing/wait.ts';
import { findFreeBlock } from './ports.ts';

const py = kafkaPython();
const here = import.meta.dirname;

const ADMIN = `
import sys
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
op, name = sys.argv[2], sys.argv[3]
if op == "create":
    parts, rf = int(sys.argv[4]), int(sys.argv[5])
    a.create_topics([NewTopic(name, parts, rf, config={"min.insync.replicas": str(min(2, rf))})])[name].result(30)
else:
    a.delete_topics([name])[name].result(30)
`;

async function metadata(port: number) {
  let c: KafkaConnection | undefined;
  try {
    c = await KafkaConnection.connect('127.0.0.1', port, 'test', 2000);
    return await c.request(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, 3000);
  } catch {
    return null;
  } finally {
    c?.close();
  }
}

test(
  'samsa node remove 4 moves every replica off node 4 while acks=all producing, then node 4 is gone; voters and short RFs are refused',
  { timeout: 400_000, skip: (!py && 'python3 with confluent_kafka not installed') || (!hasCommand('kcat') && 'kcat not installed') },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-remove-'));
    const base = await findFreeBlock(20000 + Math.floor(Math.random() * 20000), 4, '127.0.0.1');
    const cli = startCli(['cluster', '--nodes', '3', '--port', String(base), '--data-dir', dataDir]);
    const producers: ReturnType<typeof spawn>[] = [];
    try {
      await cli.waitFor(/cluster ready/);
      const bootstrap = (await cli.waitFor(/bootstrap\.servers=(\S+)/))[1];
      const node = (...args: string[]) => samsa(['node', ...args, '--data-dir', dataDir], 600_000);
      // A metadata quorum election under a loaded machine answers NOT_CONTROLLER for a moment:
      // retried, as an admin tool would (a retried create may find its topic made).
      const admin = async (...args: string[]) => {
        for (let attempt = 0; ; attempt++) {
          const r = await run(py!, ['-c', ADMIN, bootstrap, ...args], { timeoutMs: 60_000 });
          if (r.code === 0 || (attempt > 0 && /TOPIC_ALREADY_EXISTS|UNKNOWN_TOPIC/.test(r.stderr))) return;
          if (attempt < 3 && /NOT_CONTROLLER/.test(r.stderr)) continue;
          assert.equal(r.code, 0, r.stderr);
        }
      };
      const settled = (topic: string, rf: number) =>
        until(
          `${topic}: every partition led, ${rf} in sync`,
          async () => {
            const t = (await metadata(base))?.topics.find((x) => x.name === topic);
            return t && t.partitions.length > 0 && t.partitions.every((p) => p.leaderId > 0 && p.isrNodes.length === rf) && t.partitions;
          },
          60_000,
        );

      assert.equal((await node('add')).code, 0);
      await until('node 4 listed in Metadata', async () => (await metadata(base))?.brokers.some((b) => b.nodeId === 4), 30_000);
      await admin('create', 'rf2', '6', '2');
      await admin('create', 'rf3', '4', '3');
      const before = [...(await settled('rf2', 2)), ...(await settled('rf3', 3))];
      const onFour = before.filter((p) => p.replicaNodes.includes(4)).length;
      assert.ok(onFour >= 4, `node 4 hosts ${onFour} of the 10 partitions`);
      assert.ok(before.some((p) => p.leaderId === 4), 'node 4 leads a partition');

      // acks=all producers on both topics for the whole removal.
      const acked: Record<string, string> = { rf2: '', rf3: '' };
      const done: Promise<void>[] = [];
      for (const topic of ['rf2', 'rf3']) {
        const p = spawn(py!, [path.join(here, '../testing/clients/acked_producer.py'), bootstrap, topic, 'stdin', '200', 'idempotent']);
        p.stdout.on('data', (d) => (acked[topic] += d));
        done.push(new Promise((r) => p.on('close', () => r())));
        producers.push(p);
      }
      const count = (topic: string) => acked[topic].split('\n').filter(Boolean).length;
      await until('both producers acknowledged', async () => count('rf2') > 20 && count('rf3') > 20, 60_000);

      // Refusals leave the node alone.
      const voter = await node('remove', '2');
      assert.equal(voter.code, 1);
      assert.match(voter.stderr, /^samsa: node 2 is a voter of the metadata quorum \(nodes 1-3\); the voter set is fixed/);
      await admin('create', 'rf4', '1', '4');
      await settled('rf4', 4);
      const short = await node('remove', '4');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /^samsa: partition rf4-0 has 4 replicas and only 3 other live brokers \(1, 2, 3\) could hold them/);
      await admin('delete', 'rf4');
      await until('rf4 deleted', async () => !(await metadata(base))?.topics.some((t) => t.name === 'rf4'));

      const pid4 = Number(/node 4 pid (\d+)/.exec((await node('list')).stdout)?.[1]);
      const removal = await node('remove', '4');
      assert.equal(removal.code, 0, removal.stdout + removal.stderr);
      const lines = removal.stdout.trim().split('\n');
      const total = Number(/^moving (\d+) partitions? off node 4 \.\.\.$/.exec(lines[0])?.[1]);
      assert.ok(total >= onFour, `plan line: ${lines[0]}`);
      assert.ok(lines.includes(`moving ${total} partitions off node 4 ... 0/${total}`), removal.stdout);
      assert.ok(lines.includes(`moving ${total} partitions off node 4 ... ${total}/${total}`), removal.stdout);
      assert.equal(lines.at(-1), 'node 4 removed');
      assert.ok(lines.filter((l) => /^ {2}rf[23]-\d+ \[.*4.*\] → \[[^4]*\]$/.test(l)).length === total, removal.stdout);

      // Every partition keeps its RF with a full ISR without node 4; node 4 is gone.
      const after = [...(await settled('rf2', 2)), ...(await settled('rf3', 3))];
      for (const p of after) {
        assert.ok(!p.replicaNodes.includes(4) && !p.isrNodes.includes(4) && p.leaderId !== 4, JSON.stringify(p));
        assert.equal(new Set(p.replicaNodes).size, p.replicaNodes.length);
      }
      // The stopped node's fencing reaches every broker's Metadata within a moment.
      await until('node 4 gone from Metadata', async () => (await metadata(base))?.brokers.map((b) => b.nodeId).sort().join() === '1,2,3', 30_000);
      assert.equal(processAlive(pid4), false, 'node 4 process stopped');
      assert.equal(fs.existsSync(path.join(dataDir, 'node-4')), false);
      assert.deepEqual([...(await node('list')).stdout.matchAll(/^node (\d+)/gm)].map((m) => m[1]), ['1', '2', '3']);

      const at = { rf2: count('rf2'), rf3: count('rf3') };
      await until('producers go on after the removal', async () => count('rf2') > at.rf2 + 20 && count('rf3') > at.rf3 + 20, 60_000);
      for (const p of producers) p.stdin!.end();
      await Promise.all(done);
      for (const topic of ['rf2', 'rf3']) {
        const ackedSet = new Set(acked[topic].split('\n').filter(Boolean));
        const consumed = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], { timeoutMs: 60_000 });
        assert.equal(consumed.code, 0, consumed.stderr);
        const got = new Set(consumed.stdout.split('\n').filter(Boolean));
        const lost = [...ackedSet].filter((v) => !got.has(v));
        assert.deepEqual(lost.slice(0, 10), [], `${topic}: ${lost.length} of ${ackedSet.size} acknowledged messages lost`);
      }
    } finally {
      for (const p of producers) p.kill('SIGKILL');
      await cli.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
