// Runs every unit and integration test (`*.test.ts` beside the code) with node's test runner
// through tsx, one process per file, `--concurrency N` files at a time (default 2, or
// SAMSA_TEST_CONCURRENCY). Integration tests start real node processes on free ports and stop
// them; test clusters pick random port blocks below the kernel's ephemeral range
// (broker/testing/ports.ts), so two files' clusters do not collide. Each file's output is printed
// whole when it ends (never interleaved); at the end: the failed files and the 10 slowest
// (SAMSA_TEST_TIMES=path also writes every file's seconds there).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let concurrency = Number(process.env.SAMSA_TEST_CONCURRENCY ?? 2);
const roots = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--concurrency') concurrency = Number(args[++i]);
  else if (a.startsWith('--concurrency=')) concurrency = Number(a.slice('--concurrency='.length));
  else roots.push(a);
}
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`--concurrency must be a positive integer, got ${concurrency}`);
  process.exit(2);
}
if (roots.length === 0) roots.push('broker', 'main', 'renderer');

const files = [];
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') walk(p);
    else if (e.isFile() && e.name.endsWith('.test.ts')) files.push(p);
  }
}
for (const r of roots) {
  if (fs.existsSync(r) && fs.statSync(r).isDirectory()) walk(r);
  else if (fs.existsSync(r)) files.push(r);
  else {
    console.error(`no such test file or folder: ${r}`);
    process.exit(2);
  }
}
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Files that start node processes (clusters, `samsa serve`, CLIs) take seconds to minutes, the
// others milliseconds: the long ones go first so the short ones fill the last gaps of the pool.
const SLOW = /startTestCluster|startCluster|startBundledConsole|startServe|startCli|runCluster|spawn\(|run\(/;
const slow = new Map(files.map((f) => [f, SLOW.test(fs.readFileSync(f, 'utf8'))]));
files.sort((a, b) => Number(slow.get(b)) - Number(slow.get(a)) || a.localeCompare(b));

const children = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // Passed on to the files' runners; a test killed this way may leave its node processes behind.
    for (const c of children) c.kill('SIGTERM');
    process.exit(130);
  });
}

const counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
const results = [];
function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    });
    children.add(child);
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code, signal) => {
      children.delete(child);
      const seconds = (Date.now() - started) / 1000;
      const text = Buffer.concat(out).toString('utf8');
      for (const m of text.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) counts[m[1]] += Number(m[2]);
      const ok = code === 0;
      results.push({ file, seconds, ok });
      process.stdout.write(`\n=== ${file} (${seconds.toFixed(1)} s${ok ? '' : `, FAILED: ${signal ?? `exit ${code}`}`})\n${text}`);
      resolve();
    });
  });
}

const t0 = Date.now();
const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(concurrency, files.length) }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) await runFile(f);
  }),
);
const total = (Date.now() - t0) / 1000;

const failed = results.filter((r) => !r.ok);
console.log(`\n=== ${files.length} files, ${concurrency} at a time, ${total.toFixed(1)} s`);
console.log(Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', '));
console.log('slowest files:');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(`  ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
if (process.env.SAMSA_TEST_TIMES) fs.writeFileSync(process.env.SAMSA_TEST_TIMES, results.map((r) => `${r.seconds.toFixed(1)}\t${r.ok ? 'ok' : 'FAIL'}\t${r.file}`).join('\n') + '\n');
if (failed.length) {
  console.log('failed files:');
  for (const r of failed) console.log(`  ${r.file}`);
}
process.exit(failed.length ? 1 : 0);
