// `samsa demo` as a user runs it: a child process against a real 3-node cluster, one line a
// second while it writes; Ctrl-C (SIGINT) stops it, exit 0, and its final total is what a
// separate client (kafkajs) finds in the topic. Bad arguments exit 2 with the reason, and a
// bootstrap that is not on this machine is refused without --allow-remote.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startTestCluster, type TestCluster } from '../broker/testing/cluster.ts';
import { until } from '../broker/testing/wait.ts';

const SAMSA = resolve(import.meta.dirname, '../bin/samsa.js');
let tc: TestCluster;

before(async () => {
  tc = await startTestCluster({ nodes: 3 });
});
after(async () => {
  await tc?.stop();
});

test(
  'samsa demo bank-accounts --rate 30: writes until Ctrl-C, then stops cleanly with every message in the topic',
  { timeout: 90_000 },
  async () => {
    const child = spawn(
      process.execPath,
      [SAMSA, 'demo', 'bank-accounts', '--rate', '30', '--bootstrap', tc.bootstrap],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await until(
        'a line showing sent > 0/s',
        async () => /bank-accounts sent [1-9][\d.]*\/s consumed [\d.]+\/s errors 0 total \d+ · \d+ accounts/.test(out),
        40_000,
      );
      assert.match(
        out,
        /writing 30 msg\/s to demo\.bank-accounts .* group demo\.bank-accounts\.balances reading it; Ctrl-C stops it/,
      );
      child.kill('SIGINT');
      assert.equal(await exited, 0, out);
    } finally {
      child.kill('SIGKILL');
    }
    const total = Number(/stopped: bank-accounts sent 0\.0\/s consumed [\d.]+\/s errors 0 total (\d+)/.exec(out)?.[1]);
    assert.ok(total > 0, out);
    const admin = new Kafka({
      brokers: tc.bootstrap.split(','),
      clientId: 'demo-cli-test',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets('demo.bank-accounts');
      assert.equal(
        ends.reduce((s, p) => s + Number(p.high), 0),
        total,
      );
      const [g] = (await admin.describeGroups(['demo.bank-accounts.balances'])).groups;
      assert.equal(g.state, 'Empty');
    } finally {
      await admin.disconnect();
    }
  },
);

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
