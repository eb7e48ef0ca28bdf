import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { compiledEntry } from './node-entry.ts';

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
