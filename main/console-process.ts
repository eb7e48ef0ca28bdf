// Runs the console server as a child process of the supervisor (main/console-child.ts), so that
// nothing the page server does (a crash on a malformed frame, an out-of-memory) takes the broker
// nodes down with it: the nodes are the supervisor's children, not the console's. When the
// console process dies without being asked to, it is started again on the same port with the
// same token, so an open page's URL keeps working (the UI reconnects by itself); restarts back
// off from 0.5 s to 10 s while it keeps crashing. The console reaches the cluster only over
// Kafka and the supervisor's control endpoint; it exits when the supervisor goes away.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConsoleChildMessageSchema, type ConsoleChildConfig } from './contract/console-process.ts';
import { newToken } from './server/auth.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./console-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const START_TIMEOUT_MS = 60_000;

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

interface Started {
  child: ChildProcess;
  port: number;
  url: string;
  pageUrl: string;
}

function spawnConsole(config: ConsoleChildConfig): Promise<Started> {
  const child = fork(CHILD_ENTRY, [], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the console server did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.on('message', (raw: unknown) => {
      const m = ConsoleChildMessageSchema.safeParse(raw);
      if (!m.success) return;
      if (m.data.type === 'failed') return fail(m.data.message);
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, port: m.data.port, url: m.data.url, pageUrl: m.data.pageUrl });
    });
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    child.on('error', (e) => fail(e.message));
    child.send(config);
  });
}

export async function startConsoleProcess(opts: ConsoleProcessOptions, log: (line: string) => void): Promise<ConsoleProcess> {
  const config: ConsoleChildConfig = { ...opts, type: 'start', port: opts.port ?? 0, token: opts.token ?? newToken() };
  const first = await spawnConsole(config);
  config.port = first.port; // every restart listens where the first one did
  let current = first.child;
  let closing = false;
  let backoffMs = 500;
  let retry: NodeJS.Timeout | undefined;

  const watch = (child: ChildProcess, startedAt: number) => {
    child.once('exit', (code, signal) => {
      if (closing) return;
      if (Date.now() - startedAt > 30_000) backoffMs = 500; // it had been healthy
      log(`console server (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting it on ${first.url}`);
      restart();
    });
  };
  const restart = () => {
    retry = setTimeout(() => {
      spawnConsole(config).then(
        (s) => {
          if (closing) return void s.child.kill('SIGTERM');
          current = s.child;
          watch(s.child, Date.now());
          log(`console server restarted (pid ${s.child.pid}) on ${s.url}`);
        },
        (e: Error) => {
          if (closing) return;
          log(`${e.message}; trying again in ${backoffMs / 1000} s`);
          restart();
        },
      );
      backoffMs = Math.min(backoffMs * 2, 10_000);
    }, backoffMs);
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
      if (current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((r) => current.once('exit', r));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
