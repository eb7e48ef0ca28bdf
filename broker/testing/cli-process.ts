// Runs the `samsa` command (bin/samsa.js) as a test would from a terminal: a long-running
// `samsa cluster` / `samsa serve` child whose output is collected and waited on, and one-shot
// commands (`samsa node list ...`) with their exit code and output.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { run, type RunResult } from './run.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMSA = path.join(ROOT, 'bin', 'samsa.js');

export interface CliProcess {
  child: ChildProcess;
  /** everything printed so far (stdout and stderr) */
  output(): string;
  /** resolves with the first match of `re` in the output; rejects if the process exits first */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it exited */
  stop(): Promise<void>;
}

export function startCli(args: string[], env?: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [SAMSA, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) done(() => resolve(m));
          else if (!alive()) done(() => reject(new Error(`samsa ${args[0]} exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${re} within ${timeoutMs / 1000} s:\n${out}`))), timeoutMs);
        const done = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', check);
          f();
        };
        listeners.add(check);
        child.on('exit', check);
        check();
      });
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `samsa <args>` to completion. */
export function samsa(args: string[], timeoutMs = 90_000): Promise<RunResult> {
  return run(process.execPath, [SAMSA, ...args], { timeoutMs });
}

/** Whether process `pid` is alive (a zombie, dead but not reaped yet, is not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}
