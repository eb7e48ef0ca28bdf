// `samsa demo` as a user runs it: a child process against a real 3-node cluster, one line a
// second while it writes; Ctrl-C (SIGINT) stops it, exit 0, and its final total is what a
// separate client (kafkajs) finds in the topic. Bad arguments exit 2 with the reason, and a
// bootstrap that is not on this machine is refused without --allow-remote. The pipeline: its
// sink stage writes rows, and stopped, raw, enriched and sink each hold every event. `samsa help`
// names every workload of the registry.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startTestCluster, type TestCluster } from '../broker/testing/cluster.ts';
import { until } from '../broker/testing/wait.ts';
import { WORKLOADS } from './server/workloads/index.ts';

const SAMSA = resolve(import.meta.dirname, '../bin/samsa.js');
let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

/** Runs `samsa demo ...args` until its output matches `running`, then Ctrl-C (SIGINT): its output, once it exited 0. */
async function demoUntilSigint(args: string[], running: RegExp, label: string): Promise<string> {
  const child = spawn(process.execPath, [SAMSA, 'demo', ...args, '--bootstrap', tc.bootstrap], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await until(label, async () => running.test(out), 40_000);
    child.kill('SIGINT');
    assert.equal(await exited, 0, out);
    return out;
  } finally {
    child.kill('SIGKILL');
  }
}

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({
    brokers: tc.bootstrap.split(','),
    clientId: 'demo-cli-test',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
const topicTotal = async (admin: Admin, topic: string) =>
  (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);

test(
  'samsa demo bank-accounts --rate 30: writes until Ctrl-C, then stops cleanly with every message in the topic',
  { timeout: 90_000 },
  async () => {
    const out = await demoUntilSigint(
      ['bank-accounts', '--rate', '30'],
      /bank-accounts sent [1-9][\d.]*\/s consumed [\d.]+\/s errors 0 total \d+ · \d+ accounts/,
      'a line showing sent > 0/s',
    );
    assert.match(
      out,
      /writing 30 msg\/s to demo\.bank-accounts .* group demo\.bank-accounts\.balances reading it; Ctrl-C stops it/,
    );
    const total = Number(/stopped: bank-accounts sent 0\.0\/s consumed [\d.]+\/s errors 0 total (\d+)/.exec(out)?.[1]);
    assert.ok(total > 0, out);
    await withAdmin(async (admin) => {
      assert.equal(await topicTotal(admin, 'demo.bank-accounts'), total);
      const [g] = (await admin.describeGroups(['demo.bank-accounts.balances'])).groups;
      assert.equal(g.state, 'Empty');
    });
  },
);

test(
  'samsa demo pipeline --rate 20: the sink stage writes rows until Ctrl-C; stopped, the sink topic has a row for every event',
  { timeout: 90_000 },
  async () => {
    const out = await demoUntilSigint(
      ['pipeline', '--rate', '20'],
      /pipeline sent [1-9][\d.]*\/s .* · sink: [1-9]\d* rows written/,
      'a line with sink rows > 0',
    );
    assert.match(
      out,
      /pipeline: writing 20 msg\/s to demo\.pipeline\.raw .* group demo\.pipeline\.enrich reading it; Ctrl-C stops it/,
    );
    const stopped =
      /stopped: pipeline sent 0\.0\/s consumed [\d.]+\/s errors 0 total (\d+) · enrich: (\d+) events enriched .* · sink: (\d+) rows written/.exec(
        out,
      );
    assert.ok(stopped, out);
    const [total, enriched, rows] = stopped.slice(1).map(Number);
    assert.ok(total > 0, out);
    assert.deepEqual([enriched, rows], [total, total], out);
    await withAdmin(async (admin) => {
      assert.equal(await topicTotal(admin, 'demo.pipeline.raw'), total);
      assert.equal(await topicTotal(admin, 'demo.pipeline.enriched'), total);
      assert.equal(await topicTotal(admin, 'demo.pipeline.sink'), total);
      const groups = (await admin.describeGroups(['demo.pipeline.enrich', 'demo.pipeline.sink'])).groups;
      assert.deepEqual(
        groups.map((g) => g.state),
        ['Empty', 'Empty'],
      );
    });
  },
);

test('samsa help lists every demo workload the console runs', () => {
  const help = spawnSync(process.execPath, [SAMSA, 'help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, new RegExp(`NAME: ${Object.keys(WORKLOADS).join('\\|')}\n`));
});

test('samsa demo refuses a bad rate, an unknown name and a remote bootstrap without --allow-remote', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [SAMSA, 'demo', ...args], { encoding: 'utf8', timeout: 30_000 });
  const rate = run('clickstream', '--rate', '5000', '--bootstrap', tc.bootstrap);
  assert.equal(rate.status, 2);
  assert.match(rate.stderr, /--rate: .*at most 1000 messages per second/);
  const name = run('nope');
  assert.equal(name.status, 2);
  assert.match(name.stderr, /demo needs a workload name: clickstream, service-logs, bank-accounts/);
  const remote = run('clickstream', '--bootstrap', '10.255.255.1:9092');
  assert.equal(remote.status, 2);
  assert.match(remote.stderr, /10\.255\.255\.1:9092 is not on this machine: add --allow-remote/);
});
