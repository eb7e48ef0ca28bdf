import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { compiledEntry } from '../../bin/bundle.mjs';
import { nodeEntry } from './node-entry.ts';

test('compiledEntry builds a bundle, reuses it while its inputs are unchanged, rebuilds when one changes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-entry-'));
  try {
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'a.ts'), "import { b } from './b.ts';\nconsole.log(b);\n");
    fs.writeFileSync(path.join(src, 'b.ts'), "export const b: string = 'one';\n");
    const out = path.join(dir, 'dist', 'a.mjs');
    const runIt = () => execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim();

    assert.deepEqual(await compiledEntry(path.join(src, 'a.ts'), out), { file: out });
    assert.equal(runIt(), 'one');
    const built = fs.statSync(out).mtimeMs;

    assert.deepEqual(await compiledEntry(path.join(src, 'a.ts'), out), { file: out });
    assert.equal(fs.statSync(out).mtimeMs, built, 'an unchanged source is not rebuilt');

    fs.writeFileSync(path.join(src, 'b.ts'), "export const b: string = 'two';\n");
    assert.deepEqual(await compiledEntry(path.join(src, 'a.ts'), out), { file: out });
    assert.equal(runIt(), 'two', 'a changed import is rebuilt');

    fs.writeFileSync(path.join(src, 'b.ts'), 'export const b: string = ;\n');
    const broken = await compiledEntry(path.join(src, 'a.ts'), out);
    assert.ok('error' in broken, 'a source that does not compile is reported, so the caller runs the sources');
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bundle keeps each module its own import.meta.url, and split chunks load on first use', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-entry-'));
  try {
    const src = path.join(dir, 'src', 'deep');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'where.ts'), "export const where: string = new URL('./data.txt', import.meta.url).pathname;\n");
    fs.writeFileSync(path.join(src, 'data.txt'), 'beside the source\n');
    fs.writeFileSync(
      path.join(dir, 'src', 'main.ts'),
      "import fs from 'node:fs';\nconst { where } = await import('./deep/where.ts');\nconsole.log(fs.readFileSync(where, 'utf8').trim());\n",
    );
    const out = path.join(dir, 'dist', 'x', 'main.mjs');
    assert.deepEqual(await compiledEntry(path.join(dir, 'src', 'main.ts'), out, { splitting: true }), { file: out });
    assert.equal(execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim(), 'beside the source', 'the path resolves next to where.ts, not the bundle');
    const chunks = fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith('chunk-'));
    assert.equal(chunks.length, 1, 'the dynamic import is its own chunk');
    assert.doesNotMatch(fs.readFileSync(out, 'utf8'), /data\.txt/, 'the entry does not contain the lazily loaded module');

    fs.writeFileSync(path.join(src, 'where.ts'), "export const where: string = import.meta.dirname + '/data.txt';\n");
    const refused = await compiledEntry(path.join(dir, 'src', 'main.ts'), out, { splitting: true });
    assert.ok('error' in refused && /dirname or filename/.test(refused.error), 'a path a bundle would get wrong fails the build');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the node bundle loads prom-client without its default-metrics collectors', async () => {
  const { file } = await nodeEntry();
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /from "prom-client\/lib\/registry\.js"/);
  assert.doesNotMatch(text, /from "prom-client"/, 'prom-client/index.js pulls in @opentelemetry/api');
});
