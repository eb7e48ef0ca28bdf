// Cold start and idle memory, part of `npm run bench` (`npm run bench -- start` runs only this;
// decision 0026). BENCH_START_RUNS times (default 5): `node bin/samsa.js cluster --nodes 3` on a
// fresh temp data dir and a free port block, timed from the spawn to its `cluster ready` line;
// the CPU time the supervisor and the nodes used until then (/proc/<pid>/stat: on a busy
// machine the wall time mostly measures the others' load, the CPU time is the start's own cost);
// then, 5 s later (BENCH_START_IDLE_MS; idle: no client), VmRSS of each node process (its pid from the `node <id> pid
// <pid> listening` lines) and of the supervisor (/proc/<pid>/status, Linux only); then SIGTERM
// and the data dir removed. Prints each run and the medians. VmRSS counts the pages of the node
// binary each process shares with every other Node process (~32 MB for an idle `node`), so a
// node's own cost is the difference to an empty Node process, printed too.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../broker/testing/cli-process.ts';
import { freePortBlock } from '../broker/testing/ports.ts';

const IDLE_MS = Number(process.env.BENCH_START_IDLE_MS ?? 5000);

function vmRssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat, 100 ticks/s). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (x: number) => `${x.toFixed(1)} MB`;

/** VmRSS of a Node process that only waits: the floor a node's RSS is measured against. */
async function emptyNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1500));
  const rss = vmRssMb(child.pid!);
  child.kill();
  return rss;
}

interface StartRun {
  readyMs: number;
  /** CPU the supervisor and its nodes used until ready: the start's cost on a busy machine. */
  cpuMs: number;
  nodeRss: number[];
  supervisorRss: number;
}

async function startOnce(): Promise<StartRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-start-'));
  const port = await freePortBlock(3);
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'samsa.js'), 'cluster', '--nodes', '3', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\ncluster ready\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`samsa cluster exited (code ${code}) before it was ready:\n${out}`)));
    });
    const readyMs = performance.now() - started;
    const pids = [...out.matchAll(/^node \d+ pid (\d+) listening/gm)].map((m) => Number(m[1]));
    const cpu = [child.pid!, ...pids].reduce((sum, pid) => sum + cpuMs(pid), 0);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, cpuMs: cpu, nodeRss: pids.map(vmRssMb), supervisorRss: vmRssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runStartBench(): Promise<void> {
  const runs = Number(process.env.BENCH_START_RUNS ?? 5);
  console.log(`\ncold start: \`samsa cluster --nodes 3\` to "cluster ready", then idle VmRSS after ${IDLE_MS / 1000} s (${runs} runs, load ${os.loadavg()[0].toFixed(1)})`);
  const floor = await emptyNodeRss();
  const all: StartRun[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await startOnce();
    all.push(r);
    console.log(`  run ${i + 1}: ready ${r.readyMs.toFixed(0)} ms (CPU ${r.cpuMs} ms); nodes ${r.nodeRss.map(mb).join(', ')}; supervisor ${mb(r.supervisorRss)}`);
  }
  const nodes = all.flatMap((r) => r.nodeRss);
  const ready = all.map((r) => r.readyMs);
  console.log(
    `  median: ready ${median(ready).toFixed(0)} ms (${Math.min(...ready).toFixed(0)}-${Math.max(...ready).toFixed(0)}), CPU ${median(all.map((r) => r.cpuMs))} ms; ` +
      `node ${mb(median(nodes))} (max ${mb(Math.max(...nodes))}; an empty node process: ${mb(floor)}); supervisor ${mb(median(all.map((r) => r.supervisorRss)))}`,
  );
}
