// `samsa` with no subcommand: the bundled cluster and the console, opened for the user. In the
// desktop app where Electron's binary is installed (an optional dependency), otherwise as
// `samsa serve` plus the default browser (xdg-open / open / start). The console URL is printed
// in any case; `--no-open`, or a Linux machine without a display (no DISPLAY or
// WAYLAND_DISPLAY), only prints it. `--browser` skips Electron. Cluster and console options
// belong to `samsa serve`; this command stays zero-configuration.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './server/renderer-build.ts';
import { runServe } from './serve.ts';

export type Shell = 'electron' | 'browser' | 'print';

/** How to show the console: Electron if installed, else the browser, else just print the URL. */
export function chooseShell(o: { noOpen: boolean; browser: boolean; electron: string | null; platform: NodeJS.Platform; env: NodeJS.ProcessEnv }): {
  shell: Shell;
  why?: string;
} {
  if (o.noOpen) return { shell: 'print', why: '--no-open' };
  if (o.platform === 'linux' && !o.env.DISPLAY && !o.env.WAYLAND_DISPLAY)
    return { shell: 'print', why: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  if (o.electron && !o.browser) return { shell: 'electron' };
  return { shell: 'browser' };
}

/** The command that opens `url` in the default browser. */
export function openCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

/** Path of Electron's binary when the optional dependency is installed with it, else null. */
export function electronBinary(): string | null {
  try {
    const p: unknown = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function openInBrowser(url: string, log: (line: string) => void): void {
  const [cmd, args] = openCommand(process.platform, url);
  const fail = (why: string) => log(`could not open a browser (${cmd}: ${why}); open the console URL above`);
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code) => code && fail(`exit code ${code}`));
    child.unref();
  } catch (e) {
    fail((e as Error).message);
  }
}

/** The desktop app in the foreground: builds dist/main once, runs Electron, exits with it. */
async function runElectron(binary: string): Promise<void> {
  const build = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'build-electron.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  const built = await new Promise<number | null>((r) => build.on('exit', r));
  if (built !== 0) throw new Error('could not build the desktop app (scripts/build-electron.mjs failed)');
  const app = spawn(binary, [REPO_ROOT], { cwd: REPO_ROOT, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.kill(sig));
  const code = await new Promise<number | null>((r) => app.on('exit', r));
  process.exit(code ?? 1);
}

export async function runApp(argv: string[], log = (line: string) => console.log(line)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'no-open': { type: 'boolean', default: false },
      browser: { type: 'boolean', default: false },
      security: { type: 'string' },
    },
  });
  const electron = electronBinary();
  const { shell, why } = chooseShell({ noOpen: values['no-open'], browser: values.browser, electron, platform: process.platform, env: process.env });
  if (shell === 'electron') return runElectron(electron!);
  const { pageUrl } = await runServe(values.security ? ['--security', values.security] : []);
  if (shell === 'browser') {
    log('opening the console in your browser');
    openInBrowser(pageUrl, log);
  } else log(`not opening it: ${why}; open the console URL above`);
}
