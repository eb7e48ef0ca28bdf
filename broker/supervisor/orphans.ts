// Node processes a dead supervisor left behind. A node exits when its IPC channel to the
// supervisor closes, except one that is paused (SIGSTOP): it cannot run to notice, and would
// wake up later on data another cluster now uses. So the supervisor keeps the pids of its
// running nodes in <data-dir>/node-pids.json, and the next supervisor on that data dir (which
// the control endpoint has just proven is the only one) kills every such process that is still
// a Samsa node of this data dir, checked by its command line, before starting its own.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isNodeCommandLine } from './node-entry.ts';

const file = (dataDir: string) => path.join(dataDir, 'node-pids.json');

export function saveNodePids(dataDir: string, pids: Record<number, number>): void {
  const f = file(dataDir);
  fs.writeFileSync(f + '.tmp', JSON.stringify(pids) + '\n', { mode: 0o600 });
  fs.renameSync(f + '.tmp', f);
}

function commandLine(pid: number): string | null {
  try {
    if (fs.existsSync('/proc/self/cmdline')) return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Kills the nodes of `dataDir` that a previous supervisor left running; returns what it killed. */
export function reapOrphans(dataDir: string): { id: number; pid: number }[] {
  let pids: Record<string, number>;
  try {
    pids = JSON.parse(fs.readFileSync(file(dataDir), 'utf8')) as Record<string, number>;
  } catch {
    return [];
  }
  const killed: { id: number; pid: number }[] = [];
  for (const [id, pid] of Object.entries(pids)) {
    const cmd = commandLine(pid);
    const nodeDir = path.join(path.resolve(dataDir), `node-${id}`);
    if (!cmd || !isNodeCommandLine(cmd) || !cmd.includes(`--node-id ${id} `) || !cmd.includes(`--data-dir ${nodeDir} `)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push({ id: Number(id), pid });
    } catch {
      /* gone meanwhile */
    }
  }
  fs.rmSync(file(dataDir), { force: true });
  return killed;
}
