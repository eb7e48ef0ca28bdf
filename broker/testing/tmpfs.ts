// A tiny tmpfs for disk-full tests (issue 13 item 8): real ENOSPC from a real file system.
// Mounting needs root (or CAP_SYS_ADMIN); where it is refused, `skip` says why and the tests
// using it skip with that message. Call unmount() in an after() hook: it never leaves the mount
// behind, and fails the run if the kernel refuses to let it go.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tmpfs {
  /** The mount point (removed again when skip is set). */
  dir: string;
  /** false when mounted; else the reason, for node:test's { skip }. */
  skip: string | false;
  unmount(): void;
}

/** Mounts a tmpfs of `size` (mount's syntax: '64k', '1m') on a fresh temp dir, or at `at`. */
export function mountTmpfs(size: string, at?: string): Tmpfs {
  const dir = at ?? fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-enospc-'));
  fs.mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    if (!at) fs.rmSync(dir, { recursive: true, force: true });
    const why = (mounted.stderr || mounted.error?.message || 'not root').trim();
    return { dir, skip: `cannot mount a small tmpfs here (${why})`, unmount: () => {} };
  }
  let done = false;
  return {
    dir,
    skip: false,
    unmount() {
      if (done) return;
      done = true;
      let u = spawnSync('umount', [dir], { encoding: 'utf8' });
      // A process still holding a file there (a node being stopped): detach it now, freed when closed.
      if (u.status !== 0) u = spawnSync('umount', ['-l', dir], { encoding: 'utf8' });
      assert.equal(u.status, 0, `umount ${dir}: ${u.stderr}`);
      if (!at) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
