// `samsa node ...` end to end: a real `samsa cluster` (3 node processes) driven only through the
// CLI while confluent-kafka produces acks=all to an RF 3, min.insync.replicas=2 topic all along:
// kill -9 of the partition leader (shown dead, leadership moves), restart, pause/resume, stop and
// restart, add a node, a refused and then a successful remove. Every acknowledged message is
// read back afterwards (nothing lost), the event history tells the story in order, clear errors
// come back for bad ids and states, and kill -9 of the supervisor leaves no node process behind.

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
import { sleep, until } from '../testing/wait.ts';
import { freePortBlock } from '../testing/ports.ts';

const py = kafkaPython();
const here = import.meta.dirname;

interface Row {
  id: number;
  pid: number;
  state: string;
  port: number;
  leaders: string;
  partitions: string;
  role: string;
}

const LINE = /^node (\d+) pid (-?\d+) (\w+) listening [\d.]+:(\d+) leaders (\S+) partitions (\S+) role (\w+)/;

function rows(stdout: string): Map<number, Row> {
  const out = new Map<number, Row>();
  for (const l of stdout.split('\n')) {
    const m = LINE.exec(l);
    if (m) out.set(Number(m[1]), { id: +m[1], pid: +m[2], state: m[3], port: +m[4], leaders: m[5], partitions: m[6], role: m[7] });
  }
  return out;
}

async function partitionsOf(port: number, topic: string) {
  let c: KafkaConnection | undefined;
  try {
    c = await KafkaConnection.connect('127.0.0.1', port, 'test', 2000);
    const md = await c.request(Metadata, 12, { topics: [{ topicId: undefined, name: topic }], allowAutoTopicCreation: false }, 3000);
    return md.topics[0]?.errorCode === 0 ? md.topics[0].partitions : null;
  } catch {
    return null;
  } finally {
    c?.close();
  }
}

const ADMIN = `
import sys
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
op, name = sys.argv[2], sys.argv[3]
if op == "create":
    parts, rf = int(sys.argv[4]), int(sys.argv[5])
    a.create_topics([NewTopic(name, parts, rf, config={"min.insync.replicas": "2"})])[name].result(30)
else:
    a.delete_topics([name])[name].result(30)
`;

test(
  'samsa node kill/pause/resume/stop/restart/add/remove on a running cluster while acks=all producing loses nothing',
  { timeout: 400_000, skip: (!py && 'python3 with confluent_kafka not installed') || (!hasCommand('kcat') && 'kcat not installed') },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-node-cli-'));
    const base = await freePortBlock(4); // + a spare port for `add`
    const cli = startCli(['cluster', '--nodes', '3', '--port', String(base), '--data-dir', dataDir]);
    let pids: number[] = [];
    try {
      await cli.waitFor(/cluster ready/);
      const bootstrap = (await cli.waitFor(/bootstrap\.servers=(\S+)/))[1];
      const node = (...args: string[]) => samsa(['node', ...args, '--data-dir', dataDir]);
      const ok = async (...args: string[]) => {
        const r = await node(...args);
        assert.equal(r.code, 0, `samsa node ${args.join(' ')}: ${r.stdout}${r.stderr}`);
        return r.stdout;
      };
      const list = async () => rows(await ok('list'));
      const admin = async (...args: string[]) => {
        const r = await run(py!, ['-c', ADMIN, bootstrap, ...args], { timeoutMs: 60_000 });
        assert.equal(r.code, 0, r.stderr);
      };
      const fullIsr = (topic: string, replicas = 3) =>
        until(
          `${topic}: every partition with ${replicas} in-sync replicas`,
          async () => {
            const ps = await partitionsOf(base, topic);
            return ps && ps.length > 0 && ps.every((p) => p.leaderId > 0 && p.isrNodes.length === replicas) && ps;
          },
          60_000,
        );

      const first = await list();
      assert.deepEqual([...first.values()].map((r) => [r.id, r.state, r.role]), [
        [1, 'running', 'voter'],
        [2, 'running', 'voter'],
        [3, 'running', 'voter'],
      ]);
      pids = [...first.values()].map((r) => r.pid);

      await admin('create', 'ctl', '3', '3');
      await fullIsr('ctl');
      const producer = spawn(py!, [path.join(here, '../testing/clients/acked_producer.py'), bootstrap, 'ctl', 'stdin', '300']);
      let acked = '';
      let producerErr = '';
      producer.stdout.on('data', (d) => (acked += d));
      producer.stderr.on('data', (d) => (producerErr += d));
      const producerDone = new Promise<void>((r) => producer.on('close', () => r()));
      const ackedCount = () => acked.split('\n').filter(Boolean).length;
      const progresses = async (what: string) => {
        const before = ackedCount();
        await until(`acknowledgements after ${what}`, async () => ackedCount() > before + 20, 60_000);
      };
      await progresses('the start');

      // kill -9 of partition 0's leader: shown dead, another replica leads, the restart rejoins.
      const leader = (await fullIsr('ctl'))[0].leaderId;
      const killed = rows(await ok('kill', String(leader))).get(leader)!;
      assert.equal(killed.state, 'dead');
      assert.equal(processAlive(killed.pid), false, 'the killed process is gone');
      assert.equal((await list()).get(leader)!.state, 'dead');
      const newLeader = await until('a new leader for ctl-0', async () => {
        const l = (await partitionsOf(base + (leader === 1 ? 1 : 0), 'ctl'))?.[0].leaderId;
        return l && l > 0 && l !== leader && l;
      });
      assert.notEqual(newLeader, leader);
      await progresses('the kill');
      const restarted = rows(await ok('restart', String(leader))).get(leader)!;
      assert.equal(restarted.state, 'running');
      assert.notEqual(restarted.pid, killed.pid);
      await fullIsr('ctl');
      assert.match(cli.output(), new RegExp(`node ${leader} killed \\(SIGKILL\\)\\nnode ${leader} pid ${restarted.pid} listening`));

      // pause/resume a follower, with the errors a user gets for doing it twice.
      const follower = [1, 2, 3].find((id) => id !== newLeader)!;
      assert.equal(rows(await ok('pause', String(follower))).get(follower)!.state, 'paused');
      const twice = await node('pause', String(follower));
      assert.equal(twice.code, 1);
      assert.equal(twice.stderr.trim(), `samsa: node ${follower} is already paused`);
      assert.equal((await list()).get(follower)!.state, 'paused');
      await progresses('the pause');
      assert.equal(rows(await ok('resume', String(follower))).get(follower)!.state, 'running');
      const notPaused = await node('resume', String(follower));
      assert.equal(notPaused.code, 1);
      assert.match(notPaused.stderr, new RegExp(`node ${follower} is not paused \\(it is running\\)`));
      await fullIsr('ctl');

      // graceful stop: "stopped", not "dead"; restart brings it back.
      assert.equal(rows(await ok('stop', String(follower))).get(follower)!.state, 'stopped');
      assert.equal((await list()).get(follower)!.state, 'stopped');
      const stoppedTwice = await node('stop', String(follower));
      assert.equal(stoppedTwice.stderr.trim(), `samsa: node ${follower} is already stopped`);
      await progresses('the stop');
      await ok('restart', String(follower));
      await fullIsr('ctl');

      // add node 4 (an observer), place a replica on it, see remove refused, then allowed.
      const added = rows(await ok('add')).get(4)!;
      assert.deepEqual([added.state, added.role, added.port], ['running', 'observer', base + 3]);
      await admin('create', 'on4', '4', '2');
      await fullIsr('on4', 2);
      const refused = await node('remove', '4');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^samsa: node 4 hosts replicas of \d+ partitions? \(on4-\d/);
      assert.match(refused.stderr, /needs partition reassignment/);
      assert.equal((await list()).get(4)!.state, 'running', 'a refused remove leaves the node alone');
      const voter = await node('remove', '2');
      assert.equal(voter.code, 1);
      assert.match(voter.stderr, /node 2 is a voter of the metadata quorum/);
      await admin('delete', 'on4');
      await until('on4 deleted', async () => (await partitionsOf(base, 'on4')) === null);
      assert.equal((await ok('remove', '4')).trim(), 'node 4 removed');
      assert.equal(processAlive(added.pid), false);
      assert.deepEqual([...(await list()).keys()], [1, 2, 3]);
      assert.equal(fs.existsSync(path.join(dataDir, 'node-4')), false);
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dataDir, 'cluster.json'), 'utf8')).removed, [4]);

      const missing = await node('kill', '4');
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim(), 'samsa: node 4 does not exist');
      const usage = await node('kill', 'two');
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /node id must be a positive integer, got two/);

      // leaders and partitions: ctl has 3 partitions on 3 nodes, __consumer_offsets may add more.
      const final = await list();
      for (const r of final.values()) assert.ok(Number(r.partitions) >= 3, `node ${r.id} hosts ctl: ${r.partitions}`);
      const leadersTotal = [...final.values()].reduce((s, r) => s + Number(r.leaders), 0);
      assert.ok(leadersTotal >= 3, `leaders ${leadersTotal}`);

      await progresses('the remove');
      producer.stdin.end();
      await producerDone;
      const ackedSet = new Set(acked.split('\n').filter(Boolean));
      assert.ok(ackedSet.size > 100, `acknowledged ${ackedSet.size}; ${producerErr}`);
      const consumed = await run('kcat', ['-b', bootstrap, '-C', '-t', 'ctl', '-o', 'beginning', '-e', '-q'], { timeoutMs: 60_000 });
      assert.equal(consumed.code, 0, consumed.stderr);
      const got = new Set(consumed.stdout.split('\n').filter(Boolean));
      const lost = [...ackedSet].filter((v) => !got.has(v));
      assert.deepEqual(lost.slice(0, 10), [], `${lost.length} of ${ackedSet.size} acknowledged messages lost`);

      // The event history, in order, with exit signals and codes.
      const events = (await ok('events')).split('\n').filter(Boolean).map((l) => l.replace(/^\S+ /, '').replace(/ pid \d+/, ''));
      const story = [
        `node ${leader} killed signal SIGKILL`,
        `node ${leader} started`,
        `node ${follower} paused`,
        `node ${follower} resumed`,
        `node ${follower} stopped code 0`,
        `node ${follower} started`,
        'node 4 added',
        'node 4 started',
        'node 4 stopped code 0',
        'node 4 removed',
      ];
      let at = 0;
      for (const e of story) {
        at = events.indexOf(e, at);
        assert.ok(at >= 0, `event "${e}" in order in:\n${events.join('\n')}`);
      }

      // kill -9 of the supervisor: every node notices its IPC channel close and exits.
      pids = [...final.values()].map((r) => r.pid);
      cli.child.kill('SIGKILL');
      await until('every node process gone after the supervisor died', async () => pids.every((p) => !processAlive(p)), 30_000);
      const gone = await node('list');
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr.trim(), `samsa: no cluster is running on ${dataDir}`);
    } finally {
      await cli.stop();
      await sleep(100);
      for (const p of pids) if (processAlive(p)) process.kill(p, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
