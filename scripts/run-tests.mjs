// Runs every unit and integration test (`*.test.ts` beside the code) with node's test runner
// through tsx. Integration tests start real node processes on free ports and stop them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['broker', 'main', 'renderer'];
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
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=600000', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
