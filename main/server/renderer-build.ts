// Builds the renderer with vite when its output is missing or older than its sources, so
// `samsa serve` works right after `npm ci`. Several processes may start at once (tests): a
// lock directory serialises them and the output is swapped in with a rename.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_OUT = join(REPO_ROOT, 'dist', 'renderer');
const SOURCES = ['renderer', 'main/contract', 'vite.config.ts'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function rendererIsFresh(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return SOURCES.every((s) => newestMtime(join(REPO_ROOT, s)) <= built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(REPO_ROOT, 'dist', '.renderer-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* raced with its owner */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another renderer build');
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<string> {
  if (rendererIsFresh()) return RENDERER_OUT;
  await withLock(async () => {
    if (rendererIsFresh()) return;
    log('building the console UI (first run after an update)...');
    const started = Date.now();
    const { build } = await import('vite');
    const tmp = join(REPO_ROOT, 'dist', `.renderer-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    await build({
      configFile: join(REPO_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true },
    });
    // Two renames, not a delete then a rename: a console serving the old build meanwhile finds
    // index.html at every moment but the instant between them (it said "not built" for as long
    // as deleting the old tree took).
    const old = join(REPO_ROOT, 'dist', `.renderer-old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(RENDERER_OUT)) renameSync(RENDERER_OUT, old);
    renameSync(tmp, RENDERER_OUT);
    rmSync(old, { recursive: true, force: true });
    log(`console UI built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return RENDERER_OUT;
}
