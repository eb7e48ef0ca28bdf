// A paused node cannot notice its supervisor die (SIGSTOP: it does not run), so kill -9 of
// `samsa cluster` leaves it behind, frozen, on the data dir. The next `samsa cluster` on that
// data dir kills it before starting its own nodes, says so, and comes up whole.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { processAlive, samsa, startCli, type CliProcess } from '../testing/cli-process.ts';
import { until } from '../testing/wait.ts';
import { freePortBlock } from '../testing/ports.ts';

test('a node left paused by a supervisor killed with -9 is reaped by the next supervisor on its data dir', { timeout: 180_000 }, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-orphans-'));
  const base = await freePortBlock(3);
  const args = ['cluster', '--nodes', '3', '--port', String(base), '--data-dir', dataDir];
  const pidsIn = (c: CliProcess) => [...c.output().matchAll(/^node (\d+) pid (\d+) listening/gm)].map((m) => Number(m[2]));
  const first = startCli(args);
  let second: CliProcess | undefined;
  const all: number[] = [];
  try {
    await first.waitFor(/cluster ready/);
    const [p1, p2, p3] = pidsIn(first);
    all.push(p1, p2, p3);
    const paused = await samsa(['node', 'pause', '2', '--data-dir', dataDir]);
    assert.equal(paused.code, 0, paused.stderr);
    first.child.kill('SIGKILL');
    await until('the running nodes exit with their supervisor', async () => !processAlive(p1) && !processAlive(p3), 30_000);
    assert.ok(processAlive(p2), 'the paused node is still there, frozen');

    second = startCli(args);
    await second.waitFor(/cluster ready/);
    assert.match(second.output(), new RegExp(`killed node 2 \\(pid ${p2}\\), left running by a supervisor that died`));
    assert.equal(processAlive(p2), false);
    all.push(...pidsIn(second));
    const list = await samsa(['node', 'list', '--data-dir', dataDir]);
    assert.equal(list.stdout.match(/ running listening /g)?.length, 3, list.stdout + list.stderr);
  } finally {
    await first.stop();
    await second?.stop();
    for (const p of all) if (processAlive(p)) process.kill(p, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
