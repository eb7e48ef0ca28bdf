// Starts `samsa serve` (bundled single-node cluster + console) as a child process on free ports,
// waits for its `bootstrap.servers=` and `console:` lines, and stops it (SIGTERM, then SIGKILL).
// Shared by the Playwright fixtures and the console benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortBlock } from '../../broker/testing/ports.ts';

export interface Served {
  /** Page URL with the token. */
  url: string;
  origin: string;
  token: string;
  bootstrap: string;
  /** The bundled cluster's admin password, when started with `--security sasl`. */
  adminPassword: string | null;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** With no dataDir, a temp dir is made and removed on stop. */
/** `args`: more `samsa serve` flags, e.g. ['--security', 'sasl', '--acls']. */
export async function startServe(opts: { dataDir?: string; timeoutMs?: number; args?: string[] } = {}): Promise<Served> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'samsa-serve-'));
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const kafkaPort = await freePortBlock(1);
  const args = [join(ROOT, 'bin/samsa.js'), 'serve', '--nodes', '1', '--kafka-port', String(kafkaPort), '--port', '0', '--data-dir', dataDir, ...(opts.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
    }
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { url, bootstrap } = await new Promise<{ url: string; bootstrap: string }>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`samsa serve printed no console line in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
      const onData = (d: Buffer) => {
        output += d.toString();
        const bootstrap = /bootstrap\.servers=(\S+)/.exec(output)?.[1];
        const url = /console: (\S+)/.exec(output)?.[1];
        if (bootstrap && url) {
          clearTimeout(timer);
          // Keep draining the child's output so it never blocks on a full pipe.
          child.stdout!.off('data', onData).resume();
          child.stderr!.off('data', onData).resume();
          resolvePromise({ url, bootstrap });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`samsa serve exited with ${code}:\n${output}`));
      });
    });
    const u = new URL(url);
    const adminPassword = /sasl user admin password (\S+)/.exec(output)?.[1] ?? null;
    return { url, origin: u.origin, token: u.searchParams.get('token')!, bootstrap, adminPassword, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
