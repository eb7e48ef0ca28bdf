// Runs the console server as a child process of the supervisor (main/console-child.ts), so that
// nothing the page server does (a crash on a malformed frame, an out-of-memory) takes the broker
// nodes down with it: the nodes are the supervisor's children, not the console's. When the
// console process dies without being asked to, another takes over on the same port with the
// same token, so an open page's URL keeps working (the UI reconnects by itself). Loading the
// console's modules takes seconds on a busy machine, so a warm spare process (loaded, waiting
// for its config) is kept and takes over at once; restarts back off from 0 to 10 s while the
// console keeps crashing. The console reaches the cluster only over Kafka and the supervisor's
// control endpoint; it exits when the supervisor goes away, and so does the spare.
import { fork, type ChildProcess } from 'node:child_process';
import { bundleEntry, type NodeEntry } from '../broker/supervisor/node-entry.ts';
import { ConsoleChildMessageSchema, type ConsoleChildConfig, type ConsoleChildMessage } from './contract/console-process.ts';
import { newToken } from './server/auth.ts';

const START_TIMEOUT_MS = 60_000;
const HEALTHY_MS = 30_000;

export interface ConsoleProcess {
  url: string;
  port: number;
  token: string;
  /** URL that opens the UI and hands it the token */
  pageUrl: string;
  /** pid of the console server's current process */
  pid(): number;
  close(): Promise<void>;
}

export type ConsoleProcessOptions = Omit<ConsoleChildConfig, 'type' | 'port' | 'token'> & { port?: number; token?: string };

interface Spare {
  child: ChildProcess;
  /** resolves once the child is loaded and waits for its config */
  ready: Promise<void>;
}

interface Started {
  child: ChildProcess;
  url: string;
  port: number;
  pageUrl: string;
}

function onMessages(child: ChildProcess, fn: (m: ConsoleChildMessage) => void): void {
  child.on('message', (raw: unknown) => {
    const m = ConsoleChildMessageSchema.safeParse(raw);
    if (m.success) fn(m.data);
  });
}

function forkOne(entry: NodeEntry): Spare {
  const child = fork(entry.file, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve, reject) => {
    onMessages(child, (m) => m.type === 'ready' && resolve());
    child.once('exit', (code, signal) => reject(new Error(`it exited (${signal ?? `code ${code}`})`)));
    child.once('error', reject);
  });
  ready.catch(() => {}); // a spare that dies unused is replaced when it is needed
  return { child, ready };
}

/** Hands `config` to a spare and resolves once it listens. */
async function startOn(spare: Spare, config: ConsoleChildConfig): Promise<Started> {
  const { child } = spare;
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    await spare.ready;
    return await new Promise<Started>((resolve, reject) => {
      onMessages(child, (m) => {
        if (m.type === 'failed') reject(new Error(m.message));
        if (m.type === 'listening') resolve({ child, url: m.url, port: m.port, pageUrl: m.pageUrl });
      });
      child.once('exit', (code, signal) => reject(new Error(`it exited (${signal ?? `code ${code}`})`)));
      child.send(config);
    });
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`the console server did not start: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startConsoleProcess(opts: ConsoleProcessOptions, log: (line: string) => void): Promise<ConsoleProcess> {
  const config: ConsoleChildConfig = { ...opts, type: 'start', port: opts.port ?? 0, token: opts.token ?? newToken() };
  // The compiled console-child (decision 0026), or its source through tsx.
  const entry = await bundleEntry('console', 'console servers');
  const forkSpare = () => forkOne(entry);
  const first = await startOn(forkSpare(), config);
  config.port = first.port; // every successor listens where the first one did
  let current = first.child;
  let spare = forkSpare();
  let closing = false;
  let backoffMs = 0;
  let retry: NodeJS.Timeout | undefined;

  const takeOver = () => {
    retry = setTimeout(() => {
      const next = spare;
      spare = forkSpare();
      startOn(next, config).then(
        (s) => {
          if (closing) return void stopChild(s.child);
          current = s.child;
          watch(s.child, Date.now());
          log(`console server restarted (pid ${s.child.pid}) on ${s.url}`);
        },
        (e: Error) => {
          if (closing) return;
          log(`${e.message}; trying again in ${backoffMs / 1000} s`);
          takeOver();
        },
      );
      backoffMs = Math.min(Math.max(backoffMs * 2, 500), 10_000);
    }, backoffMs);
  };
  const watch = (child: ChildProcess, startedAt: number) => {
    child.once('exit', (code, signal) => {
      if (closing) return;
      if (Date.now() - startedAt > HEALTHY_MS) backoffMs = 0;
      log(`console server (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting it on ${first.url}`);
      takeOver();
    });
  };
  watch(first.child, Date.now());

  return {
    url: first.url,
    port: first.port,
    token: config.token,
    pageUrl: first.pageUrl,
    pid: () => current.pid ?? -1,
    async close() {
      closing = true;
      clearTimeout(retry);
      await Promise.all([stopChild(current), stopChild(spare.child)]);
    },
  };
}
