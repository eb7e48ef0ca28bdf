// The metadata log on disk. A snapshot is written off the event loop, and until it is durable
// the log file keeps every entry, including those appended meanwhile; a reopen sees both.
// On a full disk (issue 13, item 8), with real bytes on a real file system: a 64 KiB tmpfs
// mounted for the test (root only; skipped, saying why, where mount is not allowed; always
// unmounted). An append the disk cannot take throws ENOSPC and leaves nothing in memory; a vote
// that cannot be persisted is not taken; the store reopened from disk holds exactly what was
// appended before, with no torn line hiding later entries.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { mountTmpfs } from '../testing/tmpfs.ts';
import { RaftStore, type RaftEntry } from './raft-store.ts';

const entries = (from: number, to: number): RaftEntry[] =>
  Array.from({ length: to - from }, (_, i) => ({ offset: from + i, epoch: 1, record: { n: from + i } }));

test('a snapshot lands asynchronously; entries appended meanwhile survive a reopen at any point', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-raft-store-'));
  try {
    const s = new RaftStore(dir);
    s.append(entries(0, 10));
    s.saveSnapshot({ endOffset: 8, epoch: 1, data: { upTo: 8 } });
    s.append(entries(10, 12)); // while the snapshot is being written

    // A crash now (before the snapshot is on disk): no snapshot yet, the whole log is there.
    const early = new RaftStore(dir);
    assert.equal(early.startOffset, early.snapshot ? 8 : 0);
    assert.equal(early.logEndOffset, 12);

    await s.flushed();
    const reopened = new RaftStore(dir);
    assert.deepEqual(reopened.snapshot, { endOffset: 8, epoch: 1, data: { upTo: 8 } });
    assert.deepEqual(
      reopened.entries.map((e) => e.offset),
      [8, 9, 10, 11],
    );
    assert.equal(fs.readFileSync(path.join(dir, 'raft-log.jsonl'), 'utf8').trim().split('\n').length, 4, 'log rewritten');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const tmpfs = mountTmpfs('64k');
const { skip, dir: mountPoint } = tmpfs;
after(() => tmpfs.unmount());

const entry = (offset: number): RaftEntry => ({ offset, epoch: 1, record: { type: 'filler', data: 'x'.repeat(900) } });

test(
  'an append the disk cannot take throws ENOSPC, is not kept in memory, and nothing before it is lost',
  { skip },
  () => {
    const dir = path.join(mountPoint, '__cluster_metadata');
    const ballast = path.join(mountPoint, 'ballast');
    fs.writeFileSync(ballast, Buffer.alloc(16 * 1024));
    const store = new RaftStore(dir);
    store.saveQuorum({ epoch: 1, votedFor: 1, leaderId: 1 });
    let failure: NodeJS.ErrnoException | null = null;
    for (let i = 0; i < 1000 && !failure; i++) {
      const o = store.logEndOffset;
      try {
        // Sometimes three at once, so that one write is cut short in the middle of the lines.
        store.append(o % 7 === 0 ? [entry(o), entry(o + 1), entry(o + 2)] : [entry(o)]);
      } catch (e) {
        failure = e as NodeJS.ErrnoException;
      }
    }
    assert.ok(failure, 'the 64 KiB file system filled up');
    assert.equal(failure.code, 'ENOSPC');
    const kept = store.logEndOffset;
    assert.ok(kept > 10, `${kept} entries fitted`);
    assert.deepEqual(
      store.entries.map((e) => e.offset),
      Array.from({ length: kept }, (_, i) => i),
      'memory holds only what was written',
    );
    // Still full: the next append fails the same way and changes nothing.
    assert.throws(() => store.append([entry(kept)]), /ENOSPC/);
    assert.equal(store.logEndOffset, kept);
    // A vote that cannot be persisted is not taken.
    assert.throws(() => store.saveQuorum({ epoch: 2, votedFor: 3, leaderId: -1 }), /ENOSPC/);
    assert.deepEqual(store.quorum, { epoch: 1, votedFor: 1, leaderId: 1 });

    const reopened = new RaftStore(dir);
    assert.equal(reopened.logEndOffset, kept, 'every appended entry is on disk, nothing torn after them');
    assert.deepEqual(reopened.entries, store.entries);
    assert.deepEqual(reopened.quorum, { epoch: 1, votedFor: 1, leaderId: 1 });

    // Space comes back: appends work again and follow on from the last entry written.
    fs.rmSync(ballast);
    reopened.append([entry(kept)]);
    assert.equal(new RaftStore(dir).logEndOffset, kept + 1);
  },
);
