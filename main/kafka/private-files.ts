// The console's own files (clusters.json, which may hold SASL passwords) live in folders only
// the user can enter (0700) and are written 0600, atomically (temp file + rename), so a reader
// sees the old file or the new one, never half of one.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder's mode alone; this folder is ours, so tighten it.
  chmodSync(dir, 0o700);
}

export function writePrivateFile(file: string, data: string): void {
  ensurePrivateDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
