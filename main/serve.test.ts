// `samsa serve` keeps the cluster's life independent of the console's: kill -9 of the console
// server's process leaves the three nodes serving kcat (produce and consume), the supervisor
// starts the console again on the same URL with the same token, wired to the supervisor's control
// endpoint, and `samsa node list` works all along; kill -9 of the supervisor then leaves none of its processes behind.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { processAlive, samsa, startCli } from '../broker/testing/cli-process.ts';
import { hasCommand, run } from '../broker/testing/run.ts';
import { until } from '../broker/testing/wait.ts';
import { freePortBlock } from '../broker/testing/ports.ts';

async function session(origin: string, token: string): Promise<number> {
  try {
    return (await fetch(`${origin}/api/session`, { headers: { 'x-samsa-token': token } })).status;
  } catch {
    return -1;
  }
}

test(
  'kill -9 of the console server: the nodes keep serving Kafka, the console comes back on the same URL; kill -9 of the supervisor leaves nothing',
  { timeout: 240_000, skip: !hasCommand('kcat') && 'kcat not installed' },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-serve-'));
    const base = await freePortBlock(3);
    const serve = startCli(['serve', '--nodes', '3', '--kafka-port', String(base), '--port', '0', '--data-dir', dataDir]);
    let pids: number[] = [];
    try {
      const page = new URL((await serve.waitFor(/console: (\S+)/, 180_000))[1]);
      const token = page.searchParams.get('token')!;
      const consolePid = Number((await serve.waitFor(/console server pid (\d+)/))[1]);
      const bootstrap = (await serve.waitFor(/bootstrap\.servers=(\S+)/))[1];
      const nodePids = [...serve.output().matchAll(/^node \d+ pid (\d+) listening/gm)].map((m) => Number(m[1]));
      assert.equal(nodePids.length, 3);
      pids = [...nodePids, consolePid];
      assert.notEqual(consolePid, serve.child.pid, 'the console server is a process of its own');
      assert.equal(await session(page.origin, token), 200);

      process.kill(consolePid, 'SIGKILL');
      await until('the console is down', async () => (await session(page.origin, token)) === -1, 10_000).catch(() => {
        /* it may already be back */
      });
      // The cluster does not notice: kcat produces and consumes through it.
      const msgs = Array.from({ length: 50 }, (_, i) => `m${i}`);
      const produced = await run('kcat', ['-b', bootstrap, '-P', '-t', 'survives', '-X', 'acks=all'], { input: msgs.join('\n') + '\n', timeoutMs: 30_000 });
      assert.equal(produced.code, 0, produced.stderr);
      const consumed = await until('messages consumed', async () => {
        const r = await run('kcat', ['-b', bootstrap, '-C', '-t', 'survives', '-o', 'beginning', '-e', '-q'], { timeoutMs: 30_000 });
        return r.code === 0 && r.stdout.trim().split('\n').length === msgs.length && r;
      });
      assert.deepEqual(consumed.stdout.trim().split('\n'), msgs);
      assert.ok(nodePids.every(processAlive), 'every node process still runs');
      assert.ok(processAlive(serve.child.pid!), 'the supervisor still runs');

      const back = await serve.waitFor(/console server restarted \(pid (\d+)\) on (\S+)/, 60_000);
      assert.equal(back[2], page.origin, 'same port');
      const newPid = Number(back[1]);
      assert.notEqual(newPid, consolePid);
      pids.push(newPid);
      assert.equal(await session(page.origin, token), 200, 'same token');
      assert.equal(await session(page.origin, 'not-the-token'), 401);
      const html = await fetch(page.href);
      assert.equal(html.status, 200);
      // The restarted console reaches the supervisor's control endpoint too (console-child.ts).
      await until('the node controls through the supervisor', async () => {
        const r = await fetch(`${page.origin}/api/clusters/local/cluster-state`, { headers: { 'x-samsa-token': token } });
        const s = (await r.json()) as { available: boolean; nodes: { state: string }[] };
        return s.available && s.nodes.length === 3 && s.nodes.every((n) => n.state === 'running');
      });
      const list = await samsa(['node', 'list', '--data-dir', dataDir]);
      assert.equal(list.code, 0, list.stderr);
      assert.equal(list.stdout.match(/ running /g)?.length, 3);

      // Every child of the supervisor: 3 nodes, the console server and its warm spare.
      // (Other children, such as tsx's esbuild service, are not ours to count.)
      const ps = (await run('ps', ['-o', 'pid=,args=', '--ppid', String(serve.child.pid)])).stdout;
      const children = ps
        .split('\n')
        .filter((l) => /broker\/node\.(ts|mjs)|main\/console-child\.ts|console\/console-child\.mjs/.test(l))
        .map((l) => Number(l.trim().split(' ')[0]));
      assert.equal(children.length, 5, `children of samsa serve:\n${ps}`);
      assert.ok(nodePids.every((p) => children.includes(p)) && children.includes(newPid));
      pids.push(...children);
      serve.child.kill('SIGKILL');
      await until('no node or console process after the supervisor died', async () => pids.every((p) => !processAlive(p)), 30_000);
    } finally {
      await serve.stop();
      for (const p of pids) if (processAlive(p)) process.kill(p, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
